"""What every report shows about a material, fetched for a whole set in one query."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..display import display_name_sql
from ..models import Material, Organization, PartType
from ..services.material_lookup import MaterialSet, restrict_to


@dataclass(slots=True)
class MaterialInfo:
    id: int
    material: str  # display name
    part_number: str
    org_id: int
    org: str
    part_type: str | None
    description: str
    notes: str | None
    typical_container_qty: str | None
    typical_pallet_qty: str | None
    price: float | None = None
    price_unit: int | None = None
    currency: str | None = None


def material_info(session: Session,
                  materials: MaterialSet | None = None) -> dict[int, MaterialInfo]:
    """Material id -> MaterialInfo for `materials` (None = all, a list of ids, or a SELECT of
    distinct ids)."""
    q = (select(Material.id, display_name_sql(), Material.part_number, Material.org_id,
                Organization.name, PartType.name, Material.description, Material.notes,
                Material.typical_container_qty, Material.typical_pallet_qty, Material.price,
                Material.price_unit, Material.currency)
         .join(Organization, Organization.id == Material.org_id)
         .outerjoin(PartType, PartType.id == Material.part_type_id))
    q = restrict_to(q, Material.id, materials)
    return {row[0]: MaterialInfo(row[0], row[1], row[2], row[3], row[4], row[5], row[6] or "",
                                 *row[7:]) for row in session.execute(q)}


def org_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Organization.id, Organization.name)).all())
