"""Materials: resolve, type-ahead search, card, create/edit/delete, part types, MPNs, photos."""
from __future__ import annotations

import struct
import zlib

import pytest
from sqlalchemy import select

from wics_desktop.core.errors import InputRejected, NotFound, RuleViolation
from wics_desktop.core.models import AuditLog, Material, MaterialPhoto
from wics_desktop.core.services import materials, part_types

from core_fixtures import ACTOR, D1, D2, count, material, org_id, sap, sched, setup_orgs


@pytest.fixture
def world(db):
    with db.session() as s:
        setup_orgs(s)
        ids = {
            "shared10": material(s, "1115416", "L10", description="Screw M3", part_type="AST-A"),
            "shared6": material(s, "1115416", "L6", description="Screw M3 (L6)"),
            "label": material(s, "07001541", "L10", description="Label, White Polyester"),
            "ab": material(s, "AB-100", "L10", description="Bracket"),
            "ab_lower": material(s, "ab-100x", "L10", description="bracket small"),
            "pct": material(s, "50%_OFF", "L10", description="Odd name"),
        }
    return db, ids


def test_resolve_every_way_a_clerk_types_a_material(world):
    db, ids = world
    with db.session() as s:
        assert materials.resolve(s, "AB-100").id == ids["ab"]
        assert materials.resolve(s, "  AB-100 ").id == ids["ab"]
        assert materials.resolve(s, "1115416 (L6)").id == ids["shared6"]
        assert materials.resolve(s, "1115416", org="L10").id == ids["shared10"]
        assert materials.resolve(s, 1115416, org="L6").id == ids["shared6"]
        assert materials.resolve(s, "07001541").id == ids["label"]
        materials.add_mpn(s, ACTOR, ids["ab"], "MFR-XYZ-1", manufacturer="Acme")
        assert materials.resolve(s, "MFR-XYZ-1").id == ids["ab"]


def test_resolve_number_stored_as_number(world):
    db, ids = world
    with db.session() as s:
        m = material(s, "2000123")
        assert materials.resolve(s, 2000123.0).id == m
        assert materials.resolve(s, "2000123.0").id == m


def test_resolve_ambiguous_and_unknown(world):
    db, _ = world
    with db.session() as s:
        with pytest.raises(RuleViolation) as err:
            materials.resolve(s, "1115416")
        assert "L10" in str(err.value) and "L6" in str(err.value)
        with pytest.raises(NotFound) as err:
            materials.resolve(s, "NOPE-1")
        assert str(err.value) == "'NOPE-1' is not a known material."
        with pytest.raises(NotFound):
            materials.resolve(s, "ab-100")  # case matters on both databases
        with pytest.raises(NotFound):
            materials.resolve(s, "AB-100", org="L6")
        with pytest.raises(InputRejected):
            materials.resolve(s, "   ")


def test_search_prefix_mpn_and_description(world):
    db, ids = world
    with db.session() as s:
        materials.add_mpn(s, ACTOR, ids["label"], "AB-MFR-9")
        hits = materials.search(s, "AB")
        names = [h.display_name for h in hits]
        assert names[:1] == ["AB-100"]
        assert "07001541" in names  # through its manufacturer part number
        assert [h.matched for h in hits if h.id == ids["label"]] == ["mpn"]
        # lower-case typing still finds the upper-case part number, and the lower-case one
        assert {h.id for h in materials.search(s, "ab")} >= {ids["ab"], ids["ab_lower"]}
        hits = materials.search(s, "1115")
        assert [h.display_name for h in hits] == ["1115416 (L10)", "1115416 (L6)"]
        assert [h.org for h in hits] == ["L10", "L6"]
        assert [h.id for h in materials.search(s, "polyester")] == [ids["label"]]
        # LIKE wildcards are literal characters
        assert [h.id for h in materials.search(s, "50%")] == [ids["pct"]]
        assert materials.search(s, "5_%") == []
        assert materials.search(s, "") == []
        assert len(materials.search(s, "1", limit=1)) == 1


