"""The `wics` command line's foundation: db upgrade/info, exit codes, task log lines."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from wics_desktop import __version__
from wics_desktop.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_upgrade_then_info_json(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    code, out, err = run(capsys, "--db", url, "db", "upgrade")
    assert code == 0 and "revision" in out
    code, out, err = run(capsys, "--db", url, "db", "info", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["dialect"] == "sqlite" and doc["revision"]
    for table in ("organizations", "materials", "part_types", "count_schedule", "actual_counts",
                  "sap_stock", "mpn", "users", "parameters", "holidays"):
        assert table in doc["row_counts"]
    assert doc["row_counts"]["parameters"] >= 3  # the declared parameters were inserted


def test_info_masks_the_password(mysql_server_url, capsys):
    url = mysql_server_url.set(password="s3cret", database="nope_does_not_exist")
    code, out, err = run(capsys, "--db", url.render_as_string(hide_password=False),
                         "db", "info", "--json")
    assert "s3cret" not in out + err


def test_unreachable_database_exits_4(capsys):
    code, out, err = run(capsys, "--db", "mysql+pymysql://u:pw@127.0.0.1:1/wics", "db", "info")
    assert code == 4 and "Cannot reach" in err and "pw" not in err


def test_commands_need_the_schema(tmp_path, capsys):
    code, out, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'empty.sqlite'}", "log", "tail")
    assert code == 0  # log tail needs no database
    code, out, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'e.sqlite'}", "demo",
                         "--materials", "0")
    assert code == 2


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["db", "no-such-action"])
    assert exc.value.code == 2


def test_version_is_quick_and_needs_no_qt():
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    result = subprocess.run([sys.executable, "-m", "wics_desktop", "--version"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0 and __version__ in result.stdout


def test_task_log_line_for_a_job(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 't.sqlite'}"
    assert run(capsys, "--db", url, "--user", "maria", "db", "upgrade")[0] == 0
    code, out, err = run(capsys, "log", "tail", "--lines", "1", "--json")
    assert code == 0
    (line,) = json.loads(out)
    assert line["job"] == "db-upgrade" and line["user"] == "maria"
    assert line["outcome"] == "ok" and line["duration"] >= 0 and line["workstation"]
    assert set(line) >= {"job", "user", "workstation", "started", "duration", "rows", "outcome"}


def test_task_log_records_a_failure(capsys):
    code, *_ = run(capsys, "--db", "mysql+pymysql://u:pw@127.0.0.1:1/wics", "db", "upgrade")
    assert code == 4
    code, out, err = run(capsys, "log", "tail", "--lines", "1", "--json")
    (line,) = json.loads(out)
    assert line["job"] == "db-upgrade" and line["outcome"] == "rejected"
    assert "Cannot reach" in line["detail"]


def test_output_piped_into_head_is_not_an_error(tmp_path):
    """`wics report ... | head` closes stdout early: no 'Unexpected error', exit 0."""
    db = f"sqlite:///{tmp_path / 'p.sqlite'}"
    wics = [sys.executable, "-m", "wics_desktop", "--db", db]
    assert subprocess.run(wics + ["demo", "--materials", "300", "--days", "5"],
                          capture_output=True).returncode == 0
    proc = subprocess.Popen(wics + ["report", "materials", "--by", "part-type", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()  # like `head -c 10`
    err = proc.stderr.read().decode()
    assert proc.wait() == 0, err
    assert "Unexpected" not in err and "BrokenPipe" not in err
