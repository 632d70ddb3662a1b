"""Start-up time of WICS Desktop, from source and from the PyInstaller bundle.

    .venv/bin/python benchmarks/bench_startup.py                 # bundle from dist/wics if built
    .venv/bin/python benchmarks/bench_startup.py --bundle DIR --runs 5 --materials 1000

Measures, as a user launching it would see:
  * `wics-desktop --self-test --db DEMO`: launch until the process has opened the main window on
    the demo database and exited (an upper bound for launch-to-main-window; target < 3 s);
  * `wics --version`: the command line's floor (no database, no Qt).

Each is timed cold and warm. Cold: the program's own files (the bundle folder, or the virtual
environment, the Python standard library and the source tree) are dropped from the page cache
with posix_fadvise(DONTNEED) before every run, so Python, Qt and the libraries are read from disk
as on the first start after boot; only this program's files are evicted, the rest of the
machine is left alone. Warm: the same command again right after. Figures: median and best wall
time, and the median CPU time (user+system), which hardly moves with the machine's load.

The demo database is made once in a temporary folder with the source's `wics demo` (the size
the desktop's --demo uses: 1,000 materials, 30 days); if the demo generator has not landed yet
the schema alone is used and the report says so.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 3.0


def evict(paths: list[Path]) -> int:
    """Drop these files' pages from the page cache; returns how many files were advised."""
    if not hasattr(os, "posix_fadvise"):
        return 0
    count = 0
    for base in paths:
        if not base.exists():
            continue
        files = [base] if base.is_file() else (p for p in base.rglob("*") if p.is_file())
        for path in files:
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                count += 1
            finally:
                os.close(fd)
    return count


def clean_env(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WICS_", "PYTHON"))}
    env.update(QT_QPA_PLATFORM="offscreen", WICS_CONFIG_DIR=str(work / "config"),
               WICS_SITE_CONFIG_DIR=str(work / "site"), WICS_DATA_DIR=str(work / "data"),
               WICS_LOG_DIR=str(work / "log"))
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds user+system) of one run. CPU time hardly depends on what else
    the machine is doing, so it is the steadier figure on a shared build machine."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    if hasattr(os, "wait4"):
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        returncode = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
        proc.returncode = returncode
    else:  # pragma: no cover - Windows
        proc.wait()
        elapsed, returncode, cpu = time.perf_counter() - start, proc.returncode, float("nan")
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({returncode}):\n{stderr[-2000:]}")
    return elapsed, cpu


def measure(cmd, env, cwd, cache_files, runs) -> dict[str, list[float]]:
    """Wall and CPU seconds of each cold and each warm run."""
    out: dict[str, list[float]] = {"cold": [], "warm": [], "cold_cpu": [], "warm_cpu": []}
    for _ in range(runs):
        evict(cache_files)
        for kind in ("cold", "warm"):
            wall, cpu = timed(cmd, env, cwd)
            out[kind].append(wall)
            out[f"{kind}_cpu"].append(cpu)
    return out


def make_demo_db(work: Path, env: dict[str, str], materials: int) -> tuple[str, str]:
    url = f"sqlite:///{work / 'demo.sqlite'}"
    wics = [sys.executable, "-m", "wics_desktop", "--db", url]
    proc = subprocess.run(wics + ["demo", "--materials", str(materials), "--days", "30"],
                          env=env, cwd=work, capture_output=True, text=True)
    if proc.returncode == 0:
        return url, f"demo database, {materials} materials, 30 days"
    subprocess.run(wics + ["db", "upgrade"], env=env, cwd=work, check=True, capture_output=True)
    return url, "EMPTY schema: the demo generator is not in this checkout yet (wics demo failed)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bundle", type=Path, default=ROOT / "dist" / "wics",
                    help="bundle folder from packaging/build.sh "
                         "(default dist/wics; skipped if absent)")
    ap.add_argument("--runs", type=int, default=5, help="cold+warm pairs per command (default 5)")
    ap.add_argument("--materials", type=int, default=1000, help="demo size (default 1000)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="wics-bench-startup-"))
    try:
        env = clean_env(work)
        url, db_note = make_demo_db(work, env, args.materials)
        source_files = [Path(sysconfig.get_paths()["purelib"]),
                        Path(sysconfig.get_paths()["stdlib"]), ROOT / "wics_desktop",
                        Path(sys.executable).resolve()]
        cases = [("source", "wics-desktop --self-test",
                  [sys.executable, "-m", "wics_desktop.ui.main", "--self-test", "--db", url],
                  source_files),
                 ("source", "wics --version", [sys.executable, "-m", "wics_desktop", "--version"],
                  source_files)]
        bundle = args.bundle.resolve()
        if (bundle / "wics-desktop").is_file():
            cases += [("bundle", "wics-desktop --self-test",
                       [str(bundle / "wics-desktop"), "--self-test", "--db", url], [bundle]),
                      ("bundle", "wics --version", [str(bundle / "wics"), "--version"], [bundle])]
        else:
            print(f"(no bundle at {bundle}: build it with packaging/build.sh to time it too)")

        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"start-up of WICS Desktop; database: {db_note}")
        print(f"{args.runs} runs each; {os.cpu_count()} CPUs, load average {load:.1f} at start "
              f"(other work on the machine slows the medians; 'best' is the least disturbed run)")
        print(f"{'from':<8} {'command':<26} {'cold median':>11} {'best':>6} {'warm median':>11} "
              f"{'best':>6} {'CPU s cold/warm':>16}")
        results = {}
        for where, label, cmd, files in cases:
            r = measure(cmd, env, work, files, args.runs)
            cold, warm = statistics.median(r["cold"]), statistics.median(r["warm"])
            results[(where, label)] = (cold, warm)
            cpu = f"{statistics.median(r['cold_cpu']):.2f}/{statistics.median(r['warm_cpu']):.2f}"
            print(f"{where:<8} {label:<26} {cold:>11.2f} {min(r['cold']):>6.2f} {warm:>11.2f} "
                  f"{min(r['warm']):>6.2f} {cpu:>16}")
        gui = "wics-desktop --self-test"
        if ("bundle", gui) in results:
            (sc, sw), (bc, bw) = results[("source", gui)], results[("bundle", gui)]
            print(f"bundle/source ratio, wics-desktop: cold {bc / sc:.2f}, warm {bw / sw:.2f}")
            verdict = "meets" if bc < TARGET_SECONDS else "MISSES"
            print(f"bundle cold start to main window {bc:.2f} s: "
                  f"{verdict} the {TARGET_SECONDS:.0f} s target")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
