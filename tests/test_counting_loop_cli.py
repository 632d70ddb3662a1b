"""`wics count add` with packs, `wics count approve`, `wics recount schedule` and the count
summary's value/recount keys, in-process on both databases: exit codes and JSON."""
from __future__ import annotations

import json

import pytest

from wics_desktop.cli import main
from wics_desktop.core.models import Material

from core_fixtures import D1, count, material, org_id, sap, sched, setup_orgs


@pytest.fixture
def wics(db, capsys):
    url = db.url.render_as_string(hide_password=False)

    def run(*args):
        capsys.readouterr()
        try:
            code = main(["--db", url, *args])
        except SystemExit as usage:  # argparse: a usage error
            code = usage.code
        out, err = capsys.readouterr()
        run.out = out
        doc = json.loads(out) if "--json" in args and out.strip() else None
        return code, doc, err
    return run


@pytest.fixture
def world(db):
    with db.session() as s:
        setup_orgs(s)
        l10 = org_id(s, "L10")
        ids = {"BOXED": material(s, "BOXED", typical_pallet_qty="40 ctn/plt",
                                 typical_container_qty="12/ctn"),
               "LOOSE": material(s, "LOOSE"), "SHORT": material(s, "SHORT")}
        for mid in ids.values():
            s.get(Material, mid).price = 100.0
        sched(s, ids["SHORT"], day=D1, counter="Sched")
        count(s, ids["SHORT"], day=D1, expr="50", counter="Chris")  # 50 of 100: recount
        sap(s, ids["SHORT"], l10, D1, 100)
        sched(s, ids["LOOSE"], day=D1)  # scheduled, never counted
    return ids


def test_count_add_with_packs_reports_the_expansion(wics, world):
    code, doc, err = wics("count", "add", "--date", "2026-11-20", "--material", "BOXED",
                          "--counter", "Chris", "--location", "D2", "--qty", "3P+2C+17", "--json")
    assert code == 0, err
    assert (doc["quantity"], doc["expanded"]) == (161, "3*40+2*12+17")
    code, doc, _ = wics("count", "add", "--date", "2026-11-20", "--material", "LOOSE",
                        "--counter", "Chris", "--location", "D2", "--qty", "3P", "--json")
    assert code == 3 and "Typical pallet qty" in doc["error"]
    code, doc, _ = wics("count", "add", "--date", "2026-11-20", "--material", "LOOSE",
                        "--counter", "Chris", "--location", "D2", "--qty", "0x10", "--json")
    assert code == 3 and "hexadecimal" in doc["error"]


def test_human_output_shows_the_expansion(wics, world):
    code, _, err = wics("count", "add", "--date", "2026-11-20", "--material", "BOXED",
                        "--counter", "Chris", "--location", "D2", "--qty", "1P+1")
    assert code == 0, err
    assert "1P+1 = 1*40+1 = 41" in wics.out


def test_summary_json_carries_value_and_recount(wics, world):
    code, doc, err = wics("report", "count-summary", "--date", "2026-11-19", "--json")
    assert code == 0, err
    l10 = doc["orgs"][0]
    short = l10["sections"][0]["materials"][0]
    assert (short["material"], short["unit_value"], short["diff_value"], short["currency"],
            short["recount"], short["approved"]) == ("SHORT", 100.0, -5000.0, None, True, False)
    loose = l10["sections"][2]["materials"][0]
    assert (loose["material"], loose["recount"], loose["diff_value"]) == ("LOOSE", None, 0.0)
    assert (l10["diff_value_total"], l10["abs_diff_value_total"]) == (-5000.0, 5000.0)


def test_approve_then_recount_schedules_nothing(wics, world):
    code, doc, err = wics("count", "approve", "--date", "2026-11-19", "--material", "SHORT",
                          "--json")
    assert code == 0, err
    assert doc == {"material": "SHORT", "count_date": "2026-11-19", "approved": True,
                   "changed": True}
    code, doc, _ = wics("report", "count-summary", "--date", "2026-11-19", "--json")
    short = doc["orgs"][0]["sections"][0]["materials"][0]
    assert (short["recount"], short["approved"]) == (False, True)
    code, doc, _ = wics("recount", "schedule", "--date", "2026-11-19", "--json")
    assert code == 0 and (doc["scheduled"], doc["skipped"]) == ([], [])


def test_recount_schedule_is_idempotent(wics, world):
    code, doc, err = wics("recount", "schedule", "--date", "2026-11-19", "--json")
    assert code == 0, err
    assert doc == {"scheduled": ["SHORT"], "skipped": []}  # the contract's shape exactly
    code, doc, _ = wics("recount", "schedule", "--date", "2026-11-19", "--json")
    assert code == 0 and doc["scheduled"] == []
    assert doc["skipped"] == [{"material": "SHORT",
                               "reason": "a recount is already scheduled for 2026-11-20"}]
    code, doc, _ = wics("report", "worksheet", "--date", "2026-11-20", "--json")
    line = doc["groups"][0]["materials"][0]
    assert (line["material"], line["counter"], line["reason"]) == ("SHORT", "Chris", "Recount")
    assert line["blind"] is True and "sap_qty" not in line
    code, doc, _ = wics("recount", "schedule", "--date", "2026-11-19", "--for", "2026-11-24",
                        "--json")
    assert code == 0 and doc["scheduled"] == ["SHORT"]  # another day is another recount


@pytest.mark.parametrize(("args", "exit_code", "words"), [
    (["count", "approve", "--date", "2026-11-19", "--material", "LOOSE"], 3, "Not counted"),
    (["count", "approve", "--date", "2026-11-19", "--material", "NOPE"], 3, "NOPE"),
    (["count", "approve", "--date", "19.11.2026", "--material", "SHORT"], 2, "DATE"),
    (["recount", "schedule", "--date", "2026-11-19", "--for", "2026-11-19"], 3, "must be after"),
    (["recount", "schedule"], 2, "--date"),
])
def test_errors_have_the_contract_exit_codes(wics, world, args, exit_code, words):
    code, doc, err = wics(*args, "--json")
    assert code == exit_code
    text = doc["error"] if doc else err
    assert words in text and "Traceback" not in err


def test_param_set_checks_the_bands_against_each_other(wics, world):
    code, doc, _ = wics("param", "set", "ACCURACY-DANGER", "99", "--json")
    assert code == 3 and "ACCURACY-DANGER <= ACCURACY-WARNING <= ACCURACY-SUCCESS" in doc["error"]
    code, doc, _ = wics("param", "set", "RECOUNT-ABOVE-VALUE", "0", "--json")
    assert code == 0
    code, doc, _ = wics("report", "count-summary", "--date", "2026-11-19", "--json")
    assert doc["orgs"][0]["sections"][0]["materials"][0]["recount"] is True  # 50 % still
