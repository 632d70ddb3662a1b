"""The count schedule (what to count when) and actual counts (what was found)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Double, SyncedTimestamps, Timestamps, table_args
from .material import Material


class CountSchedule(SyncedTimestamps, Base):
    """A plan (or a request, when requested_by_id is set) to count a material on a date."""

    __tablename__ = "count_schedule"
    __table_args__ = table_args(
        # One entry per material per day: the database is the final guard (two workstations).
        UniqueConstraint("count_date", "material_id"),
        Index("ix_count_schedule_material_id", "material_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    count_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials.id", ondelete="RESTRICT"), nullable=False
    )
    requestor: Mapped[str | None] = mapped_column(String(100))
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    request_filled: Mapped[bool | None] = mapped_column(Boolean)
    counter: Mapped[str | None] = mapped_column(String(250))
    priority: Mapped[str | None] = mapped_column(String(50))
    reason: Mapped[str | None] = mapped_column(String(250))
    notes: Mapped[str | None] = mapped_column(String(1000))

    material: Mapped[Material] = relationship()


class ActualCount(SyncedTimestamps, Base):
    """One physical observation: where a material was found and, unless location-only, how many."""

    __tablename__ = "actual_counts"
    __table_args__ = table_args(
        Index("ix_actual_counts_count_date_material_id", "count_date", "material_id"),
        # Last count date / last found at per material: max(count_date) by material.
        Index("ix_actual_counts_material_id_count_date", "material_id", "count_date"),
        Index("ix_actual_counts_location", "location"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Made by the workstation that typed the count: syncing an offline count twice stores it once.
    uuid: Mapped[str] = mapped_column(String(36), nullable=False, unique=True)
    count_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    cycle_count_id: Mapped[str | None] = mapped_column(String(100))
    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials.id", ondelete="RESTRICT"), nullable=False
    )
    counter: Mapped[str] = mapped_column(String(250), nullable=False)
    location_only: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default="0"
    )
    # Exactly as typed ("1080*4+791"): the evidence. `quantity` is its value, computed once at
    # write time by the one evaluator, so every total is an SQL SUM. NULL for location-only.
    expression: Mapped[str | None] = mapped_column(String(500))
    quantity: Mapped[float | None] = mapped_column(Double)
    location: Mapped[str] = mapped_column(String(250), nullable=False)
    package_id: Mapped[str | None] = mapped_column(String(250))
    tag_qty: Mapped[str | None] = mapped_column(String(250))
    possibly_not_received: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default="0"
    )
    movement_during_count: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default="0"
    )
    notes: Mapped[str | None] = mapped_column(String(1000))
    entered_by: Mapped[str | None] = mapped_column(String(150))
    workstation: Mapped[str | None] = mapped_column(String(100))

    material: Mapped[Material] = relationship()


class DeletedCount(Timestamps, Base):
    """The uuid of a count someone deleted, so it is not stored again under the same uuid.

    A uuid names one count for good: importing the same counts file again (its rows' uuids come
    from their content) or sending an offline count a second time after an interrupted push
    must not bring back a count a supervisor deleted in between."""

    __tablename__ = "deleted_counts"
    __table_args__ = table_args()

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    count_id: Mapped[int | None] = mapped_column(Integer)  # its id when it was deleted
    deleted_by: Mapped[str | None] = mapped_column(String(150))
    workstation: Mapped[str | None] = mapped_column(String(100))


class CountReview(Timestamps, Base):
    """A supervisor's decision on a material's count result of one day (the counting loop):
    `approved` (the difference is accepted, the recount flag clears) or `recount` (scheduled
    again for `recount_date`, `blind` = its count sheet leaves the book quantity out).

    One decision per material and day: a later decision replaces the earlier one (both are in
    the audit log). The recount's own schedule entry is an ordinary count_schedule row with
    reason Recount; `recount_date` links it back here, so the next day's summary can put the
    earlier count beside the recount."""

    __tablename__ = "count_reviews"
    __table_args__ = table_args(
        UniqueConstraint("material_id", "count_date"),
        Index("ix_count_reviews_recount_date", "recount_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials.id", ondelete="CASCADE"), nullable=False
    )
    count_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    decision: Mapped[str] = mapped_column(String(20), nullable=False)  # approved | recount
    recount_date: Mapped[dt.date | None] = mapped_column(Date)
    blind: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default="1")
    decided_by: Mapped[str | None] = mapped_column(String(150))
    workstation: Mapped[str | None] = mapped_column(String(100))
