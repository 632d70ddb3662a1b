"""Property: whatever the cells, names and options, `wics import ...` and `wics report ...`
never exit 1 and never print a traceback (issue 14, item 6). A CI-sized budget here; the long
run is benchmarks/bench_cli_fuzz.py. On both databases."""
from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings

from cli_fuzz import command, run_one
from imports_fixtures import setup_reference

EXAMPLES = 25


@pytest.fixture
def world(db):
    setup_reference(db, [("L10", "A-100"), ("L10", "1115416"), ("L10", "BOTH"), ("L6", "BOTH")])
    return db


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(cmd=command())
def test_import_and_report_commands_never_exit_1(world, tmp_path, cmd):
    url = world.url.render_as_string(hide_password=False)
    code, err = run_one(url, tmp_path / uuid.uuid4().hex[:8], cmd)
    assert code in (0, 2, 3, 4, 5), (code, cmd["args"], err[-2000:])
    assert "Traceback" not in err and "Unexpected error" not in err, (cmd["args"], err[-2000:])
