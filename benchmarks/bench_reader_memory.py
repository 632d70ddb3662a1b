"""Peak memory of `wics import sap-soh` on crafted and large files (issue 14, item 1).

Each file is imported by a new process (`python -m wics_desktop ... import sap-soh FILE --date D
--json`) into a throwaway SQLite database holding the plants and materials the files use; the
child prints its own peak resident memory (VmHWM) as it exits. Printed per file: its size, the
exit code, the seconds and the peak. Target: every file of 10 MB or less peaks below 500 MB, and
never an abort (exit 134) or an exit 1.

    python benchmarks/bench_reader_memory.py               # files up to 10 MB
    python benchmarks/bench_reader_memory.py --size-mb 2   # quicker: the large files at 2 MB

The files:
  far-xfd / far-z     5 KB: two MB52 rows and one empty text cell at XFD1048576 / Z1048576
                      (the crash and the 1.2 GB of the issue)
  gap-70000           a value at XFD70000 below two rows (read row by row)
  ods-repeats         2 KB .ods: one value cell repeated 26 x 1,048,575 times (refused)
  shared-copies       one 30 KB shared string in 4 cells of every row (calamine copies it per
                      cell: read row by row instead)
  long-text           one cell whose text unpacks to 1 GB (refused: a row beyond 32 MB)
  numbers             cells `1` packed as tightly as a zip allows, SIZE MB (refused: cells)
  mb52-xlsx           realistic MB52 rows, SIZE MB of .xlsx (imported)
  mb52-csv            the same rows as .csv, SIZE MB (imported)
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from bench_imports import MB52_HEADER, PEAK, part_numbers, setup_database  # noqa: E402
from crafted_workbooks import (  # noqa: E402
    _CT,
    _HEAD,
    _RELS,
    _TAIL,
    _WB,
    _WB_RELS,
    _letters,
    _row,
    write_raw_xlsx,
)

WICS = PEAK + ("import runpy\nsys.argv = ['wics'] + sys.argv[1:]\n"
               "runpy.run_module('wics_desktop', run_name='__main__')\n")

def mb52_values(rnd: random.Random, parts: list[str]):
    part = rnd.choice(parts)
    amount = rnd.randint(0, 50000)
    # in the order of bench_imports.MB52_HEADER
    return [part, rnd.choice(["FW61", "FW62"]), f"{rnd.randint(1, 40):04d}",
            f"Part {part} description text", rnd.choice(["ZROH", "ZHLB"]),
            rnd.choice(["EA", "KPC"]),
            amount, "USD", round(amount * 1.37, 2), "", rnd.randint(0, 3), 0, "",
            f"B{rnd.randint(1, 9999)}"]


def build_files(folder: Path, size_mb: float, parts: list[str]) -> dict[str, Path]:
    from crafted_workbooks import write_ods_with_repeats

    rnd = random.Random(14)
    size = int(size_mb * 1024 * 1024)
    header = _row(1, MB52_HEADER)
    two = [header, _row(2, mb52_values(rnd, parts)), _row(3, mb52_values(rnd, parts))]
    files: dict[str, Path] = {}
    for name, ref in (("far-xfd", "XFD1048576"), ("far-z", "Z1048576")):
        files[name] = write_raw_xlsx(folder / f"{name}.xlsx", two + [
            f'<row r="{ref[-7:]}"><c r="{ref}" t="inlineStr"><is><t></t></is></c></row>'])
    files["gap-70000"] = write_raw_xlsx(folder / "gap.xlsx", two + [
        '<row r="70000"><c r="XFD70000"><v>1</v></c></row>'])
    files["ods-repeats"] = write_ods_with_repeats(folder / "repeats.ods", 1_048_575, 26)
    long_text = "x" * 30_000

    def shared_rows():  # a good row, and the long text in 4 columns WICS does not read
        yield header
        for n in range(2, 1_048_577):
            yield (f'<row r="{n}"><c r="A{n}" t="s"><v>1</v></c><c r="B{n}" t="s"><v>2</v></c>'
                   f'<c r="G{n}"><v>5</v></c>'
                   + "".join(f'<c r="{_letters(j)}{n}" t="s"><v>0</v></c>' for j in range(14, 18))
                   + "</row>")
    files["shared-copies"] = write_raw_xlsx(folder / "shared.xlsx", shared_rows(),
                                            shared=[long_text, parts[0], "FW61"], stop_at=size)
    path = folder / "long-text.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT % "")
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB)
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS % "")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write((_HEAD + header + '<row r="2"><c r="A2" t="inlineStr"><is><t>').encode())
            block = b"y" * (1 << 20)
            for _ in range(1024):
                fh.write(block)
            fh.write(("</t></is></c></row>" + _TAIL).encode())
    files["long-text"] = path

    def number_rows():
        yield header
        for n in range(2, 1_048_577):
            yield f'<row r="{n}">' + "".join(f'<c r="{_letters(j)}{n}"><v>1</v></c>'
                                             for j in range(14)) + "</row>"
    files["numbers"] = write_raw_xlsx(folder / "numbers.xlsx", number_rows(), stop_at=size)

    rows: list[list] = []

    def mb52_rows():
        yield header
        for n in range(2, 1_048_577):
            values = mb52_values(rnd, parts)
            rows.append(values)
            yield _row(n, values)
    files["mb52-xlsx"] = write_raw_xlsx(folder / "mb52.xlsx", mb52_rows(), stop_at=size)
    import csv

    path = folder / "mb52.csv"
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(MB52_HEADER)
        for values in rows:
            writer.writerow(values)
            if fh.tell() > size:
                break
    files["mb52-csv"] = path
    return files


def run(url: str, path: Path) -> tuple[int, float, float, str]:
    argv = [sys.executable, "-c", WICS, "--db", url, "import", "sap-soh", str(path), "--date",
            "2026-11-20", "--json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    peak = [line.split()[1] for line in proc.stderr.splitlines() if line.startswith("PEAK_KB")]
    try:
        doc = json.loads(proc.stdout)
        what = (f"{doc.get('rows_added', 0):,} rows added" if doc.get("written")
                else doc.get("error", "")[:90])
    except ValueError:
        what = (proc.stderr.strip().splitlines() or ["?"])[-1][:90]
    return proc.returncode, seconds, int(peak[-1]) / 1024 if peak else float("nan"), what


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=float, default=10.0,
                    help="size of the large files (default 10)")
    ap.add_argument("--only", metavar="NAME[,NAME...]", help="import only these files")
    args = ap.parse_args()
    only = set(args.only.split(",")) if args.only else None
    parts = part_numbers(2000)
    with tempfile.TemporaryDirectory(prefix="wics-reader-mem-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'bench.sqlite'}"
        setup_database(url, [("L6", p) for p in parts])
        files = build_files(folder, args.size_mb, parts)
        print(f"{'file':<14} {'size':>10} {'exit':>4} {'seconds':>8} {'peak MB':>8}  result")
        worst = 0.0
        for name, path in files.items():
            if only and name not in only:
                continue
            code, seconds, peak, what = run(url, path)
            size = path.stat().st_size
            if size <= 10 * 1024 * 1024:
                worst = max(worst, peak)
            print(f"{name:<14} {size / 1048576:>8.2f}MB {code:>4} {seconds:>8.2f} "
                  f"{peak:>8.0f}  {what}", flush=True)
        print(f"highest peak of a file <= 10 MB: {worst:.0f} MB (target < 500 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
