"""Setup services: organizations, plants, units, parameters, holidays, greetings."""
from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import select

from wics_desktop.core.errors import InputRejected, NotFound, RuleViolation
from wics_desktop.core.models import AuditLog
from wics_desktop.core.services import holidays, orgs, parameters

from core_fixtures import ACTOR, material, setup_orgs


def test_orgs_plants_units(db):
    with db.session() as s:
        setup_orgs(s)
        material(s, "A-1")
        rows = {o.name: o for o in orgs.list_orgs(s)}
        assert (rows["L10"].plants, rows["L10"].materials) == (["FW10"], 1)
        assert orgs.plant_orgs(s) == {"FW10": rows["L10"].id, "FW61": rows["L6"].id}
        with pytest.raises(RuleViolation, match="L10 has 1 material and 1 plant: it cannot"):
            orgs.delete_org(s, ACTOR, "L10")
        orgs.delete_plant(s, ACTOR, "FW61")
        orgs.delete_org(s, ACTOR, "L6")
        assert [o.name for o in orgs.list_orgs(s)] == ["L10"]
        assert orgs.find_org(s, str(rows["L10"].id)).name == "L10"  # numeric id works too
        r = orgs.add_uom(s, ACTOR, "KPC", "1000")
        assert (r.created, r.changed) == (False, False)
        assert orgs.multipliers(s)["KPC"] == 1000
        with pytest.raises(InputRejected):
            orgs.add_uom(s, ACTOR, "X", "-1")
        with pytest.raises(InputRejected, match="Please enter an organization name"):
            orgs.add_org(s, ACTOR, "  ")


def test_parameters(db):
    with db.session() as s:
        rows = {p.name: p for p in parameters.list_parameters(s)}
        assert rows["ACCURACY-SUCCESS"].value == "98.5" and rows["ACCURACY-SUCCESS"].declared
        r = parameters.set_parameter(s, ACTOR, "ACCURACY-DANGER", " 80 ")
        assert (r.created, r.changed, r.values["value"]) == (False, True, "80")
        parameters.set_parameter(s, ACTOR, "MY-SETTING", "hello")
        assert {p.name: p.value for p in parameters.list_parameters(s)}["MY-SETTING"] == "hello"
        with pytest.raises(InputRejected, match="must be a number"):
            parameters.set_parameter(s, ACTOR, "LOCRPT-COUNTDAYS-IFNOSAP", "thirty")
        with pytest.raises(RuleViolation):
            parameters.delete_parameter(s, ACTOR, "ACCURACY-DANGER")
        parameters.delete_parameter(s, ACTOR, "MY-SETTING")
        actions = s.scalars(select(AuditLog.action).where(AuditLog.entity == "parameter")
                            .order_by(AuditLog.id)).all()
        assert actions == ["update", "create", "delete"]


def test_holidays_and_greetings(db):
    with db.session() as s:
        holidays.add_holiday(s, ACTOR, dt.date(2026, 12, 25), "Christmas")
        again = holidays.add_holiday(s, ACTOR, dt.date(2026, 12, 25), "Christmas Day")
        assert (again.created, again.changed) == (False, True)
        holidays.add_holiday(s, ACTOR, dt.date(2027, 1, 1))
        assert [h.name for h in holidays.list_holidays(s, 2026)] == ["Christmas Day"]
        holidays.delete_holiday(s, ACTOR, dt.date(2027, 1, 1))
        with pytest.raises(NotFound):
            holidays.delete_holiday(s, ACTOR, dt.date(2027, 1, 1))
        assert holidays.random_greeting(s) == ""
        g1 = holidays.add_greeting(s, ACTOR, "Count twice, ship once.")
        g2 = holidays.add_greeting(s, ACTOR, "Étiquettes « propres »\nsecond line")
        assert holidays.random_greeting(s, random.Random(3)) in {g1.text, g2.text}
        holidays.update_greeting(s, ACTOR, g1.id, "Measure twice.")
        holidays.delete_greeting(s, ACTOR, g2.id)
        assert [g.text for g in holidays.list_greetings(s)] == ["Measure twice."]
