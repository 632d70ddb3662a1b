"""`wics migrate wics3`: a WICS-3 site moved from its database or its CSV exports, checked
against the same numbers computed straight from the CSV files, and repeatable."""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from fractions import Fraction

import pytest
from sqlalchemy import func, select
from test_wics3_data import _date, _rows, _second_way

from wics_desktop.cli import main
from wics_desktop.core import params
from wics_desktop.core.errors import InputRejected
from wics_desktop.core.migrate_wics3 import migrate, read_csv_dir, read_database
from wics_desktop.core.models import ActualCount, CountSchedule, Greeting, Material, User
from wics_desktop.core.reports import count_summary
from wics_desktop.core.services import counts, materials, sap, users
from wics_desktop.core.services.orgs import add_org

from core_fixtures import ACTOR
from wics3_source import create_wics3_database, fill_from_csv, location

pytestmark = pytest.mark.slow


def _expected(folder):
    """Totals per (date, part number) and last found at per part number, from the CSVs alone."""
    part_of = {r["oldID"]: r["Material"] for r in _rows(folder / "MaterialList.csv")}
    totals: dict[tuple[dt.date, str], Fraction] = defaultdict(Fraction)
    seen: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for r in _rows(folder / "Counts.csv"):
        day, part, expr = _date(r["CountDate"]), part_of[r["MaterialID"]], r["CTD QTY Expr"].strip()
        seen[part].append((day, location(r)))
        if expr:
            totals[(day, part)] += _second_way(expr)
    found = {}
    for part, places in seen.items():
        last = max(d for d, _ in places)
        found[part] = (last, sorted({loc for d, loc in places if d == last}))
    return {k: int(v) for k, v in totals.items()}, found


def _check_against_csv(db, folder):
    totals, found = _expected(folder)
    with db.session() as s:
        part = dict(s.execute(select(Material.id, Material.part_number)).all())
        got_found = {part[mid]: (f.last_count_date, f.locations)
                     for mid, f in counts.last_found(s).items()}
        assert got_found == found
        got = {}
        for day in sorted({d for d, _ in totals}):
            for _o, sec, m in count_summary.build(s, day).rows():
                if sec.title != count_summary.SCHEDULED_NOT_COUNTED:
                    got[(day, part[m.material_id])] = m.count_total
        assert got == totals
        assert s.scalar(select(func.count()).select_from(ActualCount)) == 2579


def test_csv_dir_migrates_and_matches_the_csv_numbers(db, shared_data):
    site = read_csv_dir(shared_data)
    result = migrate(db, ACTOR, site)
    assert result.written["materials"] == 694 and result.written["actual_counts"] == 2579
    assert result.written["count_schedule"] == 1088
    dup = [p for p in result.problems if p.value == "1115416"]
    assert dup and "listed twice" in dup[0].message and dup[0].table == "MaterialList.csv"
    _check_against_csv(db, shared_data)
    with db.session() as s:  # leading zeros and thousands separators survive
        m = s.scalar(select(Material).where(Material.part_number == "02012MW00-600-G"))
        assert m.price == 302230.0 and m.price_unit == 1000
        assert s.scalar(select(Material.id).where(Material.part_number == "07001541"))

    again = migrate(db, ACTOR, read_csv_dir(shared_data))  # idempotent: twice = once
    assert sum(again.written.values()) == 0
    assert again.matched["actual_counts"] == 2579 and again.matched["materials"] == 694
    _check_against_csv(db, shared_data)


def test_wics3_database_migrates_users_sap_and_parameters(db, shared_data, mysql_databases):
    source = create_wics3_database(mysql_databases)
    fill_from_csv(source, shared_data)

    dry = migrate(db, ACTOR, read_database(source), dry_run=True)
    assert dry.written["actual_counts"] == 2579
    assert all("one_time_password" not in u for u in dry.first_sign_in)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Material)) == 0  # nothing written

    result = migrate(db, ACTOR, read_database(source))
    _check_against_csv(db, shared_data)
    roles = {u["username"]: (u["role"], u["active"]) for u in result.first_sign_in}
    assert roles == {"calvin": ("admin", True), "ryan": ("supervisor", True),
                     "nate": ("clerk", True), "olduser": ("clerk", False)}
    code = next(u["one_time_password"] for u in result.first_sign_in if u["username"] == "nate")
    with db.session() as s:
        signed_in = users.authenticate(s, "nate", code)
        assert signed_in is not None and signed_in.must_change_password
        old_password = next(u["one_time_password"] for u in result.first_sign_in
                            if u["username"] == "olduser")
        assert users.authenticate(s, "olduser", old_password) is None
        assert params.get(s, "ACCURACY-DANGER") == "85"
        assert s.scalar(select(Greeting.text)) == "Count twice, enter once."
        assert s.scalar(select(func.count()).select_from(User)) == 4
        # the 2022-06-30 snapshot, in the site's units: 2.5 KPC, 40 EA, 3 BOX (BOX = 10 in
        # WICS-3, a unit WICS did not have)
        first3 = s.scalars(select(Material.id).where(Material.part_number.in_(
            _first_parts(shared_data, 3)))).all()
        got = sorted(sap.sap_total(s, mid, dt.date(2022, 7, 1)) for mid in first3)
        assert got == [30, 40, 2500]
    messages = {p.message for p in result.problems}
    assert any("SAP-FILELOC" in str(p.value) for p in result.problems)
    assert any("menus" in m for m in messages)
    with db.session() as s:
        requested = s.scalar(select(func.count()).select_from(CountSchedule)
                             .where(CountSchedule.requested_by_id.is_not(None)))
        assert requested == 22  # every 50th entry was a request of ryan's: who asked is kept

    again = migrate(db, ACTOR, read_database(source))
    assert sum(again.written.values()) == 0 and again.first_sign_in == []


