"""The demo material master: part numbers, descriptions, prices, where each material is kept.

`plan_materials` decides everything about every material once (a `MaterialSpec` each); the
rows for the `materials`, `mpn` and `material_photos` tables are then read off the specs, and
the schedule, counts and SAP stock use the same specs.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import catalog
from .families import FAMILIES, FAMILY_CUM_WEIGHTS, Family, description, mpn, part_number
from .images import carton_png


@dataclass(slots=True)
class MaterialSpec:
    id: int
    org: int                 # index into catalog.ORGS
    part_number: str
    family: Family
    part_type: str
    description: str
    plant: str
    uom: str                 # SAP base unit: EA, or KPC (SAP books thousands)
    piece_price: float       # USD per piece
    price: float | None
    price_unit: int
    container: int           # pieces per carton/reel/box
    cartons_per_pallet: int
    locations: tuple[str, ...]               # where counters usually find it (1-3)
    storage_locations: tuple[tuple[str, float], ...]  # SAP storage locations and their shares
    stock: int               # pieces on hand at the start of the window
    inactive: bool
    material_type: str       # SAP material type: ZROH, ZHLB, ROH
    blocked: int = 0         # pieces SAP holds as blocked stock (quality hold)
    batch: str | None = None
    twin_of: MaterialSpec | None = None    # the L10 material with the same part number
    manufacturer: str | None = None
    mpn: str | None = None


def _price(family: Family, org: int, rng: random.Random) -> tuple[str, float, float | None, int]:
    """(base unit, price per piece, SAP price, SAP price unit).

    L6 books many cheap parts in thousands (KPC), priced per thousand; other cheap parts are
    priced per 1,000 pieces, the rest per piece.
    """
    low, high = family.price
    piece = round(rng.uniform(low, high), 4 if high < 1 else 2)
    if org == 1 and piece < 1 and rng.random() < family.kpc_share:
        return "KPC", piece, round(piece * 1000, 2), 1
    unit = 1000 if high < 20 or rng.random() < 0.1 else 1
    if rng.random() < 0.04:  # some materials have no price in SAP yet
        return "EA", piece, None, 1
    return "EA", piece, round(piece * unit, 2), unit


def _storage_locations(org_name: str, rng: random.Random) -> tuple[tuple[str, float], ...]:
    codes = catalog.STORAGE_LOCATIONS[org_name]
    if rng.random() < 0.75:
        return ((rng.choice(codes), 1.0),)
    chosen = rng.sample(codes, 2 if rng.random() < 0.8 else 3)
    weights = [rng.random() + 0.2 for _ in chosen]
    total = sum(weights)
    return tuple((code, w / total) for code, w in zip(chosen, weights, strict=True))


def _usual_locations(pool: list[str], rng: random.Random) -> tuple[str, ...]:
    """One to three places a material is usually found (most often just one)."""
    roll = rng.random()
    if roll < 0.5:
        return (rng.choice(pool),)
    return tuple(rng.sample(pool, 2 if roll < 0.85 else 3))


def _unique_number(style: str, taken: set[str], rng: random.Random) -> str:
    while True:
        number = part_number(style, rng)
        if number not in taken:
            taken.add(number)
            return number


def plan_materials(n: int, locations: list[str], rng: random.Random) -> list[MaterialSpec]:
    """`n` materials: about 40% L10 and 60% L6, some L6 part numbers also stocked by L10."""
    n_l10 = n if n < 2 else max(1, round(n * catalog.L10_SHARE))
    n_l6 = n - n_l10
    n_shared = min(n_l10, n_l6, round(n_l6 * catalog.SHARED_SHARE)) if n_l6 else 0
    if n_l6 and n_l10 and n_shared == 0:
        n_shared = 1
    inactive_types = {name for name, _, inactive in catalog.PART_TYPES if inactive}
    taken: list[set[str]] = [set(), set()]
    specs: list[MaterialSpec] = []
    for i in range(n):
        org = 0 if i < n_l10 else 1
        org_name, plants = catalog.ORGS[org]
        shared_with = None
        if org == 1 and i - n_l10 < n_shared:  # spread the shared numbers over L10's list
            shared_with = specs[(i - n_l10) * n_l10 // n_shared]
        family = shared_with.family if shared_with \
            else rng.choices(FAMILIES, cum_weights=FAMILY_CUM_WEIGHTS)[0]
        if shared_with:
            number, text = shared_with.part_number, shared_with.description
            taken[org].add(number)
        else:
            number, text = _unique_number(family.style, taken[org], rng), description(family, rng)
        part_type = rng.choice(family.part_types)
        roll = rng.random()
        for odd, share in catalog.ODD_PART_TYPES:
            if roll < share:
                part_type = odd
                break
            roll -= share
        uom, piece, price, unit = _price(family, org, rng)
        container = rng.choice(family.containers)
        has_stock = rng.random() < 0.92 and part_type not in inactive_types
        spec = MaterialSpec(
            id=i + 1, org=org, part_number=number, family=family, part_type=part_type,
            description=text, plant=plants[0] if rng.random() < 0.8 else plants[1], uom=uom,
            piece_price=piece, price=price, price_unit=unit, container=container,
            cartons_per_pallet=rng.choice(family.pallet),
            locations=_usual_locations(locations, rng),
            storage_locations=_storage_locations(org_name, rng),
            stock=(container * rng.randint(1, family.stock_containers)
                   + rng.randrange(container)) if has_stock else 0,
            inactive=part_type in inactive_types, twin_of=shared_with,
            material_type=rng.choice(family.material_types),
        )
        if spec.stock and rng.random() < 0.03:
            spec.blocked = rng.randint(1, container)
        if family.key in ("label", "memory") and rng.random() < 0.5:
            spec.batch = f"{rng.randrange(20, 27)}{rng.randrange(1, 53):02d}{rng.choice('ABC')}"
        if shared_with:
            spec.manufacturer = shared_with.manufacturer
        elif family.makers and rng.random() < 0.6:
            spec.manufacturer = rng.choice(family.makers)
        specs.append(spec)
    return specs


def assign_mpns(specs: list[MaterialSpec], rng: random.Random) -> list[dict[str, Any]]:
    """MPN rows (unique) for materials with a manufacturer; a shared part keeps L10's MPN."""
    rows, taken = [], set()
    for spec in specs:  # L10 comes first, so a twin's L10 material already has its MPN
        if spec.twin_of is not None:
            spec.mpn = spec.twin_of.mpn
            continue
        if spec.manufacturer is None:
            continue
        while True:
            value = mpn(spec.family, spec.manufacturer, rng)
            if value not in taken:
                break
        taken.add(value)
        spec.mpn = value
        rows.append({"mpn": value, "manufacturer": spec.manufacturer, "material_id": spec.id,
                     "notes": "from the maker's label" if rng.random() < 0.05 else None})
    return rows


