"""Qt-free domain layer: models, database access, business rules, imports, reports, sync."""
