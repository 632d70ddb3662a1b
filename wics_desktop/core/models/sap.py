"""SAP stock on hand (MB52): one dated snapshot per upload date and organization."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Double, Timestamps, table_args
from .material import Material
from .organization import Organization


class SapStock(Timestamps, Base):
    """One MB52 row: a material's book quantity in one storage location (batch, special stock)."""

    __tablename__ = "sap_stock"
    __table_args__ = table_args(
        # Snapshot choice (latest upload <= D per org) and per-material totals of that snapshot.
        Index("ix_sap_stock_upload_date_org_id_material_id",
              "upload_date", "org_id", "material_id"),
        Index("ix_sap_stock_org_id_upload_date", "org_id", "upload_date"),
        Index("ix_sap_stock_material_id_upload_date", "material_id", "upload_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    upload_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), nullable=False
    )
    part_number: Mapped[str] = mapped_column(String(100), nullable=False)
    material_id: Mapped[int | None] = mapped_column(ForeignKey("materials.id", ondelete="SET NULL"))
    description: Mapped[str | None] = mapped_column(String(250))
    plant: Mapped[str | None] = mapped_column(String(20))
    material_type: Mapped[str | None] = mapped_column(String(50))
    storage_location: Mapped[str | None] = mapped_column(String(20))
    base_uom: Mapped[str | None] = mapped_column(String(20))
    amount: Mapped[float] = mapped_column(Double, nullable=False, default=0.0, server_default="0")
    currency: Mapped[str | None] = mapped_column(String(20))
    value_unrestricted: Mapped[float] = mapped_column(
        Double, nullable=False, default=0.0, server_default="0"
    )
    special_stock: Mapped[str | None] = mapped_column(String(20))
    batch: Mapped[str | None] = mapped_column(String(20))
    vendor: Mapped[str | None] = mapped_column(String(20))
    blocked: Mapped[float] = mapped_column(Double, nullable=False, default=0.0, server_default="0")
    value_blocked: Mapped[float] = mapped_column(
        Double, nullable=False, default=0.0, server_default="0"
    )

    org: Mapped[Organization] = relationship()
    material: Mapped[Material | None] = relationship()
