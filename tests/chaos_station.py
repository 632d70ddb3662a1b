"""One simulated workstation of the chaos harness, run as its own process.

`python chaos_station.py URL JOURNAL OPS_JSON` runs its operations in order through the real
`wics` command line in this process (its own data folder, so its own replica and outbox, comes
from WICS_DATA_DIR). Before each count it appends `try <uuid>` to its journal and, when the
command returned 0, `saved <uuid> online|offline` - flushed and fsynced, so the journal says
what the station knew even when it is killed with SIGKILL the next instant. A restarted station
skips the operations its journal marks done and re-sends an interrupted count with the same
uuid (as the outbox does).
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import time


def _journal(path: str):
    done, tried = set(), set()
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            kind, _, rest = line.strip().partition(" ")
            if kind == "done":
                done.add(int(rest))
            elif kind == "try":
                tried.add(rest)
    return done, tried


def _write(f, text: str) -> None:
    f.write(text + "\n")
    f.flush()
    os.fsync(f.fileno())


def _wics(url: str, *args: str) -> tuple[int, str, str]:
    from wics_desktop.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", url, *args])
    return code, out.getvalue(), " ".join(err.getvalue().split())[:200]


def run(url: str, journal: str, ops: list[dict]) -> int:
    done, _tried = _journal(journal)
    with open(journal, "a", encoding="utf-8") as f:
        for index, op in enumerate(ops):
            if index in done:
                continue
            if op["op"] == "add":
                _write(f, f"try {op['uuid']}")
                code, out, err = _wics(url, "count", "add", "--date", op["date"], "--material",
                                  op["material"], "--counter", op["counter"], "--location",
                                  op["location"], f"--qty={op['qty']}", "--uuid", op["uuid"],
                                  "--json")
                if code == 0:
                    where = "offline" if json.loads(out)["offline"] else "online"
                    _write(f, f"saved {op['uuid']} {where}")
                else:
                    _write(f, f"refused {op['uuid']} {code} {err}")
            elif op["op"] == "sync":
                code, _out, _err = _wics(url, "sync", "--json")
                _write(f, f"sync {code}")
            _write(f, f"done {index}")
            time.sleep(op.get("pause", 0))
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1], sys.argv[2], json.loads(open(sys.argv[3]).read())))