def test_card_shows_what_count_entry_needs(world):
    db, ids = world
    with db.session() as s:
        materials.update_material(s, ACTOR, ids["shared10"], typical_container_qty="48/ctn",
                                  typical_pallet_qty="20 ctn", notes="fragile")
        count(s, ids["shared10"], D1, "5", location="Z9")
        count(s, ids["shared10"], D2, "5", location="B1")
        count(s, ids["shared10"], D2, location="A1", location_only=True)
        card = materials.get_card(s, ids["shared10"])
    assert card.display_name == "1115416 (L10)" and card.org == "L10"
    assert card.part_type == "AST-A" and card.description == "Screw M3"
    assert (card.typical_container_qty, card.typical_pallet_qty, card.notes) == ("48/ctn", "20 ctn",
                                                                                 "fragile")
    assert card.last_count_date == D2 and card.last_found_at == ["A1", "B1"]
    with db.session() as s:
        card = materials.get_card(s, ids["ab"])
        assert card.last_count_date is None and card.last_found_at == []
        assert card.part_type == "UNKNOWN"  # new materials default to UNKNOWN
        with pytest.raises(NotFound):
            materials.get_card(s, 999999)


def test_create_refuses_duplicates_and_bad_part_numbers(world):
    db, _ = world
    with db.session() as s:
        with pytest.raises(RuleViolation, match="already exists in organization L10"):
            material(s, "AB-100")
        with pytest.raises(InputRejected, match="unusable part number"):
            material(s, "BAD\u00a0PART")
        with pytest.raises(NotFound, match="organization"):
            material(s, "NEW-1", org="L99")
        with pytest.raises(InputRejected, match="too long"):
            material(s, "NEW-2", description="x" * 251)


def test_update_and_audit(world):
    db, ids = world
    with db.session() as s:
        materials.update_material(s, ACTOR, ids["ab"], description="Bracket, steel",
                                  part_type="AST-B", price="1,234.50")
    with db.session() as s:
        m = s.get(Material, ids["ab"])
        assert (m.description, m.price) == ("Bracket, steel", 1234.5)
        audits = s.scalars(select(AuditLog).where(AuditLog.entity == "material",
                                                  AuditLog.entity_key == str(ids["ab"]))).all()
        assert [a.action for a in audits] == ["create", "update"]
        assert audits[1].username == "tester" and audits[1].workstation == "WS-1"
        with pytest.raises(InputRejected, match="Unknown material field"):
            materials.update_material(s, ACTOR, ids["ab"], colour="red")


def test_delete_refused_while_referenced(world):
    db, ids = world
    with db.session() as s:
        count(s, ids["ab"])
        sched(s, ids["ab"])
        sap(s, ids["ab"], org_id(s, "L10"), D1, 5)
        with pytest.raises(RuleViolation) as err:
            materials.delete_material(s, ACTOR, ids["ab"])
    assert str(err.value) == ("Material AB-100 cannot be deleted: 1 count, 1 schedule entry and "
                              "1 SAP stock row still refer to it.")
    with db.session() as s:  # an unreferenced one goes, with its MPNs and photos
        materials.add_mpn(s, ACTOR, ids["pct"], "M-1")
        materials.add_photo(s, ACTOR, ids["pct"], _png(3, 2))
    with db.session() as s:
        materials.delete_material(s, ACTOR, ids["pct"])
    with db.session() as s:
        assert s.get(Material, ids["pct"]) is None
        assert s.scalar(select(MaterialPhoto.id)) is None
        with pytest.raises(NotFound):
            materials.find_by_mpn(s, "M-1")


def test_a_count_arriving_between_check_and_delete_is_refused_by_name(world, monkeypatch):
    """The race the chaos schedules found (seed 1017): a workstation's count lands after the
    reference check; the foreign key refuses the delete, and the supervisor gets the sentence,
    not a crash about a closed transaction."""
    db, ids = world
    with db.session() as s:
        count(s, ids["ab"])
    monkeypatch.setattr(materials, "delete_refusal", lambda session, material_id: None)
    with db.session() as s:
        with pytest.raises(RuleViolation, match="Material AB-100 is in use and cannot be deleted"):
            materials.delete_material(s, ACTOR, ids["ab"])
    with db.session() as s:
        assert s.get(Material, ids["ab"]) is not None


