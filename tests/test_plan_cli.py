"""`wics plan` in-process on both databases: the contract's JSON, exit 3 on weekends and
holidays, exit 2 on a bad capacity, --apply writing once."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from wics_desktop.cli import main

from core_fixtures import count, material, org_id, sap, setup_orgs

D = "2026-12-03"


@pytest.fixture
def wics(db, capsys):
    with db.session() as s:
        setup_orgs(s)
        l10 = org_id(s, "L10")
        for i, abc in enumerate("AABBC"):
            mid = material(s, f"P-{i}", sap_abc=abc, price=2.0)
            count(s, mid, dt.date(2025, 11, 2), location=f"LOC-{i}", counter="Chris")
            sap(s, mid, l10, dt.date(2026, 12, 1), 10 + i)
    url = db.url.render_as_string(hide_password=False)

    def run(*args):
        capsys.readouterr()
        code = main(["--db", url, *args])
        out, err = capsys.readouterr()
        doc = json.loads(out) if "--json" in args and out.strip() else None
        return code, doc, err
    return run


def test_plan_json_has_the_contracts_shape(wics):
    code, doc, err = wics("plan", "--date", D, "--capacity", "2", "--counters", "Ann,Bob", "--json")
    assert code == 0, err
    assert (doc["date"], doc["applied"]) == (D, False)
    assert len(doc["proposals"]) == 4 and doc["due_left"] == 1
    for p in doc["proposals"]:
        assert {"material", "org", "counter", "reason", "why"} <= set(p)
        assert p["org"] == "L10" and p["reason"] == "Planned" and p["counter"] in ("Ann", "Bob")
    assert sorted(p["counter"] for p in doc["proposals"]) == ["Ann", "Ann", "Bob", "Bob"]
    assert doc["proposals"][0]["why"].endswith("days ago (due every 30)")


@pytest.mark.parametrize("day, next_day", [("2026-12-05", "2026-12-07"),
                                           ("2026-12-25", "2026-12-28")])
def test_weekend_or_holiday_exits_3_naming_the_next_workday(wics, day, next_day):
    assert wics("holiday", "add", "2026-12-25", "--name", "Christmas")[0] == 0
    code, doc, err = wics("plan", "--date", day, "--counters", "Ann", "--json")
    assert code == 3 and f"The next workday is {next_day}" in doc["error"]
    assert f"The next workday is {next_day}" in err


def test_bad_capacity_or_date_is_a_usage_error(wics):
    for args in (["--capacity", "-1"], ["--capacity", "many"], ["--date", "2026-13-45"]):
        with pytest.raises(SystemExit) as exc:
            wics("plan", "--date", D, *args)
        assert exc.value.code == 2


def test_apply_twice_writes_nothing_new(wics):
    code, first, err = wics("plan", "--date", D, "--capacity", "3", "--counters", "Ann",
                            "--apply", "--json")
    assert code == 0, err
    assert (first["applied"], first["written"], len(first["proposals"])) == (True, 3, 3)
    code, again, _ = wics("plan", "--date", D, "--capacity", "3", "--counters", "Ann",
                          "--apply", "--json")
    assert (code, again["written"], again["proposals"]) == (0, 0, [])
    assert [p["why"] for p in again["already_scheduled"]] == [
        "already scheduled (Planned)"] * 3
    code, sheet, _ = wics("report", "worksheet", "--date", D, "--json")
    assert [(g["counter"], len(g["materials"])) for g in sheet["groups"]] == [("Ann", 3)]
    assert {m["reason"] for m in sheet["groups"][0]["materials"]} == {"Planned"}


def test_human_output_lists_each_counter(wics):
    code, _, _ = wics("plan", "--date", D, "--capacity", "1", "--counters", "Ann")
    assert code == 0


def test_without_counters_on_a_fresh_day_exits_3(wics):
    code, doc, _ = wics("plan", "--date", D, "--json")
    assert code == 3 and "--counters" in doc["error"]
