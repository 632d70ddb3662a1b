"""The real WICS-3 export (../shared/data/wics3): load materials, schedule and counts through
the services, then check count totals, sections and last found at against a second, plain
Python computation from the CSV files. Skips when the data is absent."""
from __future__ import annotations

import csv
import datetime as dt
import re
from collections import defaultdict
from fractions import Fraction

import pytest

from wics_desktop.core.reports import count_summary
from wics_desktop.core.services import counts, materials, part_types, schedule
from wics_desktop.core.services.orgs import add_org

from core_fixtures import ACTOR

pytestmark = pytest.mark.slow


def _rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _date(text):
    return dt.datetime.strptime(text.strip(), "%m/%d/%Y").date()


def _location(row):
    parts = [p.strip() for p in (row["BIN/LOC"], row["PLT/POS"]) if p and p.strip()]
    return "_".join(parts) or "(none)"


def _second_way(expr: str) -> Fraction:
    """Plain arithmetic, checked against a whitelist, evaluated with Fractions by Python."""
    text = expr.strip().lstrip("=")
    assert re.fullmatch(r"[0-9+\-*/(). ]+", text), expr
    return eval(re.sub(r"(\d+(?:\.\d+)?)", r"Fraction('\1')", text),
                {"__builtins__": {}, "Fraction": Fraction})


def test_wics3_totals_and_last_found(db, shared_data):
    pts = _rows(shared_data / "PartTypes.csv")
    mats = _rows(shared_data / "MaterialList.csv")
    sched_rows = _rows(shared_data / "CountSched.csv")
    count_rows = _rows(shared_data / "Counts.csv")

    by_old: dict[str, int] = {}
    with db.session() as s:
        add_org(s, ACTOR, "L10")
        pt_names = {}
        for r in pts:
            name = r["L10Whse PartType"].strip()
            part_types.add_part_type(s, ACTOR, name, r["Part Type Priority"] or None,
                                     inactive=r["Inactive Part Type"] == "TRUE")
            pt_names[r["oldID"]] = name
        seen: dict[str, int] = {}
        for r in mats:
            part = r["Material"].strip()
            if part in seen:  # 1115416 is listed twice: one material
                by_old[r["oldID"]] = seen[part]
                continue
            m = materials.create_material(s, ACTOR, materials.MaterialInput(
                org="L10", part_number=part, description=r["Description"],
                part_type=pt_names.get(r["PartTypeID"]), price=r["Price"] or None,
                price_unit=r["Price Unit"] or None, notes=r["Notes"]))
            by_old[r["oldID"]] = seen[part] = m.id
    with db.session() as s:
        for r in sched_rows:
            schedule.add_entry(s, ACTOR, schedule.ScheduleInput(
                count_date=_date(r["CountDate"]), material_id=by_old[r["MaterialID"]],
                counter=r["Counter"], priority=r["Priority"], reason=r["Reason Scheduled"],
                notes=r["Notes"]))
    with db.session() as s:
        for r in count_rows:
            expr = r["CTD QTY Expr"].strip()
            counts.add_count(s, ACTOR, counts.CountInput(
                count_date=_date(r["CountDate"]), material_id=by_old[r["MaterialID"]],
                counter=r["Counter"], location=_location(r), expression=expr or None,
                location_only=not expr, package_id=r["PKG ID/Desc"], tag_qty=r["TAG QTY"],
                notes=r["Notes"]))

    # ---- the second way: straight from the CSV rows ---------------------------------------
    totals: dict[tuple[dt.date, int], Fraction] = defaultdict(Fraction)
    any_count: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for r in count_rows:
        day, mid, expr = _date(r["CountDate"]), by_old[r["MaterialID"]], r["CTD QTY Expr"].strip()
        any_count[mid].append((day, _location(r)))
        if expr:
            totals[(day, mid)] += _second_way(expr)
    scheduled = {(_date(r["CountDate"]), by_old[r["MaterialID"]]) for r in sched_rows}
    expected_found = {}
    for mid, seen_at in any_count.items():
        last = max(d for d, _ in seen_at)
        expected_found[mid] = (last, sorted({loc for d, loc in seen_at if d == last}))

    with db.session() as s:
        found = counts.last_found(s)
        assert {mid: (f.last_count_date, f.locations) for mid, f in found.items()} == expected_found
        dates = sorted({d for d, _ in totals} | {d for d, _ in scheduled})
        got_totals, got_sections = {}, defaultdict(set)
        for day in dates:
            report = count_summary.build(s, day)
            for _o, sec, m in report.rows():
                got_sections[sec.title].add((day, m.material_id))
                if sec.title != count_summary.SCHEDULED_NOT_COUNTED:
                    got_totals[(day, m.material_id)] = m.count_total
        # spot-check the one-material function against the same numbers
        for (day, mid) in list(totals)[:50]:
            assert counts.counts_on(s, mid, day).total == totals[(day, mid)]

    assert got_totals == {k: int(v) for k, v in totals.items()}
    counted = set(totals)
    assert got_sections["Scheduled and Counted"] == scheduled & counted
    assert got_sections["Unscheduled"] == counted - scheduled
    assert got_sections["Scheduled but Not Counted"] == scheduled - counted
    assert len(count_rows) == 2579 and len(expected_found) > 200
    assert len(scheduled & counted) > 800 and len(counted - scheduled) > 300
