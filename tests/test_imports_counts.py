"""Counts upload on both databases: the real WICS-3 counts, every row problem, location-only,
org resolution (BR-3), typical quantities, formulas, strict/lenient, failure and cancel."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from wics_desktop.core import dialect
from wics_desktop.core.actor import Actor
from wics_desktop.core.errors import Cancelled
from wics_desktop.core.expressions import evaluate
from wics_desktop.core.imports.counts import import_counts
from wics_desktop.core.imports.result import ImportRejected
from wics_desktop.core.progress import RecordingProgress

from imports_fixtures import (
    ActualCount,
    Material,
    audit_actions,
    count_rows,
    errors_by,
    load_real_materials,
    real_counts_rows,
    setup_reference,
    write_csv,
    write_xlsx,
)

HEADER = ["CountDate", "Counter", "LOCATION", "org_id", "Material", "LocationOnly", "CTD_QTY_Expr",
          "Typ Cntner Qty", "Typ Plt Qty", "Notes", "PKGID_Desc", "TAGQTY", "Poss Not Rcvd",
          "Mvmt Dur Ct", "WICSignore"]
D = dt.date(2026, 11, 20)


def row(part, qty="5", date=D, counter="Chris", loc="D2", org=None, loc_only=None, container=None,
        pallet=None, notes=None, pkg=None, tag=None, pnr=None, mdc=None, ignore=None):
    return [date, counter, loc, org, part, loc_only, qty, container, pallet, notes, pkg, tag, pnr,
            mdc, ignore]


def run(db, path, **kw):
    with db.session() as s:
        return import_counts(s, path, actor=Actor("clerk1", "ws7", "supervisor"), **kw)


def counts(db):
    with db.session() as s:
        return s.execute(select(Material.part_number, ActualCount.count_date, ActualCount.location,
                                ActualCount.location_only, ActualCount.expression,
                                ActualCount.quantity)
                         .join(Material, Material.id == ActualCount.material_id)
                         .order_by(ActualCount.id)).all()


@pytest.fixture
def ref(db):
    return setup_reference(db, [("L10", "A-100"), ("L10", "1115416"), ("L10", "07001541"),
                                ("L10", "BOTH"), ("L6", "BOTH"), ("L6", "L6-ONLY")])


def test_real_wics3_counts(db, shared_data, tmp_path):
    by_old = load_real_materials(db, shared_data)
    rows = real_counts_rows(shared_data, by_old)
    path = write_xlsx(tmp_path / "counts.xlsx", rows, sheet="Counts")
    result = run(db, path)
    assert not result.errors, result.errors[:5]
    assert result.rows_read == result.rows_added == len(rows) - 1 == 2579
    expected = sum(evaluate(str(r[6]).replace(".0", "") if isinstance(r[6], float) else r[6])
                   for r in rows[1:] if not r[5])
    with db.session() as s:
        total = s.scalar(select(func.sum(ActualCount.quantity)))
        location_only = s.scalar(select(func.count()).where(ActualCount.location_only.is_(True)))
        one = s.execute(select(ActualCount.expression, ActualCount.quantity, ActualCount.entered_by,
                               ActualCount.workstation)
                        .where(ActualCount.expression == "1080*4+791")).first()
    assert total == expected and location_only == 14
    assert tuple(one) == ("1080*4+791", 5111, "clerk1", "ws7")


def test_excel_cells_as_excel_writes_them(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [
        HEADER,
        row(1115416.0, qty=22.0),                                # number part, float quantity
        row("07001541", qty="=1080*4+791", date=46346.0),        # formula text, serial date
        row("A-100", qty=None, loc_only=True, date="11/21/2026"),  # location only, US text date
        row("A-100", qty="10/4", loc_only="no", date="2026-11-22"),
        row("BOTH", qty="1", org=float(ref["L6"])),              # org by numeric id
        row("BOTH", qty="2", org="L10"),                         # org by name
    ], sheet="Counts")
    result = run(db, path)
    assert not result.errors and result.rows_added == 6
    assert counts(db) == [
        ("1115416", D, "D2", False, "22", 22.0),
        ("07001541", D, "D2", False, "1080*4+791", 5111.0),
        ("A-100", dt.date(2026, 11, 21), "D2", True, None, None),
        ("A-100", dt.date(2026, 11, 22), "D2", False, "10/4", 2.5),
        ("BOTH", D, "D2", False, "1", 1.0),
        ("BOTH", D, "D2", False, "2", 2.0),
    ]
    with db.session() as s:
        orgs = s.scalars(select(Material.org_id)
                         .join(ActualCount, ActualCount.material_id == Material.id)
                         .where(Material.part_number == "BOTH").order_by(ActualCount.id)).all()
    assert orgs == [ref["L6"], ref["L10"]]


def test_a_real_excel_formula_keeps_its_text(db, ref, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Counts"
    ws.append(HEADER)
    ws.append(row("A-100", qty="=1080*4+791"))
    ws.append(row("A-100", qty=7.0))
    wb.save(tmp_path / "f.xlsx")
    assert run(db, tmp_path / "f.xlsx").rows_added == 2
    assert [(c[4], c[5]) for c in counts(db)] == [("1080*4+791", 5111.0), ("7", 7.0)]


def test_every_row_problem(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [
        HEADER,
        row("A-100"),                                  # 2 fine
        row("A-100", date=None),                       # 3 date missing
        row("A-100", date="2026-13-45"),               # 4 not a date
        row("A-100", counter=None),                    # 5 counter missing
        row("A-100", loc="  "),                        # 6 location missing
        row("NOPE"),                                   # 7 unknown material
        row("BOTH"),                                   # 8 in two orgs, no org
        row("L6-ONLY", org="L10"),                     # 9 org given does not own it
        row("A-100", org="L99"),                       # 10 unknown org
        row("A-100", qty="12*"),                       # 11 invalid expression
        row("A-100", qty=None),                        # 12 neither quantity nor location only
        row("A-100", qty=None, loc_only=False),        # 13 LocationOnly FALSE is not enough
        row("A-100", qty=None, loc_only=0.0),          # 14 nor 0 (reference defect #2)
        row("A-100", loc_only="maybe"),                # 15 not a yes/no
        row("A-100", pnr="sometimes"),                 # 16 flag not a yes/no
        row("A-100", counter="C" * 251),               # 17 too long
        row("A-100", qty="1,080*4"),                   # 18 commas are not allowed
    ], sheet="Counts")
    result = run(db, path)
    assert errors_by(result) == [
        (3, "CountDate"), (4, "CountDate"), (5, "Counter"), (6, "LOCATION"), (7, "Material"),
        (8, "Material"), (9, "Material"), (10, "org_id"), (11, "CTD_QTY_Expr"),
        (12, "CTD_QTY_Expr"), (13, "CTD_QTY_Expr"), (14, "CTD_QTY_Expr"), (15, "LocationOnly"),
        (16, "Poss Not Rcvd"), (17, "Counter"), (18, "CTD_QTY_Expr")]
    msg = {e.row: e.message for e in result.errors}
    assert "count date is missing" in msg[3]
    assert "'2026-13-45' is not a real date" in msg[4]
    assert "Material NOPE does not exist" in msg[7]
    assert "exists in several organizations (L10, L6): fill in org_id" in msg[8]
    assert "is not in L10; it exists in L6" in msg[9]
    assert "There is no organization 'L99'" in msg[10]
    assert "'12*' is not a quantity" in msg[11] and "missing a number" in msg[11]
    assert "There is no quantity" in msg[12] and "LocationOnly to TRUE" in msg[12]
    assert "commas" in msg[18]
    assert result.rows_added == 1 and result.rows_rejected == 16
    assert all("Calvin" not in e.message for e in result.errors)


def test_ignored_rows(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [
        HEADER, row("A-100", ignore=True), row("A-100", ignore="x"), row(None, qty="1"),
        row("A-100", ignore=False), row("A-100", ignore=0.0), [None] * 15,
    ], sheet="Counts")
    result = run(db, path)
    assert (result.rows_read, result.rows_ignored, result.rows_added) == (5, 3, 2)


def test_location_only_spellings(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [HEADER] + [row("A-100", qty=None, loc_only=v)
                                                       for v in (True, "TRUE", "yes", 1.0, "Y",
                                                                 "1")],
                      sheet="Counts")
    assert run(db, path).rows_added == 6
    assert all(c[3] and c[5] is None for c in counts(db))


def test_typical_quantities_update_the_material(db, ref, tmp_path):
    with db.session() as s:
        s.execute(Material.__table__.update().where(Material.part_number == "1115416")
                  .values(typical_container_qty="48/ctn"))
    path = write_xlsx(tmp_path / "c.xlsx", [
        HEADER,
        row("A-100", container="48/ctn", pallet="20 ctn/plt"),
        row("1115416", container=48.0),        # number cell: "48", differs from "48/ctn"
        row("07001541", container="0", pallet=None),  # 0 and blank change nothing
    ], sheet="Counts")
    result = run(db, path)
    assert result.rows_updated == 2 and result.rows_added == 3
    with db.session() as s:
        got = dict((p, (c, t)) for p, c, t in s.execute(select(
            Material.part_number, Material.typical_container_qty, Material.typical_pallet_qty)))
    assert got["A-100"] == ("48/ctn", "20 ctn/plt")
    assert got["1115416"] == ("48", None)
    assert got["07001541"] == (None, None)
    again = run(db, path)
    assert again.rows_updated == 0


def test_strict_and_lenient(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [HEADER, row("A-100"), row("NOPE")], sheet="Counts")
    with pytest.raises(ImportRejected) as err:
        run(db, path, strict=True)
    assert err.value.payload["errors"] == [{"row": 3, "column": "Material", "value": "NOPE",
                                            "message": "Material NOPE does not exist in WICS."}]
    assert count_rows(db, ActualCount) == 0
    assert run(db, path).rows_added == 1
    assert audit_actions(db) == ["import-counts"]


def test_failure_after_insert_leaves_nothing(db, ref, tmp_path, monkeypatch):
    def broken(*a, **k):
        raise RuntimeError("lost the server")

    monkeypatch.setattr(dialect, "update_by_id", broken)
    path = write_xlsx(tmp_path / "c.xlsx", [HEADER, row("A-100", container="12")], sheet="Counts")
    with pytest.raises(RuntimeError):
        run(db, path)
    assert count_rows(db, ActualCount) == 0 and audit_actions(db) == []


def test_cancel_writes_nothing(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx",
                      [HEADER] + [row("A-100", qty=str(i)) for i in range(1100)], sheet="Counts")
    progress = RecordingProgress()
    run(db, path, progress=progress)
    assert count_rows(db, ActualCount) == 1100
    last_write = max(i for i, s in enumerate(progress.steps) if s[2] == "Writing counts")
    other = write_xlsx(tmp_path / "c2.xlsx",  # new counts (the same file again adds nothing)
                       [HEADER] + [row("A-100", qty=str(i), counter="Kim") for i in range(1100)],
                       sheet="Counts")
    with pytest.raises(Cancelled):
        run(db, other, progress=RecordingProgress(cancel_at=last_write))
    assert count_rows(db, ActualCount) == 1100


def test_sheet_must_be_named_counts(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [HEADER, row("A-100")], sheet="Sheet1")
    with pytest.raises(ImportRejected, match="no sheet named 'Counts'"):
        run(db, path)


def test_missing_headers_are_fatal(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [["Material", "CTD_QTY_Expr"], ["A-100", 5]],
                      sheet="Counts")
    with pytest.raises(ImportRejected) as err:
        run(db, path)
    assert [e["column"] for e in err.value.payload["errors"]] == ["CountDate", "Counter",
                                                                  "LOCATION"]


def test_csv_counts(db, ref, tmp_path):
    path = write_csv(tmp_path / "counts.csv", [
        ["CountDate", "Counter", "LOCATION", "Material", "LocationOnly", "CTD QTY Expr"],
        ["11/20/2026", "Nate", "HVC", "1115416", "FALSE", "680+1440*2+(1440-60)"],
        ["2026-11-20", "Nate", "HVC", "A-100", "TRUE", ""],
    ])
    result = run(db, path)
    assert result.rows_added == 2 and not result.errors
    assert [c[5] for c in counts(db)] == [4940.0, None]


def test_location_only_keeps_no_quantity(db, ref, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [HEADER, row("A-100", qty="12*", loc_only=True),
                                            row("A-100", qty="x" * 600, loc_only="yes")],
                      sheet="Counts")
    result = run(db, path)
    assert not result.errors and result.rows_added == 2
    assert [(c[3], c[4], c[5]) for c in counts(db)] == [(True, None, None), (True, None, None)]


def test_importing_the_same_counts_again_adds_nothing_twice(db, ref, tmp_path):
    """Re-importing a file stores nothing twice; two identical rows stay two counts; an edited
    copy with its rejected row fixed adds only that row; the uuids are uuid5 of the content."""
    import uuid

    from wics_desktop.core.imports.counts import UUID_NAMESPACE, count_uuid

    rows = [HEADER,
            row("A-100", qty="1080*4+791", notes="pallet 1", pnr=True),
            row("A-100", qty="5"),
            row("A-100", qty="5"),                                  # counted twice: two counts
            row("1115416", qty=None, loc_only=True, loc="R4"),
            row("A-100", qty="12*", loc="D3")]                      # rejected: bad quantity
    first = run(db, write_xlsx(tmp_path / "c.xlsx", rows, sheet="Counts"))
    assert (first.rows_added, first.rows_rejected, first.already_imported) == (4, 1, 0)
    assert first.as_dict()["already_imported"] == 0

    again = run(db, tmp_path / "c.xlsx")
    assert (again.rows_added, again.already_imported, again.rows_ignored) == (0, 4, 4)
    assert again.written and again.as_dict()["already_imported"] == 4
    assert "4 counts were imported before" in again.describe()
    assert count_rows(db, ActualCount) == 4

    rows[5] = row("A-100", qty="12*2", loc="D3")                    # the problem row fixed
    rows.append(row("A-100", qty="5"))                              # and a third identical row
    fixed = run(db, write_xlsx(tmp_path / "c-fixed.xlsx", rows, sheet="Counts"))
    assert (fixed.rows_added, fixed.already_imported, fixed.rows_rejected) == (2, 4, 0)
    assert [c[2:] for c in counts(db)].count(("D2", False, "5", 5.0)) == 3
    assert ("A-100", D, "D3", False, "12*2", 24.0) in counts(db)
    assert audit_actions(db).count("import-counts") == 3

    with db.session() as s:
        mid = s.scalar(select(Material.id).where(Material.part_number == "A-100"))
        stored = set(s.scalars(select(ActualCount.uuid)))
    name = "\x1f".join([D.isoformat(), str(mid), "Chris", "D2", "0", "1080*4+791", "", "",
                        "1", "0", "pallet 1"]) + "\x1e1"
    expected = str(uuid.uuid5(UUID_NAMESPACE, name))
    assert expected == count_uuid(D, mid, "Chris", "D2", False, "1080*4+791", None, None,
                                  True, False, "pallet 1")
    assert expected in stored
    assert {count_uuid(D, mid, "Chris", "D2", False, "5", None, None, False, False, None, n)
            for n in (1, 2, 3)} <= stored


def test_a_stored_count_edited_since_is_still_recognised(db, ref, tmp_path):
    """The check is by uuid, not by date: a count whose date was corrected after the import
    is not imported again (nor does the unique uuid index stop the import)."""
    path = write_xlsx(tmp_path / "c.xlsx", [HEADER, row("A-100", qty="7"), row("A-100", qty="8")],
                      sheet="Counts")
    assert run(db, path).rows_added == 2
    with db.session() as s:
        first = s.scalars(select(ActualCount).order_by(ActualCount.id)).first()
        first.count_date = D + dt.timedelta(days=1)
        first.location = "moved"
    result = run(db, path)
    assert (result.rows_added, result.already_imported) == (0, 2)
    assert count_rows(db, ActualCount) == 2


def test_a_count_deleted_after_the_import_is_not_brought_back(db, ref, tmp_path):
    """A supervisor deletes a wrong count that came from a file; importing the file again (say,
    with another row fixed) leaves it deleted and says so."""
    from wics_desktop.core.services import counts as count_service

    path = write_xlsx(tmp_path / "c.xlsx", [HEADER, row("A-100", qty="7"), row("A-100", qty="8"),
                                            row("A-100", qty="9")], sheet="Counts")
    assert run(db, path).rows_added == 3
    with db.session() as s:
        wrong = s.scalars(select(ActualCount).where(ActualCount.expression == "8")).one()
        count_service.delete_count(s, Actor("dana", "WS-OFFICE", "supervisor"), wrong.id)
    again = run(db, path)
    assert (again.rows_added, again.already_imported, again.deleted_since) == (0, 3, 1)
    assert again.as_dict()["deleted_since"] == 1
    assert "1 of them was deleted in WICS after that import" in again.describe()
    assert sorted(c[4] for c in counts(db)) == ["7", "9"]


def test_pack_quantities_from_the_row_or_the_material(db, ref, tmp_path):
    with db.session() as s:
        s.execute(Material.__table__.update().where(Material.part_number == "1115416")
                  .values(typical_container_qty="12 per box"))
    path = write_xlsx(tmp_path / "c.xlsx", [
        HEADER,
        row("A-100", qty="2P+3", pallet="10 ctn/plt"),  # 2 the row gives the pallet quantity
        row("1115416", qty="3C+1"),                   # 3 the material's own container qty
        row("07001541", qty="1P"),                    # 4 no pallet quantity anywhere: error
        row("07001541", qty="0x10"),                  # 5 hexadecimal-looking: error
    ], sheet="Counts")
    result = run(db, path)
    assert errors_by(result) == [(4, "CTD_QTY_Expr"), (5, "CTD_QTY_Expr")]
    assert "Typical pallet qty" in result.errors[0].message
    got = [(p, e, q) for p, _, _, _, e, q in counts(db)]
    assert got == [("A-100", "2P+3", 23), ("1115416", "3C+1", 37)]  # stored as typed
