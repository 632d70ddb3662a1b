"""Worksheet zones as a supervisor maintains them: add, rename, reorder, assign, delete;
supervisor only, every change audited; both databases."""
from __future__ import annotations

import pytest

from wics_desktop.core.actor import Actor
from wics_desktop.core.errors import InputRejected, NotFound, NotPermitted
from wics_desktop.core.models import AuditLog
from wics_desktop.core.services import zones

from core_fixtures import ACTOR


def test_zones_are_kept_in_walk_order_and_audited(db):
    with db.session() as s:
        for zone, name in ((1, "HVC"), (2, "SMC"), (3, "Yard")):
            zones.save_zone(s, ACTOR, zone, name)
        zones.save_zone(s, ACTOR, 2, "SMC building")
        zones.set_location_zone(s, ACTOR, "SMC_C2", 2)
        zones.set_location_zone(s, ACTOR, "D2", 3)
        zones.set_location_zone(s, ACTOR, "D2", 1)
        zones.move_zone(s, ACTOR, 3, -5)  # to the front, however far
        rows = zones.list_zones(s)
        walk = zones.walk(s)
    assert [(z.zone, z.name, z.position, z.locations) for z in rows] == [
        (3, "Yard", 1, 0), (1, "HVC", 2, 1), (2, "SMC building", 3, 1)]
    assert walk.key("D2") < walk.key("SMC_C2") < walk.key("UNZONED") < walk.key(None)
    with db.session() as s:
        zones.delete_zone(s, ACTOR, 1)
        zones.set_location_zone(s, ACTOR, "SMC_C2", None)
        assert [z.zone for z in zones.list_zones(s)] == [3, 2]
        assert zones.location_zone_names(s) == {}
        actions = [(a.entity, a.action) for a in s.query(AuditLog).order_by(AuditLog.id)]
    assert actions == [("worksheet_zone", "create")] * 3 + [
        ("worksheet_zone", "update"), ("location_zone", "create"), ("location_zone", "create"),
        ("location_zone", "update"), ("worksheet_zone", "reorder"), ("worksheet_zone", "delete"),
        ("location_zone", "delete")]


def test_zone_input_is_checked_and_clerks_are_refused(db):
    with db.session() as s:
        with pytest.raises(InputRejected, match="whole number from 1 to 9999"):
            zones.save_zone(s, ACTOR, 0, "Nowhere")
        with pytest.raises(InputRejected, match="the zone's name"):
            zones.save_zone(s, ACTOR, 5, "  ")
        with pytest.raises(NotFound, match="no zone 7"):
            zones.set_location_zone(s, ACTOR, "D2", 7)
        with pytest.raises(NotPermitted):
            zones.save_zone(s, Actor(username="kim", role="clerk"), 1, "HVC")
