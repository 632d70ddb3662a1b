"""The counting loop (contract): value of a difference, recount or approve, packs - at the
edges, on both databases."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from wics_desktop.core import params
from wics_desktop.core.actor import Actor
from wics_desktop.core.errors import InputRejected, NotPermitted, RuleViolation
from wics_desktop.core.models import AuditLog, CountSchedule, Material
from wics_desktop.core.reports import count_summary, worksheet
from wics_desktop.core.services import holidays, parameters, reviews

from core_fixtures import ACTOR, D1, D2, count, material, org_id, sap, sched, setup_orgs

SUPERVISOR = Actor(username="sue", workstation="WS-2", role="supervisor")
CLERK = Actor(username="carl", workstation="WS-3", role="clerk")
# D2 is Friday 2026-11-20: the next workday is Monday 2026-11-23 (Tuesday with a holiday)
MONDAY, TUESDAY = dt.date(2026, 11, 23), dt.date(2026, 11, 24)


def _price(s, material_id, price, unit, currency="USD"):
    m = s.get(Material, material_id)
    m.price, m.price_unit, m.currency = price, unit, currency
    s.flush()


@pytest.fixture
def loop(db):
    """Materials on D2 (all in L10 unless said), each at one edge of the rules:
    PLAIN    counted 90 / SAP 100, price 25 per 1 -> diff -10, value -250, accuracy 90.0 (not below)
    PER100   counted 120 / SAP 100, price 50 per 100 -> unit 0.5, value +10, accuracy 83.33
    UNIT0    counted 95 / SAP 100, price 300 per 0 (-> 1) -> value -1500 (> 1000), accuracy 95
    BLANK    counted 100 / SAP 100, price 7 per blank (-> 1) -> value 0, accuracy 100
    NOPRICE  counted 10 / SAP 100: no price -> no value, accuracy 10 -> recount
    EDGE     counted 99 / SAP 100, price 1000 per 1 -> value -1000 exactly: not above
    UNCOUNTED scheduled, not counted, SAP 4 at price 2 -> value -8, recount None
    EUR6     L6, counted 5 / SAP 0, price 3 EUR -> +15"""
    with db.session() as s:
        setup_orgs(s)
        l10 = org_id(s, "L10")
        ids = {}
        for name, counted, book, price, unit in [
                ("PLAIN", "90", 100, 25.0, 1), ("PER100", "120", 100, 50.0, 100),
                ("UNIT0", "95", 100, 300.0, 0), ("BLANK", "100", 100, 7.0, None),
                ("NOPRICE", "10", 100, None, 1), ("EDGE", "99", 100, 1000.0, 1)]:
            ids[name] = material(s, name)
            _price(s, ids[name], price, unit)
            sched(s, ids[name], counter="Sched")
            count(s, ids[name], expr=counted, counter="Chris")
            sap(s, ids[name], l10, D1, book)
        ids["UNCOUNTED"] = material(s, "UNCOUNTED")
        _price(s, ids["UNCOUNTED"], 2.0, 1)
        sched(s, ids["UNCOUNTED"], counter="Pat")
        sap(s, ids["UNCOUNTED"], l10, D1, 4)
        ids["EUR6"] = material(s, "EUR6", "L6")
        _price(s, ids["EUR6"], 3.0, 1, "EUR")
        count(s, ids["EUR6"], expr="5", counter="Lee")
    return db, ids


def _rows(report):
    return {m.material: m for _, _, m in report.rows()}


def test_value_of_each_difference_at_its_edges(loop):
    db, _ = loop
    with db.session() as s:
        rows = _rows(count_summary.build(s, D2))
    got = {k: (m.unit_value, m.diff_value, m.currency) for k, m in rows.items()}
    assert got == {
        "PLAIN": (25.0, -250.0, "USD"), "PER100": (0.5, 10.0, "USD"),
        "UNIT0": (300.0, -1500.0, "USD"), "BLANK": (7.0, 0.0, "USD"),
        "NOPRICE": (None, None, "USD"), "EDGE": (1000.0, -1000.0, "USD"),
        "UNCOUNTED": (2.0, -8.0, "USD"), "EUR6": (3.0, 15.0, "EUR")}


def test_section_and_org_totals_skip_nulls_and_may_be_negative(loop):
    db, _ = loop
    with db.session() as s:
        doc = count_summary.build(s, D2).as_dict()
    l10, l6 = doc["orgs"]
    counted, unscheduled, not_counted = l10["sections"]
    # -250 + 10 - 1500 + 0 - 1000 (NOPRICE skipped)
    assert (counted["diff_value_total"], counted["abs_diff_value_total"]) == (-2740.0, 2760.0)
    assert (unscheduled["diff_value_total"], unscheduled["abs_diff_value_total"]) == (0.0, 0.0)
    assert (not_counted["diff_value_total"], not_counted["abs_diff_value_total"]) == (-8.0, 8.0)
    assert (l10["diff_value_total"], l10["abs_diff_value_total"]) == (-2748.0, 2768.0)
    assert (l6["diff_value_total"], l6["abs_diff_value_total"]) == (15.0, 15.0)


def test_recount_flags_at_both_thresholds(loop):
    db, _ = loop
    with db.session() as s:
        rows = _rows(count_summary.build(s, D2))
    got = {k: m.recount for k, m in rows.items()}
    assert got == {"PLAIN": False,  # accuracy 90.0 is not below 90; |250| is not above 1000
                   "PER100": True,  # 83.33 < 90
                   "UNIT0": True,  # |-1500| > 1000 at accuracy 95
                   "BLANK": False, "NOPRICE": True,  # no value, but 10 % accurate
                   "EDGE": False,  # |-1000| is not above 1000
                   "UNCOUNTED": None, "EUR6": True}  # counted 5 against 0: accuracy 0
    assert not any(m.approved for m in rows.values())


def test_thresholds_come_from_the_parameters_and_zero_turns_the_value_off(loop):
    db, _ = loop
    with db.session() as s:
        parameters.set_parameters(s, ACTOR, {"RECOUNT-ABOVE-VALUE": "0",
                                             "RECOUNT-BELOW-ACCURACY": "90.01"})
        rows = _rows(count_summary.build(s, D2))
    assert rows["UNIT0"].recount is False  # the value rule is off
    assert rows["PLAIN"].recount is True  # 90.0 < 90.01


def test_approve_clears_the_flag_and_is_audited(loop):
    db, ids = loop
    with db.session() as s:
        done = reviews.approve(s, SUPERVISOR, D2, [ids["UNIT0"], ids["PER100"]])
        assert [(a.material, a.changed) for a in done] == [("PER100", True), ("UNIT0", True)]
        again = reviews.approve(s, SUPERVISOR, D2, [ids["UNIT0"]])
        assert again[0].changed is False
    with db.session() as s:
        rows = _rows(count_summary.build(s, D2))
        audits = s.scalars(select(AuditLog.entity_key).where(AuditLog.entity == "count_review")
                           .order_by(AuditLog.id)).all()
    assert (rows["UNIT0"].recount, rows["UNIT0"].approved) == (False, True)
    assert (rows["PLAIN"].recount, rows["PLAIN"].approved) == (False, False)
    assert len(audits) == 2 and audits[0].endswith("@2026-11-20")


def test_approve_refuses_an_uncounted_material_and_a_clerk(loop):
    db, ids = loop
    with db.session() as s:
        with pytest.raises(RuleViolation, match="Not counted on 2026-11-20.*UNCOUNTED"):
            reviews.approve(s, SUPERVISOR, D2, [ids["UNCOUNTED"]])
        with pytest.raises(NotPermitted, match="supervisor"):
            reviews.approve(s, CLERK, D2, [ids["PLAIN"]])
        with pytest.raises(NotPermitted):
            reviews.schedule_recounts(s, CLERK, D2)


def test_schedule_all_recounts_next_workday_same_counter_idempotent(loop):
    db, ids = loop
    with db.session() as s:
        holidays.add_holiday(s, ACTOR, MONDAY, "Closed")
        reviews.approve(s, SUPERVISOR, D2, [ids["EUR6"]])  # approved: not recounted
        result = reviews.schedule_recounts(s, SUPERVISOR, D2)
    assert result.for_date == TUESDAY  # Friday -> weekend -> holiday Monday -> Tuesday
    assert result.scheduled == ["NOPRICE", "PER100", "UNIT0"] and result.skipped == []
    with db.session() as s:
        entries = s.execute(select(CountSchedule.material_id, CountSchedule.counter,
                                   CountSchedule.reason)
                            .where(CountSchedule.count_date == TUESDAY)).all()
        assert sorted(entries) == sorted((ids[k], "Chris", "Recount")
                                         for k in ("NOPRICE", "PER100", "UNIT0"))
        again = reviews.schedule_recounts(s, SUPERVISOR, D2)
    assert again.scheduled == []
    assert [x["material"] for x in again.skipped] == ["NOPRICE", "PER100", "UNIT0"]
    assert "already scheduled for 2026-11-24" in again.skipped[0]["reason"]


def test_recount_of_chosen_materials_with_another_counter(loop):
    db, ids = loop
    with db.session() as s:
        result = reviews.schedule_recounts(s, SUPERVISOR, D2, dt.date(2026, 11, 25),
                                           [ids["PLAIN"], ids["UNCOUNTED"]], counter="Robin",
                                           blind=False)
        assert result.scheduled == ["PLAIN"]  # not flagged, but the supervisor doubts it
        assert result.skipped == [{"material": "UNCOUNTED", "reason": "not counted on 2026-11-20"}]
        counter = s.scalar(select(CountSchedule.counter).where(
            CountSchedule.count_date == dt.date(2026, 11, 25)))
        assert counter == "Robin"
        assert reviews.blind_recounts(s, dt.date(2026, 11, 25)) == set()
        with pytest.raises(InputRejected, match="must be after"):
            reviews.schedule_recounts(s, SUPERVISOR, D2, D2)


def test_the_recount_day_shows_the_earlier_count_beside_the_recount(loop):
    db, ids = loop
    with db.session() as s:
        result = reviews.schedule_recounts(s, SUPERVISOR, D2, MONDAY)
        count(s, ids["PER100"], day=MONDAY, expr="100", counter="Chris")
        assert reviews.blind_recounts(s, MONDAY) == {ids["NOPRICE"], ids["PER100"],
                                                     ids["UNIT0"], ids["EUR6"]}
    assert "EUR6" in result.scheduled
    with db.session() as s:
        rows = _rows(count_summary.build(s, MONDAY))
        before = _rows(count_summary.build(s, D2))
    per = rows["PER100"]
    assert per.count_total == 100 and per.reason == "Recount"
    assert [(e.count_date, e.count_total, e.accuracy) for e in per.earlier] == [(D2, 120, 83.33)]
    assert [c.expression for c in per.earlier[0].counts] == ["120"]
    assert rows["UNIT0"].earlier[0].count_total == 95 and rows["UNIT0"].counts == []
    assert before["PER100"].recount_for == MONDAY


def test_recount_lines_print_blind_on_the_count_sheet(loop):
    db, ids = loop
    with db.session() as s:
        reviews.schedule_recounts(s, SUPERVISOR, D2, MONDAY, [ids["PER100"]])
        reviews.schedule_recounts(s, SUPERVISOR, D2, MONDAY, [ids["PLAIN"]], blind=False)
        sched(s, ids["BLANK"], day=MONDAY)
        sap(s, ids["BLANK"], org_id(s, "L10"), D2, 100)
        sap(s, ids["PER100"], org_id(s, "L10"), D2, 100)
        sheet = worksheet.build(s, MONDAY)
    lines = {m.material: m for g in sheet.groups for m in g.materials}
    assert lines["PER100"].sap_qty is None and lines["PER100"].blind  # blind recount
    assert lines["PLAIN"].sap_qty == 0 and lines["PLAIN"].blind is False  # sent not blind
    assert lines["BLANK"].sap_qty == 100 and not lines["BLANK"].blind
    doc = sheet.as_dict()
    per = next(m for g in doc["groups"] for m in g["materials"] if m["material"] == "PER100")
    assert "sap_qty" not in per


@pytest.mark.parametrize(("changes", "message"), [
    ({"ACCURACY-DANGER": "101"}, "ACCURACY-DANGER is a percentage: it must be between 0 and 100"),
    ({"RECOUNT-BELOW-ACCURACY": "-1"}, "RECOUNT-BELOW-ACCURACY is a percentage"),
    ({"ACCURACY-WARNING": "99"}, "ACCURACY-DANGER <= ACCURACY-WARNING <= ACCURACY-SUCCESS "
                                 r"\(would be ACCURACY-DANGER = 90, ACCURACY-WARNING = 99, "
                                 r"ACCURACY-SUCCESS = 98.5\)"),
    ({"ACCURACY-DANGER": "96"}, "must be in order"),
    ({"RECOUNT-ABOVE-VALUE": "-5"}, "RECOUNT-ABOVE-VALUE must be 0 \\(off\\) or more"),
    ({"RECOUNT-ABOVE-VALUE": "lots"}, "RECOUNT-ABOVE-VALUE must be a number"),
    ({"ACCURACY-SUCCESS": "nan"}, "ACCURACY-SUCCESS must be a number"),
])
def test_accuracy_parameters_are_checked_against_each_other(db, changes, message):
    with db.session() as s:
        with pytest.raises(InputRejected, match=message):
            parameters.set_parameters(s, ACTOR, changes)


def test_parameters_changed_together_are_checked_together(db):
    with db.session() as s:
        # raising DANGER to 96 alone breaks the order; with WARNING 97 in the same save it holds
        parameters.set_parameters(s, ACTOR, {"ACCURACY-DANGER": "96", "ACCURACY-WARNING": "97"})
        values = params.get_all(s)
    assert (values["ACCURACY-DANGER"], values["ACCURACY-WARNING"]) == ("96", "97")
    assert params.spec("RECOUNT-BELOW-ACCURACY").default == "90"
    assert params.spec("RECOUNT-ABOVE-VALUE").default == "1000"


def test_a_pack_count_is_stored_as_typed_with_its_value(db):
    from wics_desktop.core.services import counts, materials

    with db.session() as s:
        setup_orgs(s)
        mid = material(s, "PACKED", typical_pallet_qty="40 ctn/plt", typical_container_qty="12/ctn")
        bare = material(s, "BARE")
        line = count(s, mid, expr="3P+2C+17")
        assert (line.expression, line.quantity) == ("3P+2C+17", 161)
        with pytest.raises(InputRejected, match="no container quantity in 'Typical container qty'"):
            count(s, bare, expr="2c")
        with pytest.raises(InputRejected, match="hexadecimal"):
            count(s, mid, expr="0x10")
        # the material's typical quantity changes later: the stored count keeps its value
        materials.update_material(s, ACTOR, mid, typical_pallet_qty="50/plt")
        assert counts.get_count(s, line.id).quantity == 161
        assert counts.packs_of(s, mid).pallet == 50


def test_xlsx_carries_value_recount_band_words_and_colours(loop, tmp_path):
    from openpyxl import load_workbook

    db, ids = loop
    with db.session() as s:
        reviews.approve(s, SUPERVISOR, D2, [ids["UNIT0"]])
        report = count_summary.build(s, D2)
    out = tmp_path / "summary.xlsx"
    count_summary.to_xlsx(report, out)
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    rows = {r[2].value: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2)}
    per = rows["PER100"]
    assert per["Band"].value == "below danger"  # the words a supervisor reads, not 'danger'
    assert per["Band"].fill.start_color.rgb.endswith("F4C7C3")
    assert per["Accuracy %"].fill.start_color.rgb.endswith("F4C7C3")
    assert (per["Unit Value"].value, per["Difference Value"].value, per["Currency"].value,
            per["Recount"].value, per["Approved"].value) == (0.5, 10, "USD", "yes", "no")
    assert (rows["UNIT0"]["Recount"].value, rows["UNIT0"]["Approved"].value) == ("no", "yes")
    assert rows["UNIT0"]["Band"].value == "no band"  # 95 % is not above WARNING 95
    assert rows["NOPRICE"]["Difference Value"].value is None
    assert rows["UNCOUNTED"]["Band"].value is None and rows["UNCOUNTED"]["Recount"].value is None


def test_a_deleted_recount_entry_puts_the_material_back_to_decide(loop):
    from wics_desktop.core.services import schedule

    db, ids = loop
    with db.session() as s:
        reviews.schedule_recounts(s, SUPERVISOR, D2, MONDAY, [ids["PER100"]])
        entry = schedule.entry_for(s, ids["PER100"], MONDAY)
        assert _rows(count_summary.build(s, D2))["PER100"].recount_for == MONDAY
        schedule.delete_entry(s, ACTOR, entry.id)
        per = _rows(count_summary.build(s, D2))["PER100"]
        assert (per.recount, per.recount_for) == (True, None)
        again = reviews.schedule_recounts(s, SUPERVISOR, D2, MONDAY, [ids["PER100"]])
    assert again.scheduled == ["PER100"]


def test_a_recount_day_costs_the_same_queries_for_one_recount_or_many(loop, count_queries):
    db, ids = loop
    with db.session() as s:
        reviews.schedule_recounts(s, SUPERVISOR, D2, MONDAY, [ids["PER100"]])
        with count_queries(db.engine) as one:
            count_summary.build(s, MONDAY)
        reviews.schedule_recounts(s, SUPERVISOR, D2, MONDAY)  # the other flagged ones too
        with count_queries(db.engine) as many:
            report = count_summary.build(s, MONDAY)
    assert len([m for _, _, m in report.rows() if m.earlier]) == 4
    assert one.count == many.count <= 12  # 8, plus the earlier counts and their SAP snapshot
