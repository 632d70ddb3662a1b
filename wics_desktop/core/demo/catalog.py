"""The fixed vocabulary of the demo warehouse: organizations, plants, part types, people, words.

Facts such as part-type names and priorities, the counters' names and the usual scheduling
reasons come from the warehouse WICS was built for; everything else is invented.
"""
from __future__ import annotations

# Organization -> its SAP plants (the first plant is where most of its materials live).
ORGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("L10", ("FW10", "FW11")),
    ("L6", ("FW62", "FW61")),
)
# Share of the materials that belong to L10; the rest are L6's.
L10_SHARE = 0.4
# Share of L6's part numbers that L10 stocks too (they show as "PART (ORG)").
SHARED_SHARE = 0.06

# SAP storage locations per organization (MB52 "Storage location").
STORAGE_LOCATIONS = {"L10": ("1000", "1010", "1020"), "L6": ("0001", "0002", "0003")}

# (name, priority, inactive). UNKNOWN (50000) is seeded by `wics db upgrade`.
PART_TYPES: tuple[tuple[str, int, bool], ...] = (
    ("RBFB-A", 110, False), ("AST-A", 210, False), ("AST-A??", 215, False),
    ("AST-CONSIGNED", 220, False), ("Xena-A", 310, False), ("CN-A", 410, False),
    ("RBFB-B", 1110, False), ("RBFB-B-CYC", 1115, False), ("AST-B", 1210, False),
    ("AST-B??", 1215, False), ("Xena-B", 1310, False), ("CN-B", 1410, False),
    ("CN-B??", 1415, False), ("AST-B-CYC", 2215, False), ("Screws", 5010, False),
    ("Labels", 5020, False), ("CYCLE", 8000, False), ("MTHRBD", 9000, False),
    ("AGORA", 9100, False), ("NON-INVENTORY", 90000, True), ("NON-L10", 91000, True),
    ("NO LONGER IN USE", 99999, True),
)
# Part types any material may fall back to, with their share of all materials.
ODD_PART_TYPES = (("UNKNOWN", 0.03), ("NO LONGER IN USE", 0.02), ("NON-INVENTORY", 0.01))

COUNTERS = ("Calvin", "Chris K", "Nickkia", "Nate", "Mervin", "Jeremy", "Ryan")
REASONS = (
    ("CM Random Count", 35), ("Material Movement", 15), ("Picked for Orders", 15),
    ("Received Material", 10), ("Verify Prev Count", 8), ("Initial Count", 5), (None, 12),
)
PRIORITIES = (None, None, None, None, None, None, "HOT!!!", "vfy", "1", "2", "3", "High", "AM")
SCHEDULE_NOTES = (
    "Check both buildings", "Count before the 10:00 truck", "Planner sees a shortage",
    "Last count was off by a pallet", "Includes the QC hold area", "Count loose pieces too",
    "Customer order ships Friday", "Ask receiving about the open PO",
)
REQUESTORS = (
    "Production planning", "Dana (Purchasing)", "Line 3 lead", "Customer service",
    "Finance - month end", "Quality: hold check", "Shipping",
)
COUNT_NOTES = (
    "Two cartons damaged, counted anyway", "Pallet behind the racking", "Partial reel",
    "Tag says different qty", "Found on the receiving dock", "Mixed with another part number",
    "Sealed cartons counted by the label", "Some boxes opened",
)
LOCATION_ONLY_NOTES = ("Seen, not counted", "Pallet wrapped, no time to count",
                       "Location mapping", "Blocked by a forklift")
CORRECTION_NOTES = ("Correction: one carton counted twice", "Correction: pallet belongs to L6",
                    "Correction: returned to vendor")
PACKAGE_IDS = ("PLT 5", "box 12 of 20", "reel", "ctn 3", "bulk bag", "tote 17")
TAG_QTYS = ("no tag", "800*2", "5000", "1080", "see notes", "24")
MATERIAL_NOTES = (
    "Count by the roll: one roll = 5000 labels", "Stored in the cage; ask a supervisor for the key",
    "Customer-owned stock: do not issue", "Heavy: use the pallet jack",
    "Check both HVC and SMC", "Moisture-sensitive: keep bags sealed",
    "SAP counts pieces, the shelf counts reels", "Reorder point 2 pallets",
)
WORKSTATIONS = ("WH-PC01", "WH-PC02", "WH-PC03", "SCANNER-2")

# Worksheet zones: which area of the warehouse a location belongs to.
ZONES = ((1, "HVC"), (2, "SMC"), (3, "868"), (4, "Yard and outside"))

GREETINGS = (
    "Count it once, count it right.",
    "A pallet you can't find is a pallet you don't have.",
    "Good counts make quiet Mondays.",
    "Check the tag, then check the box.",
    "The book says one thing; the shelf has the last word.",
    "Safety first: forks down, eyes up.",
    "Every location has a story. Write it on the sheet.",
    "Nothing is lost until the second count says so.",
    "Thanks for keeping the numbers honest.",
    "A tidy aisle counts faster.",
)

# Demo sign-ins: (username, role, display name); the password is the username (demo only).
USERS = (
    ("clerk", "clerk", "Demo Clerk"),
    ("supervisor", "supervisor", "Demo Supervisor"),
    ("admin", "admin", "Demo Admin"),
    ("viewer", "viewer", "Demo Viewer"),  # last: the others keep their ids
)
