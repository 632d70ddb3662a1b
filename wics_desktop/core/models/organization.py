"""Organizations, the SAP plants that belong to them, and units of measure."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Double, SyncedTimestamps, Timestamps, table_args


class Organization(SyncedTimestamps, Base):
    """A warehouse organization (L10, L6, ...): part numbers are unique within one."""

    __tablename__ = "organizations"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(250), nullable=False, unique=True)

    plants: Mapped[list[SapPlant]] = relationship(back_populates="org")

    def __repr__(self) -> str:
        return f"Organization({self.name!r})"


class SapPlant(SyncedTimestamps, Base):
    """SAP plant code -> organization (FW61 -> L6)."""

    __tablename__ = "sap_plants"
    __table_args__ = table_args()

    plant: Mapped[str] = mapped_column(String(20), primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), nullable=False, index=True
    )

    org: Mapped[Organization] = relationship(back_populates="plants")


class UnitOfMeasure(Timestamps, Base):
    """SAP base unit and the factor that turns it into counting units (KPC -> x1000)."""

    __tablename__ = "units_of_measure"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uom: Mapped[str] = mapped_column(String(50), nullable=False, unique=True)
    uom_text: Mapped[str | None] = mapped_column(String(100))
    dimension_text: Mapped[str | None] = mapped_column(String(100))
    multiplier: Mapped[float] = mapped_column(
        Double, nullable=False, default=1.0, server_default="1"
    )
