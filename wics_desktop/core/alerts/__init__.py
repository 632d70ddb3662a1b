"""Alerts: rules that find what needs a supervisor now, open and close alerts by themselves as
the data changes, and send one e-mail per new alert (core.alerts.engine has the life cycle,
core.alerts.rules the rules, core.alerts.mail the SMTP side)."""
from .engine import (
                     AlertInfo,
                     CheckResult,
                     acknowledge,
                     acknowledge_all,
                     after_change,
                     check,
                     check_and_notify,
                     list_open,
                     open_count,
)

__all__ = ["AlertInfo", "CheckResult", "acknowledge", "acknowledge_all", "after_change", "check",
           "check_and_notify", "list_open", "open_count"]
