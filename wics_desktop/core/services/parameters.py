"""Database parameters as people edit them: list with comments, set (audited), delete.

Declared names and defaults live in core.params; this module adds validation and the audit.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, params
from ..actor import Actor
from ..errors import InputRejected, NotFound, RuleViolation
from ..models import Parameter
from .fields import require
from .orgs import SetupResult
from ..permissions import requires

# Parameters whose value must be a number (a typo would otherwise silently fall back).
NUMERIC = {params.ACCURACY_DANGER, params.ACCURACY_WARNING, params.ACCURACY_SUCCESS,
           params.LOCRPT_COUNTDAYS_IFNOSAP, params.COUNTLIST_RECLIMIT,
           params.REPLICA_DAYS_BACK, params.REPLICA_DAYS_AHEAD}


@dataclass(frozen=True)
class ParameterRow:
    name: str
    value: str
    default: str | None
    comment: str | None
    user_modifiable: bool
    declared: bool


def list_parameters(session: Session) -> list[ParameterRow]:
    rows = {p.name: p for p in session.scalars(select(Parameter))}
    out = []
    for name in sorted(set(rows) | {s.name for s in params.DECLARED}):
        spec, row = params.spec(name), rows.get(name)
        out.append(ParameterRow(
            name, row.value if row else spec.default, spec.default if spec else None,
            (row.comment if row and row.comment else (spec.comment if spec else None)),
            row.user_modifiable if row else (spec.user_modifiable if spec else True),
            spec is not None))
    return out


@requires("edit_parameters")
def set_parameter(session: Session, actor: Actor, name: str, value: str) -> SetupResult:
    name = require(name, "a parameter name", 100)
    text = (value or "").strip()
    if len(text) > 512:
        raise InputRejected(f"The value of {name} is too long: at most 512 characters.")
    if name in NUMERIC:
        try:
            float(text)
        except ValueError:
            raise InputRejected(f"{name} must be a number, not '{text}'.") from None
    row = session.get(Parameter, name)
    before = audit.snapshot(row) if row is not None else None
    row = params.set_value(session, name, text)
    after = audit.snapshot(row)
    changed = before != after
    if changed:
        audit.record(session, actor, "parameter", name, "create" if before is None else "update",
                     before, after)
    return SetupResult("parameter", name, before is None, changed, {"name": name, "value": text})


@requires("edit_parameters")
def delete_parameter(session: Session, actor: Actor, name: str) -> None:
    if params.spec(name) is not None:
        raise RuleViolation(f"{name} is a declared parameter: set its value instead of removing it.")
    row = session.get(Parameter, name)
    if row is None:
        raise NotFound(f"There is no parameter named {name}.")
    audit.record(session, actor, "parameter", name, "delete", audit.snapshot(row), None)
    session.delete(row)
    session.flush()
