"""Where things sit in the demo warehouse: location names like the real floor's.

Locations name a building and a spot: rack row and level (`HVC_RBFB_1-1`), a grid bay
(`SMC_C2`, `868_E8`), an inspection area (`868_IQC`), or a yard spot written the way counters
write it (`D2`, `U-3`, `O-1,2,3`). Each is in one worksheet zone.
"""
from __future__ import annotations

import random

# Always present, so the demo shows every kind of name.
SPECIAL = ("HVC_RBFB_1-1", "SMC_C2", "868_IQC", "D2", "U-3", "U-4", "O-1,2,3", "U-3,U-4",
           "868_E8-E11", "SMC_Xena_1-1", "HVC_AST_2-1", "868_RECV", "SMC_QC_HOLD")
ZONE_BY_PREFIX = (("HVC_", 1), ("SMC_", 2), ("868_", 3))
YARD_ZONE = 4


def _candidates() -> list[str]:
    names: list[str] = []
    for prefix in ("HVC_RBFB", "HVC_AST", "SMC_Xena", "SMC_AST"):
        names += [f"{prefix}_{row}-{level}" for row in range(1, 41) for level in range(1, 6)]
    for building in ("SMC", "868"):
        names += [f"{building}_{bay}{n}" for bay in "ABCDEFGH" for n in range(1, 31)]
    names += [f"{bay}{n}" for bay in "DEF" for n in range(1, 13)]
    names += [f"U-{n}" for n in range(1, 13)] + [f"O-{n}" for n in range(1, 13)]
    return names


def location_pool(materials: int, rng: random.Random) -> list[str]:
    """About one location per 25 materials (120 to 1,200), the special names first."""
    size = max(120, min(1200, materials // 25))
    rest = [name for name in _candidates() if name not in SPECIAL]
    return list(SPECIAL) + rng.sample(rest, size - len(SPECIAL))


def zone_of(location: str) -> int:
    for prefix, zone in ZONE_BY_PREFIX:
        if location.startswith(prefix):
            return zone
    return YARD_ZONE
