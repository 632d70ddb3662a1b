"""The WICS data model (SQLAlchemy 2.x typed models). Import models from here."""
from .alerts import Alert, WorkstationOutbox
from .base import Base, utc_now
from .counting import ActualCount, CountReview, CountSchedule, DeletedCount
from .material import (
    UNKNOWN_PART_TYPE,
    ManufacturerPartNumber,
    Material,
    MaterialPhoto,
    PartType,
)
from .organization import Organization, SapPlant, UnitOfMeasure
from .sap import SapStock
from .sync import AttentionCount, OutboxCount, SyncState
from .system import (
    ROLES,
    AuditLog,
    CounterCapacity,
    Greeting,
    Holiday,
    LocationZone,
    MenuGroup,
    MenuItem,
    Parameter,
    User,
    WorksheetZone,
)

__all__ = [
    "Base", "utc_now", "ActualCount", "CountReview", "CountSchedule", "DeletedCount",
    "UNKNOWN_PART_TYPE", "ManufacturerPartNumber", "Material", "MaterialPhoto", "PartType",
    "Organization", "SapPlant", "UnitOfMeasure", "SapStock", "ROLES", "AuditLog", "CounterCapacity",
    "Greeting", "Holiday",
    "LocationZone", "MenuGroup", "MenuItem", "Parameter", "User", "WorksheetZone",
    "AttentionCount", "OutboxCount", "SyncState", "Alert", "WorkstationOutbox",
]
