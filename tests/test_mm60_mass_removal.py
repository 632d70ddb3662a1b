"""MM60: a short or truncated file must not wipe an organization's materials (issue 14, item 4).

Refused above MM60-REMOVAL-LIMIT-PCT unless mass removal is allowed (exit 3, nothing written,
the JSON lists what would have gone); every removal and changed field audited with the part
number and the old values. On both databases.
"""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from wics_desktop import cli
from wics_desktop.core.actor import Actor
from wics_desktop.core.errors import InputRejected
from wics_desktop.core.imports.mm60 import import_mm60
from wics_desktop.core.imports.result import ImportRejected
from wics_desktop.core.models import (
    AuditLog,
    ManufacturerPartNumber,
    Material,
    MaterialPhoto,
)
from wics_desktop.core.services import parameters

from imports_fixtures import material_ids, setup_reference, write_xlsx

HEADER = ["Material", "Plant", "Material description", "Price", "Currency", "Price unit"]
PARTS = [f"P-{i:02d}" for i in range(10)]


@pytest.fixture
def ten(db):
    """Organization L10 with ten materials; P-09 has an MPN and a photo."""
    setup_reference(db, [("L10", p) for p in PARTS] + [("L6", "OTHER")])
    ids = material_ids(db)
    with db.session() as s:
        s.add(ManufacturerPartNumber(mpn="MFR-9", manufacturer="Acme",
                                     material_id=ids["L10", "P-09"]))
        s.add(MaterialPhoto(material_id=ids["L10", "P-09"], image=b"\x89PNG1234",
                            content_type="image/png", file_name="p09.png"))
    return db


def one_row_file(tmp_path, desc="desc P-00"):
    return write_xlsx(tmp_path / "mm60.xlsx", [HEADER, ["P-00", "1010", desc, 2.5, "USD", 1]])


def counts(db):
    with db.session() as s:
        return (s.scalar(select(func.count()).select_from(Material)),
                s.scalar(select(func.count()).select_from(ManufacturerPartNumber)),
                s.scalar(select(func.count()).select_from(MaterialPhoto)),
                s.scalar(select(func.count()).select_from(AuditLog)))


def cli_run(db, capsys, *args):
    code = cli.main(["--db", db.url.render_as_string(hide_password=False), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("strict", [False, True])
def test_a_one_row_file_is_refused_and_writes_nothing(ten, tmp_path, strict):
    before = counts(ten)
    with ten.session() as s, pytest.raises(ImportRejected) as info:
        import_mm60(s, one_row_file(tmp_path), strict=strict, actor=Actor("t", "ws", role="admin"))
    assert "9 of the 10 materials of L10 (90 %)" in str(info.value)
    assert "--allow-mass-removal" in str(info.value)
    doc = info.value.payload
    assert doc["written"] is False and len(doc["removed"]) == 9 and "P-09" in doc["removed"]
    assert doc["mass_removal"] == [{"org": "L10", "removed": 9, "materials": 10, "percent": 90.0}]
    assert counts(ten) == before


def test_cli_exit_3_lists_what_would_be_removed(ten, tmp_path, capsys):
    before = counts(ten)
    code, out, err = cli_run(ten, capsys, "import", "mm60", str(one_row_file(tmp_path)),
                             "--strict", "--json")
    assert code == 3 and "Traceback" not in err
    doc = json.loads(out)
    assert doc["exit_code"] == 3 and sorted(doc["removed"]) == PARTS[1:]
    assert counts(ten) == before
    # a dry run says it would be refused, and exits 0
    code, out, _ = cli_run(ten, capsys, "import", "mm60", str(one_row_file(tmp_path)),
                           "--dry-run", "--json")
    assert code == 0 and json.loads(out)["mass_removal"][0]["removed"] == 9


def test_allowed_mass_removal_is_audited_with_the_old_values(ten, tmp_path, capsys):
    code, out, err = cli_run(ten, capsys, "import", "mm60", str(one_row_file(tmp_path, "new")),
                             "--update", "Description,Price", "--allow-mass-removal", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["written"] and len(doc["removed"]) == 9
    assert counts(ten)[:3] == (2, 0, 0)  # P-00 and L6's OTHER; the MPN and photo went too
    with ten.session() as s:
        rows = s.execute(select(AuditLog.action, AuditLog.before_json, AuditLog.after_json)
                         .where(AuditLog.entity == "material")).all()
    deleted = {json.loads(b)["part_number"]: json.loads(b) for a, b, _ in rows if a == "delete"}
    assert sorted(deleted) == PARTS[1:]
    p09 = deleted["P-09"]
    assert p09["org"] == "L10" and p09["description"] == "desc P-09"
    assert p09["mpns"] == [{"mpn": "MFR-9", "manufacturer": "Acme", "notes": None}]
    assert p09["photos"][0]["file_name"] == "p09.png" and p09["photos"][0]["bytes"] == 8
    [(before, after)] = [(json.loads(b), json.loads(a)) for act, b, a in rows if act == "update"]
    assert before["part_number"] == "P-00" and before["description"] == "desc P-00"
    assert after["description"] == "new" and before["price"] is None and after["price"] == 2.5


def test_the_limit_is_a_parameter_from_0_to_100(ten, tmp_path):
    admin = Actor("admin", "ws", role="admin")
    with ten.session() as s:
        for bad in ("150", "-1", "nan", "lots"):
            with pytest.raises(InputRejected, match="MM60-REMOVAL-LIMIT-PCT"):
                parameters.set_parameter(s, admin, "MM60-REMOVAL-LIMIT-PCT", bad)
        parameters.set_parameter(s, admin, "MM60-REMOVAL-LIMIT-PCT", "90")
    with ten.session() as s:  # 90 % is not more than 90 %: allowed
        result = import_mm60(s, one_row_file(tmp_path), actor=Actor("t", "ws", role="admin"))
    assert result.written and len(result.removed) == 9
    with ten.session() as s:
        listed = {p.name: p.default for p in parameters.list_parameters(s)}
    assert listed["MM60-REMOVAL-LIMIT-PCT"] == "25"


def test_a_small_removal_passes(ten, tmp_path):
    rows = [HEADER] + [[p, "1010", f"desc {p}", None, None, None] for p in PARTS[:8]]
    with ten.session() as s:  # 2 of 10 = 20 %, below the default 25 %
        result = import_mm60(s, write_xlsx(tmp_path / "m.xlsx", rows),
                             actor=Actor("t", "ws", role="admin"))
    assert result.written and result.removed == ["P-08", "P-09"] and not result.mass_removal
