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
from ..permissions import requires
from .fields import require
from .orgs import SetupResult

# Parameters whose value must be a number (a typo would otherwise silently fall back).
NUMERIC = {params.ACCURACY_DANGER, params.ACCURACY_WARNING, params.ACCURACY_SUCCESS,
           params.RECOUNT_BELOW_ACCURACY, params.RECOUNT_ABOVE_VALUE,
           params.LOCRPT_COUNTDAYS_IFNOSAP, params.COUNTLIST_RECLIMIT,
           params.REPLICA_DAYS_BACK, params.REPLICA_DAYS_AHEAD, params.MM60_REMOVAL_LIMIT_PCT,
           params.PLAN_CAPACITY, params.PLAN_DAYS_A, params.PLAN_DAYS_B, params.PLAN_DAYS_C,
           params.PLAN_COUNTER_DAYS, params.ALERT_LOOKBACK_DAYS, params.ALERT_DIFF_VALUE,
           params.ALERT_OUTBOX_HOURS, params.SMTP_PORT}
# Parameters holding a time of day (HH:MM) or blank.
TIMES = {params.ALERT_SAP_BY, params.ALERT_SHEETS_BY}
CHOICES = {params.SMTP_SECURITY: ("none", "starttls", "ssl")}
# Percentages: 0 to 100.
PERCENT = (params.ACCURACY_DANGER, params.ACCURACY_WARNING, params.ACCURACY_SUCCESS,
           params.RECOUNT_BELOW_ACCURACY, params.MM60_REMOVAL_LIMIT_PCT)
# The bands must nest: red below DANGER, yellow above WARNING, green above SUCCESS.
BAND_ORDER = (params.ACCURACY_DANGER, params.ACCURACY_WARNING, params.ACCURACY_SUCCESS)


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
        if row is not None:
            value = row.value
        else:
            assert spec is not None  # a name without a row is a declared one
            value = spec.default
        out.append(ParameterRow(
            name, value, spec.default if spec else None,
            (row.comment if row and row.comment else (spec.comment if spec else None)),
            row.user_modifiable if row else (spec.user_modifiable if spec else True),
            spec is not None))
    return out


def _number(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputRejected(f"{name} must be a number, not '{text}'.") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InputRejected(f"{name} must be a number, not '{text}'.")
    return value


def check_values(values: dict[str, str], changed: set[str] | None = None) -> None:
    """InputRejected naming the parameters when `values` (every parameter, as it would be
    after saving) break a rule: numbers where numbers belong, percentages 0-100, the accuracy
    bands in order, RECOUNT-ABOVE-VALUE not negative. Only `changed` ones are checked for
    being numbers (a junk value saved before the rules existed does not block other edits)."""
    changed = set(values) if changed is None else changed
    numbers: dict[str, float] = {}
    for name in NUMERIC & set(values):
        text = (values[name] or "").strip()
        if name in changed:
            numbers[name] = _number(name, text)
        else:
            numbers[name] = params.as_float(values, name)
    for name in TIMES & changed:
        text = (values.get(name) or "").strip()
        if text and params.parse_time(text) is None:
            raise InputRejected(f"{name} must be a time of day as HH:MM (or blank), not "
                                f"'{text}'.")
    for name, allowed in CHOICES.items():
        text = (values.get(name) or "").strip()
        if name in changed and text.lower() not in allowed:
            raise InputRejected(f"{name} must be one of {', '.join(allowed)}, not '{text}'.")
    for name in PERCENT:
        if name in changed and not 0 <= numbers[name] <= 100:
            raise InputRejected(f"{name} is a percentage: it must be between 0 and 100, "
                                f"not {values[name].strip()}.")
    if params.RECOUNT_ABOVE_VALUE in changed and numbers[params.RECOUNT_ABOVE_VALUE] < 0:
        raise InputRejected(f"{params.RECOUNT_ABOVE_VALUE} must be 0 (off) or more, not "
                            f"{values[params.RECOUNT_ABOVE_VALUE].strip()}.")
    if changed & set(BAND_ORDER):
        danger, warning, success = (numbers[n] for n in BAND_ORDER)
        if not danger <= warning <= success:
            shown = ", ".join(f"{n} = {numbers[n]:g}" for n in BAND_ORDER)
            raise InputRejected(
                "The accuracy bands must be in order: ACCURACY-DANGER <= ACCURACY-WARNING <= "
                f"ACCURACY-SUCCESS (would be {shown}).")


@requires("edit_parameters")
def set_parameter(session: Session, actor: Actor, name: str, value: str) -> SetupResult:
    return set_parameters(session, actor, {name: value})[0]


@requires("edit_parameters")
def set_parameters(session: Session, actor: Actor, changes: dict[str, str]) -> list[SetupResult]:
    """Set several parameters at once, checked together (raising DANGER and WARNING in one
    save is fine even when either alone would be out of order). Audited one by one."""
    cleaned: dict[str, str] = {}
    for name, value in changes.items():
        name = require(name, "a parameter name", 100)
        text = (value or "").strip()
        if len(text) > 512:
            raise InputRejected(f"The value of {name} is too long: at most 512 characters.")
        cleaned[name] = text
    check_values({**params.get_all(session), **cleaned}, set(cleaned))
    results = []
    for name, text in cleaned.items():
        row = session.get(Parameter, name)
        before = audit.snapshot(row) if row is not None else None
        row = params.set_value(session, name, text)
        after = audit.snapshot(row)
        changed = before != after
        if changed:
            audit.record(session, actor, "parameter", name,
                         "create" if before is None else "update", before, after)
        results.append(SetupResult("parameter", name, before is None, changed,
                                   {"name": name, "value": text}))
    return results


@requires("edit_parameters")
def delete_parameter(session: Session, actor: Actor, name: str) -> None:
    if params.spec(name) is not None:
        raise RuleViolation(f"{name} is a declared parameter: set its value instead of "
                            "removing it.")
    row = session.get(Parameter, name)
    if row is None:
        raise NotFound(f"There is no parameter named {name}.")
    audit.record(session, actor, "parameter", name, "delete", audit.snapshot(row), None)
    session.delete(row)
    session.flush()
