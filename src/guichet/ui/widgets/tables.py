"""Helpers for the DataTable lists (day sheet, handoffs, agencies)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.widgets import DataTable

DB_UNREACHABLE = "Base de données injoignable : réessayez dans un instant."


def refill(table: DataTable[str], rows: Iterable[Sequence[str]], keys: Iterable[str] | None = None) -> int:
    """Replace the rows of ``table``, keeping the cursor on the same line when it still exists."""
    cursor = table.cursor_row
    table.clear()
    key_list = list(keys) if keys is not None else None
    count = 0
    for position, row in enumerate(rows):
        table.add_row(*row, key=key_list[position] if key_list else None)
        count += 1
    if count:
        table.move_cursor(row=min(max(cursor, 0), count - 1))
    return count
