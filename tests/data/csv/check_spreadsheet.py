#!/usr/bin/env python3
"""Checks recast's CSV export with real spreadsheet software (not part of CI).

Needs LibreOffice (Debian: libreoffice-calc-nogui) and openpyxl (pip install openpyxl).
Run from the repository root after `cargo build`:

    python3 tests/data/csv/check_spreadsheet.py [path/to/recast]

It exports the generated archive and tests/data/csv/lookalikes.json (with and without
--bom), then
  1. reads each sheet with Python's csv module: one row per record, titles intact;
  2. converts it to .xlsx with LibreOffice headless and reads the cells with openpyxl:
     one row per record, Unicode intact, no formula cells;
  3. opens and saves it as CSV again with LibreOffice (an open-save cycle), edits three
     cells in the .xlsx and saves that as CSV too, and reads both back with recast,
     listing every value that changed.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile

import openpyxl

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
RECAST = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "debug", "recast")
INPUTS = {
    "archive": os.path.join(ROOT, "tests", "data", "generated", "archive.json"),
    "lookalikes": os.path.join(ROOT, "tests", "data", "csv", "lookalikes.json"),
}
CSV_IN = "CSV:44,34,76,1"  # comma, double quote, UTF-8, from line 1
CSV_OUT = "csv:Text - txt - csv (StarCalc):44,34,76,1"


def run(*args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs).stdout


def soffice(out_dir, convert_to, *files, infilter=CSV_IN):
    env = dict(os.environ, HOME=out_dir)  # a private LibreOffice profile
    args = ["soffice", "--headless"]
    if infilter:
        args.append(f"--infilter={infilter}")
    run(*args, "--convert-to", convert_to, "--outdir", out_dir, *files, env=env)


def records(path):
    return [json.loads(line) for line in run(RECAST, "convert", path, "--to", "jsonl").splitlines()]


def differences(a, b, path=""):
    """Every leaf that differs, strictly (types, number spelling, key order)."""
    if type(a) is not type(b):
        return [(path, a, b)]
    if isinstance(a, dict):
        out = [] if list(a) == list(b) else [(path + " (key order)", list(a), list(b))]
        for key in a:
            out += differences(a[key], b.get(key), f"{path}.{key}")
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [(path, a, b)]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}.{i}")]
    return [] if repr(a) == repr(b) else [(path, a, b)]


def report_changes(label, expected, actual):
    changed = [(i, d) for i, (e, a) in enumerate(zip(expected, actual)) for d in differences(e, a)]
    print(f"  {label}: {len(actual)} records back for {len(expected)}; "
          f"{len(changed)} values changed")
    for i, (path, e, a) in changed:
        print(f"    record {i + 1} {path}: {e!r:.60} -> {a!r:.60}")


def main():
    work = tempfile.mkdtemp(prefix="recast-sheet-")
    for name, source in INPUTS.items():
        expected = records(source)
        plain = os.path.join(work, f"{name}.csv")
        bom = os.path.join(work, f"{name}-bom.csv")
        run(RECAST, "convert", source, "-o", plain)
        run(RECAST, "convert", source, "-o", bom, "--bom")
        print(f"{name}: {len(expected)} records")

        for path, encoding in [(plain, "utf-8"), (bom, "utf-8-sig")]:
            with open(path, newline="", encoding=encoding) as f:
                rows = list(csv.reader(f))
            title = rows[0].index("title")
            same = sum(
                1 for r, row in zip(expected, rows[1:])
                if row[title] in (r["title"], "'" + r["title"])
            )
            print(f"  python csv ({encoding}) {os.path.basename(path)}: {len(rows) - 1} rows, "
                  f"{len({len(r) for r in rows})} row width(s), first header {rows[0][0]!r}, "
                  f"titles intact {same}/{len(expected)}")

        soffice(work, "xlsx", plain, bom)
        for path in [plain, bom]:
            book = openpyxl.load_workbook(path[:-4] + ".xlsx")
            cells = list(book.active.iter_rows())
            header = [c.value for c in cells[0]]
            formulas = [c.coordinate for row in cells for c in row if c.data_type == "f"]
            non_ascii = [c.value for row in cells[1:] for c in row
                         if isinstance(c.value, str) and any(ord(ch) > 127 for ch in c.value)]
            print(f"  LibreOffice → xlsx → openpyxl {os.path.basename(path)}: {len(cells) - 1} rows, "
                  f"first header {header[0]!r}, formula cells {formulas}, "
                  f"{len(non_ascii)} non-ASCII cells, e.g. {non_ascii[:2]}")

        cycle = os.path.join(work, "cycle")
        os.makedirs(cycle, exist_ok=True)
        soffice(cycle, CSV_OUT, plain)
        report_changes("LibreOffice open-save cycle", expected, records(os.path.join(cycle, f"{name}.csv")))

        if name == "archive":
            book = openpyxl.load_workbook(plain[:-4] + ".xlsx")
            sheet = book.active
            header = [c.value for c in sheet[1]]
            sheet.cell(row=2, column=header.index("title") + 1).value = "Edited in a spreadsheet"
            sheet.cell(row=2, column=header.index("quality") + 1).value = 77
            sheet.cell(row=3, column=header.index("topics:list") + 1).value = "AI; Policy"
            edited = os.path.join(work, "edited.xlsx")
            book.save(edited)
            soffice(cycle, CSV_OUT, edited, infilter=None)
            report_changes("three cells edited, saved as CSV by LibreOffice", expected,
                           records(os.path.join(cycle, "edited.csv")))


if __name__ == "__main__":
    main()