def test_a_material_renamed_onto_another_meanwhile_is_refused_by_name(world, monkeypatch):
    """The unique key catches what the check did not see (another workstation, a moment
    earlier): a sentence naming the part number, not a closed-transaction crash."""
    db, ids = world
    with db.session() as s:
        taken = s.get(Material, ids["pct"]).part_number
    monkeypatch.setattr(materials, "_check_unique", lambda *a, **k: None)
    with db.session() as s:
        with pytest.raises(RuleViolation, match=f"Material {taken} could not be saved"):
            materials.update_material(s, ACTOR, ids["ab"], part_number=taken)


def test_part_types(world):
    db, ids = world
    with db.session() as s:
        rows = {r.name: r for r in part_types.list_part_types(s)}
        assert rows["AST-A"].materials == 1 and rows["UNKNOWN"].materials == 5
        with pytest.raises(RuleViolation, match="used by 1 material"):
            part_types.delete_part_type(s, ACTOR, "AST-A")
        part_types.add_part_type(s, ACTOR, "OLD", 99999, inactive=True)
        assert "OLD" not in [r.name for r in part_types.list_part_types(s, include_inactive=False)]
        with pytest.raises(RuleViolation, match="Priority 210 is already used by part type AST-A"):
            part_types.add_part_type(s, ACTOR, "NEW", 210)
        again = part_types.add_part_type(s, ACTOR, "AST-B", 1300)
        assert (again.created, again.changed) == (False, True)
        part_types.delete_part_type(s, ACTOR, "OLD")
        assert "OLD" not in [r.name for r in part_types.list_part_types(s)]


def test_mpns(world):
    db, ids = world
    with db.session() as s:
        row = materials.add_mpn(s, ACTOR, ids["ab"], " MFR-1 ", manufacturer="Acme")
        assert (row.mpn, row.material) == ("MFR-1", "AB-100")
        with pytest.raises(RuleViolation, match="already belongs to material AB-100"):
            materials.add_mpn(s, ACTOR, ids["label"], "MFR-1")
        materials.update_mpn(s, ACTOR, row.id, mpn="MFR-2", notes="label on box")
        assert materials.find_by_mpn(s, "MFR-2").notes == "label on box"
        assert [r.mpn for r in materials.list_mpns(s, ids["ab"])] == ["MFR-2"]
        materials.delete_mpn(s, ACTOR, row.id)
        assert materials.list_mpns(s) == []


def _png(width, height):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I",
                                                                        zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR",
                                         struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _jpeg(width, height):
    # SOI, an APP0 segment, then SOF0 with the frame size: enough for the header reader.
    app0 = (b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00"
            + b"\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def test_photos(world, tmp_path):
    db, ids = world
    path = tmp_path / "box.jpg"
    path.write_bytes(_jpeg(640, 480))
    with db.session() as s:
        png = materials.add_photo(s, ACTOR, ids["ab"], _png(4, 3), file_name="a.png")
        jpg = materials.add_photo(s, ACTOR, ids["ab"], path=path)
        assert (png.content_type, png.width, png.height) == ("image/png", 4, 3)
        assert (jpg.content_type, jpg.width, jpg.height, jpg.file_name) == ("image/jpeg", 640, 480,
                                                                            "box.jpg")
        listed = materials.list_photos(s, ids["ab"])
        assert [p.id for p in listed] == [png.id, jpg.id] and listed[0].size == len(_png(4, 3))
        assert materials.photo_bytes(s, jpg.id) == _jpeg(640, 480)
        with pytest.raises(InputRejected, match="not a PNG"):
            materials.add_photo(s, ACTOR, ids["ab"], b"hello")
        with pytest.raises(InputRejected, match="Cannot read"):
            materials.add_photo(s, ACTOR, ids["ab"], path=tmp_path / "missing.png")
        materials.remove_photo(s, ACTOR, png.id)
        assert [p.id for p in materials.list_photos(s, ids["ab"])] == [jpg.id]
        assert materials.get_card(s, ids["ab"]).photo_count == 1
