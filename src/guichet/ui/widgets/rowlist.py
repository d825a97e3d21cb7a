"""A light table for long lists: fixed columns, a cursor, only the visible lines rendered.

Textual's DataTable measures every cell of every row when rows are replaced, which costs
tens of milliseconds on the UI thread for the lists that refresh in the background (slots,
day sheet, handoffs). This widget draws lines on demand with the line API, so a refresh costs
what the visible rows cost, whatever the length of the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

# Cells are drawn as raw segments: a control character would reach the terminal as it is (ESC
# starts a sequence) and has no width. Names are refused with one on the way in; rows written
# before that check, or by hand, show each as the replacement character.
_CONTROLS = dict.fromkeys((*range(0x00, 0x20), *range(0x7F, 0xA0)), "\N{REPLACEMENT CHARACTER}")


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header and its width in cells (the last one takes what is left)."""

    label: str
    width: int


def fit(text: str, width: int) -> str:
    """``text`` cut with an ellipsis or padded to exactly ``width`` cells."""
    if cell_len(text) > width:
        return set_cell_size(text, max(width - 1, 0)) + "…" if width else ""
    return set_cell_size(text, width)


def fit_widths(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> tuple[Column, ...]:
    """``columns``, each as wide as its title and its longest cell, and one cell more to set it apart
    from the next (a short list, such as the agencies)."""
    return tuple(Column(column.label, 1 + max([column.width, cell_len(column.label),
                                               *(cell_len(row[n]) for row in rows if n < len(row))]))
                 for n, column in enumerate(columns))


class RowList(ScrollView, can_focus=True):
    """Rows of text cells under a header line; ↑/↓ move the cursor, Entrée selects."""

    DEFAULT_CSS = """
    RowList {
        height: 1fr;
        background: $surface;
    }
    RowList > .rowlist--header { text-style: bold; background: $panel; }
    RowList > .rowlist--cursor { background: $block-cursor-blurred-background; }
    RowList:focus > .rowlist--cursor { background: $block-cursor-background; color: $block-cursor-foreground;
                                       text-style: bold; }
    """
    COMPONENT_CLASSES = {"rowlist--header", "rowlist--cursor"}

    BINDINGS = [
        Binding("up", "move(-1)", "Précédent", id="rowlist.up", show=False),
        Binding("down", "move(1)", "Suivant", id="rowlist.down", show=False),
        Binding("pageup", "page(-1)", "Page précédente", id="rowlist.pageup", show=False),
        Binding("pagedown", "page(1)", "Page suivante", id="rowlist.pagedown", show=False),
        Binding("home", "edge(0)", "Début", id="rowlist.home", show=False),
        Binding("end", "edge(1)", "Fin", id="rowlist.end", show=False),
        Binding("enter", "select", "Choisir", id="rowlist.select", show=False),
    ]

    cursor_row: reactive[int] = reactive(0)

    @dataclass
    class Highlighted(Message):
        """The cursor moved to ``row``."""

        rowlist: RowList
        row: int

        @property
        def control(self) -> RowList:
            return self.rowlist

    @dataclass
    class Selected(Message):
        """Entrée on ``row``."""

        rowlist: RowList
        row: int

        @property
        def control(self) -> RowList:
            return self.rowlist

    def __init__(self, columns: Sequence[Column], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = tuple(columns)
        self.rows: list[tuple[str, ...]] = []
        self._lines: list[str] = []
        self._drawing: tuple[Style, Style, Style] | None = None  # base, header, cursor: during render_lines

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        """Replace the rows, keeping the cursor on the same line when it still exists.

        The same rows again (a periodic refresh that found nothing new) redraw nothing; listeners are
        still told (Highlighted), as what they show may hold more than the row's cells."""
        new_rows = [tuple(row) for row in rows]
        unchanged = new_rows == self.rows
        if not unchanged:
            self.rows = new_rows
            self._lines = [self._format(row) for row in self.rows]
            # No horizontal scrolling: lines are cut to the widget's width (the last column first).
            self._set_virtual_height(len(self.rows) + 1)
        cursor = min(self.cursor_row, max(len(self.rows) - 1, 0))
        if cursor != self.cursor_row:
            self.cursor_row = cursor
        else:
            self.post_message(self.Highlighted(self, cursor))
        if not unchanged:
            self.refresh()

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Other columns (widths): the rows are laid out again, when they change."""
        columns = tuple(columns)
        if columns != self.columns:
            self.columns = columns
            self._lines = [self._format(row) for row in self.rows]
            self.refresh()

    def _set_virtual_height(self, height: int) -> None:
        """The rows' height, for scrolling. Textual lays the whole screen out again when a virtual size
        changes; the list's own size is its CSS's, so only its scrollbar is updated (a scrollbar that
        appears or goes still lays the screen out: Textual's ``show_vertical_scrollbar``)."""
        size = Size(0, height)
        if size == self.virtual_size:
            return
        if self.styles.height is not None and self.styles.height.is_auto:  # as high as its rows: laid out
            self.virtual_size = size
            return
        self.set_reactive(RowList.virtual_size, size)
        if self.is_mounted:
            self._scroll_update(size)

    def _format(self, cells: Sequence[str]) -> str:
        parts = [fit(cell.translate(_CONTROLS), column.width)
                 for cell, column in zip(cells, self.columns, strict=False)]
        return " " + " ".join(parts)

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles, once for all the lines of this drawing: each costs a walk up the widget tree
        # (the background colours), 0.2 ms a line, the most of a refresh of a long list (issue 16).
        base = self.rich_style
        self._drawing = (base, base + self.get_component_rich_style("rowlist--header"),
                         base + self.get_component_rich_style("rowlist--cursor"))
        try:
            return super().render_lines(crop)
        finally:
            self._drawing = None

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_y = self.scroll_offset.y
        if self._drawing is not None:
            base, header, cursor = self._drawing
        else:
            base = self.rich_style
            header = base + self.get_component_rich_style("rowlist--header")
            cursor = base + self.get_component_rich_style("rowlist--cursor")
        if y == 0:  # the header stays in place while the rows scroll
            text = self._format([c.label for c in self.columns])
            style = header
        else:
            index = scroll_y + y - 1
            if index >= len(self._lines):
                return Strip.blank(width, base)
            text = self._lines[index]
            style = cursor if index == self.cursor_row else base
        line = fit(text, width)
        return Strip([Segment(line, style)], width)

    # -- cursor ---------------------------------------------------------------------
    def watch_cursor_row(self, row: int) -> None:
        visible = max(self.size.height - 1, 1)
        top = self.scroll_offset.y
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + visible:
            self.scroll_to(y=row - visible + 1, animate=False)
        self.refresh()
        if self.rows:
            self.post_message(self.Highlighted(self, row))

    def move_cursor(self, row: int) -> None:
        if self.rows:
            self.cursor_row = min(max(row, 0), len(self.rows) - 1)

    def action_move(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_page(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step * max(self.size.height - 2, 1))

    def action_edge(self, end: int) -> None:
        self.move_cursor(len(self.rows) - 1 if end else 0)

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.Selected(self, self.cursor_row))
