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


async def test_the_figures_give_way_while_the_database_does_not_answer() -> None:
    """Found in tmux: « reçus 2 ici · 2 agence · … · base locale INJOIGNABLE » left « guichet · » of the
    title at 80 columns, and figures that cannot be read again are stale: they are left out meanwhile."""
    header = _header()
    header.received = "reçus 2 ici · 2 agence"

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield header

    app = Bare()
    async with app.run_test(size=(80, 3)) as pilot:
        await pilot.pause()

        def shown() -> tuple[str, str]:
            return (str(header.query_one("#header-title", Static).render()),
                    str(header.query_one("#header-status", Static).render()))

        assert shown()[1].startswith("reçus 2 ici · 2 agence · ")
        header.set_class(True, "-db-down")
        header.database = "base locale INJOIGNABLE"
        await pilot.pause()
        title, status = shown()
        assert "reçus" not in status and status.endswith("base locale INJOIGNABLE")
        assert title == "guichet · Nanterre"
        header.set_class(False, "-db-down")
        header.database = "base locale"
        await pilot.pause()
        assert shown()[1].startswith("reçus 2 ici · 2 agence · ")