def _first_parts(folder, n):
    return [r["Material"] for r in _rows(folder / "MaterialList.csv")][:n]


def test_non_empty_database_refused_unless_merge(db, shared_data):
    with db.session() as s:
        add_org(s, ACTOR, "L10")
        materials.create_material(s, ACTOR, materials.MaterialInput(
            org="L10", part_number="07001541", description="typed by hand"))
    with pytest.raises(InputRejected, match="already has data") as refused:
        migrate(db, ACTOR, read_csv_dir(shared_data))
    # what `wics migrate-wics3 --json` prints with the refusal
    assert refused.value.payload == {"tables_with_data": ["organizations", "materials"]}
    result = migrate(db, ACTOR, read_csv_dir(shared_data), merge=True)
    assert result.matched["materials"] == 1 and result.written["materials"] == 693
    with db.session() as s:
        kept = s.scalar(select(Material).where(Material.part_number == "07001541"))
        assert kept.description == "typed by hand"  # matched, not overwritten


def _write(path, header, rows, encoding="utf-8"):
    import csv

    with open(path, "w", newline="", encoding=encoding) as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def _small_site(folder, expressions, encoding="utf-8"):
    _write(folder / "PartTypes.csv", ["orgID", "oldID", "L10Whse PartType",
                                      "Part Type Priority", "Inactive Part Type"],
           [[1, 1, "Labels", 10, "FALSE"], [1, 2, "Boxes", 10, "FALSE"]])
    _write(folder / "MaterialList.csv", ["orgID", "oldID", "Material", "Description",
                                         "PartTypeID", "Material type", "Material Group",
                                         "Price", "Price Unit", "Notes"],
           [[1, 1, "00042", "Étiquette “blanche”", 1, "ZROH", "05", "1,234.50", "1,000", ""],
            [1, 2, "ab-1", "", 2, "", "", "", "", ""],
            [1, 3, "AB-1", "", 2, "", "", "", "0", ""]], encoding)
    _write(folder / "Counts.csv", ["orgID", "oldID", "CountDate", "MaterialID", "Counter",
                                   "CTD QTY Expr", "BIN/LOC", "PLT/POS", "PKG ID/Desc", "TAG QTY",
                                   "NOT PHYS CTD", "Notes"],
           [[1, i + 1, "07/01/2022", 1, "Calvin", e, "868", "A1", "", "", "FALSE", ""]
            for i, e in enumerate(expressions)]
           + [[1, 99, "01/01/1900", 1, "Calvin", "5", "868", "", "", "", "FALSE", ""]])


def test_refused_expression_is_kept_flagged_and_listed(db, tmp_path):
    _small_site(tmp_path, ["1080*4+791", "12 boxes", ""], encoding="cp1252")
    result = migrate(db, ACTOR, read_csv_dir(tmp_path))
    assert result.written["actual_counts"] == 3  # the 1900 placeholder is left out, and said
    bad = [p for p in result.problems if p.value == "12 boxes"]
    assert bad and bad[0].row == 3 and "kept as typed" in bad[0].message
    assert any(p.value == dt.date(1900, 1, 1) for p in result.problems)
    assert any("priority 10 is already used" in p.message for p in result.problems)
    assert any("only in letter case" in p.message for p in result.problems)
    assert any("price unit" in p.message for p in result.problems)
    with db.session() as s:
        rows = {c.expression: c for c in s.scalars(select(ActualCount))}
        assert rows["1080*4+791"].quantity == 5111
        boxes = rows["12 boxes"]
        assert boxes.quantity is None and "could not be evaluated" in boxes.notes
        assert rows[None].location_only
        m = s.scalar(select(Material).where(Material.part_number == "00042"))
        assert m.description == "Étiquette “blanche”" and m.price == 1234.5 and m.price_unit == 1000


def test_cli_json_dry_run_and_exit_codes(db, tmp_path, capsys):
    _small_site(tmp_path, ["3"])
    url = db.url.render_as_string(hide_password=False)
    assert main(["--db", url, "migrate", "wics3", "--csv-dir", str(tmp_path), "--dry-run",
                 "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) >= {"read", "written", "problems"} and doc["dry_run"] is True
    assert doc["written"]["materials"] == 3 and doc["problems"][0].keys() >= {"table", "row",
                                                                             "value", "message"}
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Material)) == 0
    assert main(["--db", url, "migrate", "wics3", "--csv-dir", str(tmp_path / "nope")]) == 3
    assert main(["--db", url, "migrate", "wics3", "--source", "nosuchdriver://x/y"]) == 3
    assert main(["--db", url, "migrate", "wics3",
                 "--source", "mysql+pymysql://nobody@127.0.0.1:1/wics3"]) == 4
    (tmp_path / "Counts.csv").write_text('orgID,oldID,CountDate\n1,"2,07/01/2022\n')
    assert main(["--db", url, "migrate", "wics3", "--csv-dir", str(tmp_path)]) == 3
    assert "Traceback" not in capsys.readouterr().err
