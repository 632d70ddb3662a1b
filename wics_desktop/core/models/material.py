"""Part types, materials, their photos and manufacturer part numbers."""
from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Double, ImageBytes, SyncedTimestamps, table_args
from .organization import Organization

UNKNOWN_PART_TYPE = "UNKNOWN"


class PartType(SyncedTimestamps, Base):
    __tablename__ = "part_types"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50), nullable=False, unique=True)
    priority: Mapped[int | None] = mapped_column(Integer, index=True)
    inactive: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default="0"
    )

    def __repr__(self) -> str:
        return f"PartType({self.name!r})"


class Material(SyncedTimestamps, Base):
    """One part number as one organization stocks it."""

    __tablename__ = "materials"
    __table_args__ = table_args(
        UniqueConstraint("org_id", "part_number"),
        # The display rule asks "does this part number exist in another org?" per row.
        Index("ix_materials_part_number", "part_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), nullable=False
    )
    part_number: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str] = mapped_column(
        String(250), nullable=False, default="", server_default=""
    )
    part_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("part_types.id", ondelete="RESTRICT"), index=True
    )
    plant: Mapped[str | None] = mapped_column(String(20))
    sap_material_type: Mapped[str | None] = mapped_column(String(100))
    sap_material_group: Mapped[str | None] = mapped_column(String(100))
    sap_manufacturer: Mapped[str | None] = mapped_column(String(100))
    sap_mpn: Mapped[str | None] = mapped_column(String(100))
    sap_abc: Mapped[str | None] = mapped_column(String(5))
    price: Mapped[float | None] = mapped_column(Double)
    price_unit: Mapped[int | None] = mapped_column(Integer, default=1)
    currency: Mapped[str | None] = mapped_column(String(20))
    # Free text on purpose: counters write "48/ctn, 20 ctn/plt".
    typical_container_qty: Mapped[str | None] = mapped_column(String(100))
    typical_pallet_qty: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(String(1000))

    org: Mapped[Organization] = relationship()
    part_type: Mapped[PartType | None] = relationship()
    photos: Mapped[list[MaterialPhoto]] = relationship(
        back_populates="material", cascade="all, delete-orphan", passive_deletes=True
    )
    mpns: Mapped[list[ManufacturerPartNumber]] = relationship(
        back_populates="material", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"Material({self.part_number!r}, org_id={self.org_id})"


class MaterialPhoto(SyncedTimestamps, Base):
    """A photo of a material, stored in the database so every workstation sees it."""

    __tablename__ = "material_photos"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials.id", ondelete="CASCADE"), nullable=False, index=True
    )
    image: Mapped[bytes] = mapped_column(ImageBytes, nullable=False)
    content_type: Mapped[str] = mapped_column(String(50), nullable=False, default="image/jpeg")
    file_name: Mapped[str | None] = mapped_column(String(250))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(String(250))

    material: Mapped[Material] = relationship(back_populates="photos")


class ManufacturerPartNumber(SyncedTimestamps, Base):
    """Manufacturer part number -> material: a clerk may scan the maker's label."""

    __tablename__ = "mpn"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mpn: Mapped[str] = mapped_column(String(250), nullable=False, unique=True)
    manufacturer: Mapped[str | None] = mapped_column(String(250), index=True)
    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials.id", ondelete="CASCADE"), nullable=False, index=True
    )
    notes: Mapped[str | None] = mapped_column(String(250))

    material: Mapped[Material] = relationship(back_populates="mpns")
