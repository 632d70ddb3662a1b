"""Reports: plain data built by a handful of set-based queries, printed or exported at the edge."""
from __future__ import annotations


def row_count(report: object) -> int:
    """The material lines a report holds - what its task-log line counts as rows - for every
    kind: count sheets (materials on the sheets), count summary (material lines over all
    organizations and sections), material lists (rows), locations (materials)."""
    count = getattr(report, "material_count", None)
    if isinstance(count, int):
        return count
    rows = getattr(report, "rows", None)
    if callable(rows):
        return sum(1 for _ in rows())
    if rows is not None:
        return len(rows)
    materials = getattr(report, "materials", None)
    return len(materials) if materials is not None else 0
