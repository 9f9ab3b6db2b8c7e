"""CSV exports of admin tables, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response

# Spreadsheets run a cell that starts with one of these as a formula ("=HYPERLINK(…)").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A value as CSV cell text; text a spreadsheet would run as a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable], bom: bool = False) -> Response:
    """A CSV download; every cell through csv_cell. `bom` lets spreadsheet programs read UTF-8
    (Arabic, Welsh) correctly."""
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return Response(
        out.getvalue(), mimetype="text/csv", headers={"Content-Disposition": f"attachment; filename={filename}"}
    )
