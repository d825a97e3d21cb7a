"""CSV exports for spreadsheets: ``;``-separated (French spreadsheets), formulas neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence


def csv_safe(value: object) -> str:
    """A cell as text; one starting like a formula is quoted so no spreadsheet runs it (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The header and the rows as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([csv_safe(cell) for cell in row] for row in rows)
    return buffer.getvalue()
