"""Count summary: the contract's sections and numbers at their edges, on both databases."""
from __future__ import annotations

import datetime as dt

import pytest

from wics_desktop.core import params
from wics_desktop.core.reports import count_summary
from wics_desktop.core.reports.numbers import Bands, accuracy

from core_fixtures import D1, D2, count, material, org_id, sap, sched, setup_orgs


def _by_material(report):
    return {(o.org, s.title, m.material): m for o, s, m in report.rows()}


@pytest.fixture
def world(db):
    with db.session() as s:
        setup_orgs(s)
        l10 = org_id(s, "L10")
        m = {name: material(s, name, org) for name, org in [
            ("A-100", "L10"), ("B-200", "L10"), ("C-300", "L10"), ("D-400", "L10"),
            ("07001541", "L10"), ("ZERO", "L10")]}
        material(s, "1115416", "L10")  # same part number in two orgs: 'PART (ORG)' names
        m["shared6"] = material(s, "1115416", "L6")
        # A: scheduled and counted over two lines; SAP 5000 (KPC 5)
        sched(s, m["A-100"], counter="Chris", reason="Received Material", requestor="Dana")
        count(s, m["A-100"], expr="1080*4+791", location="D2", counter="Chris")
        count(s, m["A-100"], location="HVC", counter="Pat", location_only=True)
        sap(s, m["A-100"], l10, D1, 5, "KPC")
        # B: counted, not scheduled
        count(s, m["B-200"], expr="10", counter="Pat")
        count(s, m["B-200"], expr="5", counter="Chris")
        count(s, m["B-200"], expr="1", counter="Pat")
        # C: scheduled, location-only counts alone -> not counted
        sched(s, m["C-300"])
        count(s, m["C-300"], location_only=True)
        sap(s, m["C-300"], l10, D1, 8)
        # D: scheduled, never counted, no SAP
        sched(s, m["D-400"], requestor="Lee")
        # ZERO: both zero -> 100 %
        sched(s, m["ZERO"])
        count(s, m["ZERO"], expr="0")
        # L6 material: counted, its org has no SAP upload at all
        count(s, m["shared6"], expr="3")
        # 07001541 counted negative (a correction): accuracy treats it as 0
        count(s, m["07001541"], expr="-4")
        sap(s, m["07001541"], l10, D1, 2)
        # an upload after the count date must not be used
        sap(s, m["B-200"], l10, dt.date(2026, 11, 25), 1000)
        return db, m


def test_sections_and_numbers(world):
    db, m = world
    with db.session() as s:
        report = count_summary.build(s, D2)
    assert [o.org for o in report.orgs] == ["L10", "L6"]
    l10, l6 = report.orgs
    assert l10.sap_date == D1 and l6.sap_date is None
    assert [s.title for s in l10.sections] == ["Scheduled and Counted", "Unscheduled",
                                               "Scheduled but Not Counted"]
    got = {sec.title: [x.material for x in sec.materials] for sec in l10.sections}
    assert got == {"Scheduled and Counted": ["A-100", "ZERO"],
                   "Unscheduled": ["07001541", "B-200"],
                   "Scheduled but Not Counted": ["C-300", "D-400"]}
    assert {sec.title: [x.material for x in sec.materials] for sec in l6.sections} == {
        "Scheduled and Counted": [], "Unscheduled": ["1115416 (L6)"],
        "Scheduled but Not Counted": []}

    rows = _by_material(report)
    a = rows[("L10", "Scheduled and Counted", "A-100")]
    assert (a.count_total, a.sap_total, a.diff, a.accuracy, a.band) == (5111, 5000, 111, 97.83,
                                                                        "warning")
    assert a.counters == ["Chris"]  # location-only lines are not in the summary
    assert [(c.location, c.expression, c.quantity) for c in a.counts] == [("D2", "1080*4+791",
                                                                           5111)]
    assert (a.requestor, a.filled, a.reason) == ("Dana", True, "Received Material")
    b = rows[("L10", "Unscheduled", "B-200")]
    assert (b.count_total, b.sap_total, b.counters) == (16, 0, ["Pat", "Chris"])
    assert (b.accuracy, b.band, b.filled) == (0.0, "danger", None)
    c = rows[("L10", "Scheduled but Not Counted", "C-300")]
    assert (c.count_total, c.sap_total, c.diff, c.accuracy, c.band, c.counts) == (0, 8, -8, None,
                                                                                  None, [])
    z = rows[("L10", "Scheduled and Counted", "ZERO")]
    assert (z.accuracy, z.band) == (100.0, "success")
    neg = rows[("L10", "Unscheduled", "07001541")]
    assert (neg.count_total, neg.diff, neg.accuracy) == (-4, -6, 0.0)
    l6m = rows[("L6", "Unscheduled", "1115416 (L6)")]
    assert (l6m.sap_total, l6m.accuracy) == (0, 0.0)


