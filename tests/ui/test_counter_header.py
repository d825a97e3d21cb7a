"""The header's database state, set by the app's periodic check at any moment, even on a header whose
lines are not composed yet (a screen being opened): never an error, and never overwritten by the
state the header was made with."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from guichet.ui.widgets.counter_header import CounterHeader
from tests.conftest import FIXED_NOW


def _header() -> CounterHeader:
    return CounterHeader(lambda: FIXED_NOW, "Nanterre", "base locale")


def test_a_state_set_before_the_lines_exist_is_no_error() -> None:
    header = _header()
    header._status()  # what a watcher runs: no line to update yet, nothing raised
    header.watch_agency_name("Montrouge")


async def test_a_state_set_before_mounting_is_the_one_shown() -> None:
    header = _header()
    header.database = "base partagée INJOIGNABLE"  # the check answered while the screen was opening

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield header

    app = Bare()
    async with app.run_test(size=(80, 3)) as pilot:
        await pilot.pause()
        status = str(header.query_one("#header-status", Static).render())
        title = str(header.query_one("#header-title", Static).render())
    assert status.endswith("· base partagée INJOIGNABLE"), status
    assert title == "guichet · Nanterre"
