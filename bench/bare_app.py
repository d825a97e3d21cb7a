"""The baseline: a bare Textual app with the widgets of guichet's main screen and no logic.

A header-like Static, an Input, an OptionList of 12 static items (cleared and re-added on every
key, as guichet repaints its results) and a Footer. No catalog, no search, no database: what any
Textual app of this shape costs on this machine, in the same run as guichet.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

ITEMS = tuple(f"Service numéro {n}  [dim]accueil[/dim]" for n in range(1, 13))


class BareApp(App[None]):
    """Input → OptionList with 12 static items, re-added on every change."""

    CSS = """
    #bare-header { dock: top; height: 1; background: $primary; }
    #bare-results { height: 1fr; border: round $primary-darken-2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quitter", id="bare.quit", priority=True),
        Binding("f2", "bell", "Agences", id="bare.f2"),
        Binding("f4", "bell", "Rendez-vous", id="bare.f4"),
    ]

    def __init__(self, *, cursor_blink: bool = True) -> None:
        super().__init__()
        self.cursor_blink = cursor_blink
        self.shown = ""

    def compose(self) -> ComposeResult:
        yield Static("bare · Nanterre", id="bare-header")
        yield Input(placeholder="Ce que dit la personne", id="bare-input")
        yield OptionList(id="bare-results")
        yield Footer()

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_blink = self.cursor_blink
        field.focus()
        self.show_results("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_results(event.value)

    def show_results(self, text: str) -> None:
        """Re-add the same 12 options (the cheapest possible 'search')."""
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options(Option(item, id=f"s{n}") for n, item in enumerate(ITEMS))
        results.highlighted = 0
        self.shown = text


class BareTableApp(App[None]):
    """The baseline of the list screens: a header, a DataTable, a message line, a Footer."""

    CSS = """
    #bare-header { dock: top; height: 1; background: $primary; }
    #bare-table { height: 1fr; }
    #bare-message { height: 3; }
    """
    BINDINGS: ClassVar[list[BindingType]] = BareApp.BINDINGS

    def compose(self) -> ComposeResult:
        yield Static("bare · Nanterre", id="bare-header")
        yield Static("Liste", id="bare-title")
        yield DataTable(id="bare-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="bare-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def show(self, columns: list[str], rows: list[list[str]]) -> None:
        """Replace the table's content, as the screens do: clear, then one add_row per row."""
        table = self.query_one(DataTable)
        if [str(c.label) for c in table.ordered_columns] != columns:
            table.clear(columns=True)
            table.add_columns(*columns)
        table.clear()
        for cells in rows:
            table.add_row(*cells)
        self.query_one("#bare-message", Static).update(f"{len(rows)} lignes")


if __name__ == "__main__":
    BareApp().run()
