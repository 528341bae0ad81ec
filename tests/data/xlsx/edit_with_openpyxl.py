#!/usr/bin/env python3
"""Checks a workbook recast wrote, then edits it as a user would (tests/spreadsheets.rs).

    python3 edit_with_openpyxl.py IN.xlsx OUT.xlsx

Checks, on the first sheet: the header row is bold, frozen (panes at A2) and filtered;
no cell is a formula; `quality` cells are numbers, `published:bool` cells booleans,
`title` cells text. Then edits:
the title of the first record, the quality of the second (42), a new row (title
"New row", quality 7), the `excerpt` column deleted; saves to OUT.xlsx.
"""

import sys

import openpyxl

source, target = sys.argv[1], sys.argv[2]
book = openpyxl.load_workbook(source)
sheet = book.worksheets[0]
header = [cell.value for cell in sheet[1]]
assert sheet.freeze_panes == "A2", sheet.freeze_panes
assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.auto_filter.ref
assert all(cell.font.b for cell in sheet[1]), "the header is not bold"
for row in sheet.iter_rows():
    for cell in row:
        assert cell.data_type != "f", f"{cell.coordinate} is a formula"
column = {name: i + 1 for i, name in enumerate(header)}
for row in range(2, sheet.max_row + 1):
    quality = sheet.cell(row, column["quality"])
    assert quality.data_type == "n" and isinstance(quality.value, int), (quality.coordinate, quality.value)
    published = sheet.cell(row, column["published:bool"])
    assert published.data_type == "b", (published.coordinate, published.value)
    title = sheet.cell(row, column["title"])
    assert title.data_type == "s", (title.coordinate, title.value)

sheet.cell(2, column["title"]).value = "Edited title"
sheet.cell(3, column["quality"]).value = 42
new_row = sheet.max_row + 1
sheet.cell(new_row, column["title"]).value = "New row"
sheet.cell(new_row, column["quality"]).value = 7
sheet.delete_cols(column["excerpt"])
book.save(target)
print("ok")