def test_requests_variant(world):
    db, m = world
    with db.session() as s:
        report = count_summary.build(s, D2, requests=True)
    l10 = report.orgs[0]
    assert {sec.title: [x.material for x in sec.materials] for sec in l10.sections} == {
        "Requested and Counted": ["A-100"], "Requested but Not Counted": ["D-400"]}
    d = l10.sections[1].materials[0]
    assert (d.requestor, d.filled) == ("Lee", False)
    assert [len(sec.materials) for sec in report.orgs[1].sections] == [0, 0]


def test_json_shape_matches_the_contract(world):
    db, _ = world
    with db.session() as s:
        doc = count_summary.build(s, D2).as_dict()
    assert doc["count_date"] == "2026-11-20"
    org = doc["orgs"][0]
    assert set(org) == {"org", "sap_date", "sections", "diff_value_total",
                        "abs_diff_value_total"} and org["sap_date"] == "2026-11-19"
    mat = org["sections"][0]["materials"][0]
    for key in ("material", "org", "part_type", "counters", "count_total", "sap_total", "diff",
                "accuracy", "band", "counts", "unit_value", "diff_value", "currency", "recount",
                "approved"):
        assert key in mat
    assert mat["counts"][0] == {
        "id": mat["counts"][0]["id"], "counter": "Chris", "location": "D2", "location_only": False,
        "expression": "1080*4+791", "quantity": 5111, "package_id": None, "tag_qty": None,
        "notes": None, "possibly_not_received": False, "movement_during_count": False}
    assert isinstance(mat["count_total"], int)


def test_empty_day_lists_every_org_and_section(db):
    with db.session() as s:
        setup_orgs(s)
        report = count_summary.build(s, D2)
    assert [(o.org, [len(x.materials) for x in o.sections]) for o in report.orgs] == [
        ("L10", [0, 0, 0]), ("L6", [0, 0, 0])]


@pytest.mark.parametrize("count_total, sap_total, expected", [
    (0, 0, 100.0), (5, 0, 0.0), (0, 5, 0.0), (-3, 0, 100.0), (-3, 5, 0.0), (5111, 5000, 97.83),
    (1, 3, 33.33), (2, 3, 66.67),
])
def test_accuracy_rule(count_total, sap_total, expected):
    assert accuracy(count_total, sap_total) == expected


def test_bands_parse_decimal_parameters(db):
    with db.session() as s:
        params.set_value(s, params.ACCURACY_SUCCESS, "98.5")
        params.set_value(s, params.ACCURACY_DANGER, "80")
        bands = Bands.from_params(params.get_all(s))
    assert (bands.danger, bands.warning, bands.success) == (80.0, 95.0, 98.5)
    assert [bands.band(a) for a in (79.99, 80.0, 95.0, 95.01, 98.5, 98.51, None)] == [
        "danger", None, None, "warning", "warning", "success", None]


def test_xlsx_one_sheet_with_headers(world, tmp_path):
    from openpyxl import load_workbook

    db, _ = world
    with db.session() as s:
        report = count_summary.build(s, D2)
    out = tmp_path / "summary.xlsx"
    count_summary.to_xlsx(report, out)
    wb = load_workbook(out)
    assert len(wb.sheetnames) == 1
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header[:10] == ["Organization", "Section", "Material", "Description", "Part Type",
                           "Counters", "Count Total", "SAP Total", "Difference", "Accuracy %"]
    assert ws["A1"].font.bold and ws["A1"].fill.start_color.rgb.endswith("808080")
    assert ws.freeze_panes == "A2"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 7
    a = next(r for r in rows if r[2] == "A-100")
    assert a[:3] == ["L10", "Scheduled and Counted", "A-100"] and a[6:10] == [5111, 5000, 111,
                                                                              97.83]
