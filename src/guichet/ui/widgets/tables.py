"""Helpers for the DataTable lists (the agencies)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.widgets import DataTable


def refill(table: DataTable[Text], rows: Iterable[Sequence[str]], keys: Iterable[str] | None = None) -> int:
    """Replace the rows of ``table``, keeping the cursor on the same line when it still exists.

    Cells are shown literally: DataTable would read a ``str`` cell as Rich markup, and names come
    from the data files."""
    cursor = table.cursor_row
    table.clear()
    key_list = list(keys) if keys is not None else None
    count = 0
    for position, row in enumerate(rows):
        table.add_row(*(Text(cell, no_wrap=True, end="") for cell in row), key=key_list[position] if key_list else None)
        count += 1
    if count:
        table.move_cursor(row=min(max(cursor, 0), count - 1))
    return count
