"""A deterministic warehouse of any size for report benchmarks and query-count tests.

Bulk inserts (executemany, chunks of 5,000): materials in two organizations (every 20th part
number in both), each scheduled on COUNT_DATE and counted there (two lines, every 7th with a
location-only sighting), an older count per material (so last found at has history), and SAP
rows spread over two uploads per organization, one of them after the count date.
"""
from __future__ import annotations

import datetime as dt
import random
import uuid

from sqlalchemy import insert, select

from wics_desktop.core.actor import Actor
from wics_desktop.core.models import (
    ActualCount,
    CountSchedule,
    Material,
    Organization,
    PartType,
    SapStock,
)
from wics_desktop.core.services import orgs, part_types

COUNT_DATE = dt.date(2026, 11, 20)
ACTOR = Actor(username="bench", workstation="bench", role="admin")
COUNTERS = ["Chris", "Pat", "Alex", "Sam", None]
LOCATIONS = [f"{b}_{r}-{c}" for b in ("HVC", "SMC", "868") for r in "ABCDEFGH" for c in range(1, 9)]
UOMS = ["EA", "EA", "EA", "KPC", "DZ", "XYZ"]


def _chunks(rows, size=5000):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def fill(database, materials: int, sap_rows: int, seed: int = 1) -> dict:
    rng = random.Random(seed)
    with database.session() as s:
        for name in ("L10", "L6"):
            orgs.add_org(s, ACTOR, name)
        part_types.add_part_type(s, ACTOR, "AST-A", 210)
        part_types.add_part_type(s, ACTOR, "AST-B", 1210)
        org_ids = [s.scalar(select(Organization.id).where(Organization.name == n))
                   for n in ("L10", "L6")]
        pt_ids = list(s.scalars(select(PartType.id)))
    mats = []
    for i in range(materials):
        org = org_ids[0] if i % 4 else org_ids[1]
        part = f"{100000 + (i // 20 * 20 if i % 20 == 1 else i)}"
        mats.append(dict(org_id=org, part_number=part, description=f"Part {i} description",
                         part_type_id=pt_ids[i % len(pt_ids)], notes=None if i % 3 else "check",
                         typical_container_qty="48/ctn" if i % 2 else None, price_unit=1))
    # every 20th+1 reuses the previous part number: ensure it lands in the other organization
    for i in range(1, materials, 20):
        mats[i]["org_id"] = org_ids[1] if mats[i - 1]["org_id"] == org_ids[0] else org_ids[0]
    with database.engine.begin() as conn:
        for chunk in _chunks(mats):
            conn.execute(insert(Material), chunk)
        ids = [(mid, oid, pn) for mid, oid, pn in conn.execute(
            select(Material.id, Material.org_id, Material.part_number).order_by(Material.id))]
        sched, counts = [], []
        for n, (mid, _oid, _pn) in enumerate(ids):
            sched.append(dict(count_date=COUNT_DATE, material_id=mid, counter=COUNTERS[n % 5],
                              priority="HOT" if n % 11 == 0 else None, reason="Cycle count",
                              requestor="Dana" if n % 9 == 0 else None))
            day_before = COUNT_DATE - dt.timedelta(days=rng.randint(1, 60))
            lines = [(day_before, rng.choice(LOCATIONS), "7"),
                     (COUNT_DATE, rng.choice(LOCATIONS),
                      f"{rng.randint(1, 20)}*48+{rng.randint(0, 47)}"),
                     (COUNT_DATE, rng.choice(LOCATIONS), str(rng.randint(1, 500)))]
            if n % 7 == 0:
                lines.append((COUNT_DATE, rng.choice(LOCATIONS), None))
            for day, loc, expr in lines:
                from wics_desktop.core.expressions import evaluate
                counts.append(dict(uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                                   count_date=day, material_id=mid, counter="Chris", location=loc,
                                   location_only=expr is None, expression=expr,
                                   quantity=None if expr is None else evaluate(expr)))
        for chunk in _chunks(sched):
            conn.execute(insert(CountSchedule), chunk)
        for chunk in _chunks(counts):
            conn.execute(insert(ActualCount), chunk)
        uploads = [COUNT_DATE - dt.timedelta(days=1), COUNT_DATE + dt.timedelta(days=3)]
        sap = []
        for k in range(sap_rows):
            mid, oid, pn = ids[k % len(ids)]
            upload = uploads[(k // len(ids)) % 2] if k >= len(ids) else uploads[0]
            sap.append(dict(upload_date=upload,
                            org_id=oid, part_number=pn, material_id=mid, plant="FW10",
                            storage_location=f"{k % 9:04d}", base_uom=UOMS[k % len(UOMS)],
                            amount=float(rng.randint(0, 5000)), currency="USD",
                            value_unrestricted=round(rng.random() * 10000, 2)))
        for chunk in _chunks(sap):
            conn.execute(insert(SapStock), chunk)
    return {"materials": len(ids), "schedule": len(sched), "counts": len(counts),
            "sap_rows": len(sap)}
