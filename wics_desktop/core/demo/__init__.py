"""Realistic, deterministic demo data for an empty WICS database (`wics demo`, `--demo`).

    from wics_desktop.core import demo
    summary = demo.generate(database, materials=1000, days=30, seed=1)
    print(summary.describe())

Modules: `catalog` (names and words), `families` (kinds of material and their SAP look),
`calendar` (holidays, workdays, the dates filled), `warehouse` (location names), `materials`
(the material master), `stock` (book stock and SAP uploads), `activity` (schedule and counts),
`quantities` (count expressions), `images` (tiny PNGs), `writer` (bulk inserts),
`generator` (`generate` and `DemoSummary`).
"""
from .generator import DemoSummary, generate

__all__ = ["DemoSummary", "generate"]