def material_rows(specs: list[MaterialSpec], part_type_ids: dict[str, int],
                  org_ids: list[int], rng: random.Random) -> Iterator[dict[str, Any]]:
    """The `materials` rows (a generator: 100,000 dicts need not exist at once)."""
    for s in specs:
        container_text = None
        if rng.random() < 0.7:
            container_text = rng.choice((f"{s.container}", f"{s.container}/ctn",
                                         f"{s.container} per box", f"{s.container} ea/reel"))
        pallet_text = None
        if rng.random() < 0.4:
            pallet_text = rng.choice((f"{s.container * s.cartons_per_pallet}",
                                      f"{s.cartons_per_pallet} ctn/plt"))
        yield {
            "id": s.id, "org_id": org_ids[s.org], "part_number": s.part_number,
            "description": s.description, "part_type_id": part_type_ids[s.part_type],
            "plant": s.plant, "sap_material_type": s.material_type,
            "sap_material_group": rng.choice(s.family.groups),
            "sap_manufacturer": s.manufacturer, "sap_mpn": s.mpn,
            "sap_abc": rng.choice(("A", "B", "B", "C", "C", "C", None)),
            "price": s.price, "price_unit": s.price_unit,
            "currency": "USD" if s.price is not None else None,
            "typical_container_qty": container_text, "typical_pallet_qty": pallet_text,
            "notes": rng.choice(catalog.MATERIAL_NOTES) if rng.random() < 0.08 else None,
        }


def photo_rows(specs: list[MaterialSpec], rng: random.Random) -> list[dict[str, Any]]:
    """Two or three small carton pictures, so the photo viewer has something to show."""
    chosen = rng.sample(specs, min(3, len(specs)))
    rows = []
    for spec in chosen:
        colour = (rng.randrange(120, 220), rng.randrange(80, 160), rng.randrange(40, 110))
        rows.append({"material_id": spec.id, "image": carton_png(48, colour),
                     "content_type": "image/png", "file_name": f"{spec.part_number}.png",
                     "width": 48, "height": 48, "notes": "demo picture"})
    return rows
