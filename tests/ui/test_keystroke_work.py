"""What a keystroke in the search costs (issue 16, keystroke → frame): the result list keeps what it
drew for each service, the card follows the list a frame later (once for a burst of keys), and the
collector's full passes and the screens' warm-up wait for a quiet keyboard."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import OptionList

from guichet.ui import quiet
from guichet.ui.widgets.orientation_card import OrientationCard
from guichet.ui.widgets.result_list import ResultList
from tests.ui.conftest import AppFactory

TITLES = {"apl": "Aide personnalisée au logement (APL)", "als": "Allocation de logement sociale (ALS)",
          "rsa": "Revenu de solidarité active (RSA)", "af": "Allocations familiales"}


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ResultList(id="results")


def _entries(*ids: str) -> list[tuple[str, Any]]:
    return [(key, lambda key=key: Content(TITLES[key])) for key in ids]


def _drawn(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The options OptionList draws itself (what ResultList did not have), by id."""
    drawn: list[str | None] = []
    original = OptionList._get_option_render

    def counted(self: OptionList, option: Any, style: Any) -> Any:
        drawn.append(option.id)
        return original(self, option, style)

    monkeypatch.setattr(OptionList, "_get_option_render", counted)
    return drawn


async def test_the_result_list_draws_a_service_once_across_keystrokes(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = _drawn(monkeypatch)
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        results = app.query_one(ResultList)
        results.show(_entries("apl", "als", "rsa"))
        await pilot.pause()
        first = list(results.options)
        assert sorted(d for d in drawn if d) == ["als", "apl", "rsa"]
        drawn.clear()
        results.show(_entries("apl", "als", "rsa"))  # one more letter, the same services
        await pilot.pause()
        assert drawn == []
        assert [o is f for o, f in zip(results.options, first, strict=True)] == [True, True, True]
        results.show(_entries("apl", "af"))  # a new service is drawn; one in a new place too
        await pilot.pause()
        assert sorted(d for d in drawn if d) == ["af"]
        lines = [results.render_line(y).text for y in range(2)]
        assert TITLES["apl"] in lines[0] and TITLES["af"] in lines[1]


async def test_the_same_services_again_change_nothing() -> None:
    """A letter more that finds the same services in the same order: the list is not emptied and
    filled again (Textual then measures and draws every option anew)."""
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        results = app.query_one(ResultList)
        results.show(_entries("apl", "als", "rsa"))
        await pilot.pause()
        cleared: list[int] = []
        clear = results.clear_options

        def counted() -> ResultList:
            cleared.append(1)
            return clear()

        results.clear_options = counted  # type: ignore[method-assign]
        results.show(_entries("apl", "als", "rsa"))
        assert cleared == []
        results.show(_entries("als", "apl", "rsa"))  # the same services, another order: replaced
        assert cleared == [1]


async def test_a_style_change_draws_the_results_again(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = _drawn(monkeypatch)
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        results = app.query_one(ResultList)
        results.show(_entries("apl", "rsa"))
        await pilot.pause()
        drawn.clear()
        app.theme = "textual-light"
        await pilot.pause()
        results.show(_entries("apl", "rsa"))
        await pilot.pause()
        assert sorted(d for d in drawn if d) == ["apl", "rsa"]


async def test_the_card_follows_the_list_once_for_a_burst(make_app: AppFactory,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str | None] = []
    original = OrientationCard.watch_service

    def watch_service(self: OrientationCard, service: Any) -> None:
        shown.append(service.id if service else None)
        original(self, service)

    monkeypatch.setattr(OrientationCard, "watch_service", watch_service)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown.clear()
        screen = app.search_screen
        for text in ("r", "rs", "rsa"):  # three keys handled before any frame
            screen.show_results(text)
        assert shown == []  # the list answered; the card waits for the frame after it
        await pilot.pause()
        card = screen.query_one(OrientationCard)
        assert card.service is not None and card.service.id == screen.hits[0].service.id
        assert len(shown) == 1



async def test_entree_right_after_a_key_acts_on_the_card_of_that_key(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"grossesse", "enter")
        await pilot.pause()
        card = app.search_screen.query_one(OrientationCard)
        assert card.has_focus
        assert card.service is app.search_screen.hits[0].service


def test_a_full_collection_waits_for_a_quiet_keyboard(monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[int] = []
    now = [100.0]
    monkeypatch.setattr(quiet, "_resumed", True)
    monkeypatch.setattr(quiet, "monotonic", lambda: now[0])
    monkeypatch.setattr(quiet.gc, "collect", lambda *args: runs.append(1) or 0)
    monkeypatch.setattr(quiet.gc, "get_count", lambda: (0, 0, 3))  # younger passes since the last full one

    class Counter(quiet.QuietMixin):
        pass

    counter = Counter()
    counter._last_key = now[0]
    now[0] += quiet.QUIET_SECONDS / 2
    counter._check_quiet()
    assert runs == []  # typing: no full pass
    now[0] += quiet.QUIET_SECONDS
    counter._check_quiet()
    assert runs == [1]
    monkeypatch.setattr(quiet.gc, "get_count", lambda: (0, 0, 0))
    now[0] += 10
    counter._check_quiet()
    assert runs == [1]  # nothing new to collect


def test_resuming_spaces_the_full_passes_and_freezes_the_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    threshold = gc.get_threshold()
    enabled = gc.isenabled()
    frozen: list[bool] = []
    monkeypatch.setattr(quiet.gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(quiet, "_resumed", False)
    try:
        gc.disable()
        quiet.resume()
        assert gc.isenabled() and frozen == [True]
        assert gc.get_threshold() == (threshold[0], threshold[1], quiet.FULL_EVERY)
        assert quiet._resumed
    finally:
        gc.set_threshold(*threshold)
        if not enabled:
            gc.disable()


async def test_the_screens_warm_up_waits_for_a_quiet_keyboard_and_runs_once(make_app: AppFactory,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from guichet.ui import warm
    from guichet.ui.workers import workers_done

    now = [1000.0]
    imports: list[int] = []
    import_screens = warm.import_screens
    monkeypatch.setattr(quiet, "monotonic", lambda: now[0])
    monkeypatch.setattr(warm, "import_screens", lambda: imports.append(1) or import_screens())
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await workers_done(app)
        app._last_key = now[0]
        app._check_quiet()
        await workers_done(app)
        assert app.screens_ready is None and imports == []  # the keyboard was busy: nothing warmed yet
        now[0] += quiet.QUIET_SECONDS
        app._check_quiet()
        await workers_done(app)
        await pilot.pause()
        assert app.screens_ready is True and imports == [1]
        now[0] += quiet.QUIET_SECONDS
        app._check_quiet()  # once only
        await workers_done(app)
        assert imports == [1]


async def test_keys_waiting_for_their_screen_are_no_quiet_keyboard(make_app: AppFactory,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A burst typed while a slow screen opens waits in the typeahead: the keyboard is not quiet, even
    1.5 s after the last key arrived, and neither the warm-up nor a screen made ahead may start."""
    from guichet.ui.app import GuichetApp

    now = [1000.0]
    monkeypatch.setattr(quiet, "monotonic", lambda: now[0])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app._last_key = now[0]
        now[0] += quiet.QUIET_SECONDS
        with monkeypatch.context() as waiting:
            waiting.setattr(GuichetApp, "keys_waiting", property(lambda _app: 3))
            app._check_quiet()
            assert not app._warming_screens and app.screens_ready is None
        app._check_quiet()
        assert app._warming_screens


async def test_a_list_refreshed_with_the_same_rows_draws_nothing_and_a_change_draws(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The day sheet, the slots and the handoffs refresh every few seconds, mostly finding nothing new:
    then nothing is drawn again; a row that changes is drawn, with the cursor's style where it stands."""
    from guichet.ui.widgets.rowlist import Column, RowList

    drawn: list[int] = []
    original = RowList.render_line

    def render_line(self: RowList, y: int) -> Any:
        drawn.append(y)
        return original(self, y)

    monkeypatch.setattr(RowList, "render_line", render_line)

    class Table(App[None]):
        def compose(self) -> ComposeResult:
            yield RowList([Column("Heure", 6), Column("Nom", 20)], id="rows")

    app = Table()
    rows = [("09:00", "Awa Diallo"), ("09:30", "Léa Martin")]
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.query_one(RowList)
        table.set_rows(rows)
        await pilot.pause()
        assert drawn
        drawn.clear()
        table.set_rows(list(rows))  # the same rows again
        await pilot.pause()
        assert drawn == []
        table.set_rows([rows[0], ("10:00", "Léa Martin")])
        await pilot.pause()
        assert drawn
        assert "10:00" in table.render_line(2).text
        cursor_line, other_line = table.render_line(1), table.render_line(2)
        assert cursor_line.text.startswith(" 09:00")
        assert cursor_line._segments[0].style != other_line._segments[0].style  # the cursor's own style


def test_a_static_is_updated_only_when_what_it_shows_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual lays the whole screen out again at every ``Static.update``, even with the same text."""
    from textual.widgets import Static

    from guichet.ui.widgets.static_text import set_text

    updates: list[object] = []
    monkeypatch.setattr(Static, "update", lambda self, content="", **_: updates.append(content))
    static = Static(Content("3 rendez-vous"))
    set_text(static, Content("3 rendez-vous"))
    assert updates == []
    set_text(static, "3 rendez-vous")  # a str is shown with markup, a Content literally: not the same
    set_text(static, Content.from_markup("[b]3 rendez-vous[/]"))  # same text, another style
    set_text(static, Content("4 rendez-vous"))
    assert updates == ["3 rendez-vous", Content("3 rendez-vous"), Content("4 rendez-vous")]
    assert [getattr(u, "spans", None) for u in updates][1] != []


async def test_the_day_sheet_refreshed_with_the_same_rows_lays_nothing_out(make_app: AppFactory,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Static

    from guichet.ui.workers import workers_done
    from tests.ui.test_daysheet_lifecycle import _book

    app = make_app()
    for hour in (13, 14):
        _book(app, hour)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await workers_done(app)
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "DaySheetScreen" and screen.rows
        updates: list[str | None] = []
        original = Static.update

        def update(self: Static, content: Any = "", **kwargs: Any) -> None:
            updates.append(self.id)
            original(self, content, **kwargs)

        monkeypatch.setattr(Static, "update", update)
        screen._show(list(screen.rows))
        await pilot.pause()
        assert updates == []
        screen._show(list(screen.rows[:-1]))  # one appointment fewer: the count says so
        await pilot.pause()
        assert "day-message" in updates


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every layout of a screen (Textual's ``Screen._refresh_layout``), by the screen's class."""
    from textual.screen import Screen

    done: list[str] = []
    original = Screen._refresh_layout

    def counted(self: Screen[Any], *args: Any, **kwargs: Any) -> Any:
        done.append(type(self).__name__)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    return done


async def test_a_row_more_or_fewer_lays_nothing_out_but_the_scrollbar_follows(layouts: list[str]) -> None:
    """Textual lays the whole screen out when a virtual size changes; the list's own size is its CSS's."""
    from guichet.ui.widgets.rowlist import Column, RowList

    class Table(App[None]):
        CSS = "RowList { height: 6; }"

        def compose(self) -> ComposeResult:
            yield RowList([Column("Heure", 6), Column("Nom", 20)], id="rows")

    rows = [(f"{9 + n // 2:02d}:{30 * (n % 2):02d}", f"Personne {n}") for n in range(12)]
    app = Table()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(RowList)
        table.set_rows(rows)
        await pilot.pause()
        assert table.show_vertical_scrollbar and table.virtual_size.height == 13
        layouts.clear()
        table.set_rows(rows[:-1])  # a row fewer, as when another counter's booking goes
        await pilot.pause()
        assert layouts == [] and table.virtual_size.height == 12
        table.move_cursor(10)
        await pilot.pause()
        assert table.scroll_offset.y > 0 and table.max_scroll_y == 12 - table.scrollable_content_region.height
        table.set_rows(rows[:3])  # no scrollbar any more: that one lays the screen out
        await pilot.pause()
        assert not table.show_vertical_scrollbar and layouts
        assert table.scroll_offset.y == 0


async def test_a_text_that_keeps_its_line_count_lays_nothing_out(layouts: list[str]) -> None:
    from textual.widgets import Static

    from guichet.ui.widgets.static_text import set_text

    class Lines(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("12 rendez-vous, 3 en attente", id="message")

    app = Lines()
    async with app.run_test(size=(40, 10)) as pilot:
        message = app.query_one(Static)
        await pilot.pause()
        layouts.clear()
        set_text(message, "11 rendez-vous, 3 en attente")
        await pilot.pause()
        assert layouts == [] and "11 rendez-vous" in str(message.render())
        set_text(message, "11 rendez-vous, 3 en attente · a arrivé · x absent · z en attente")  # two lines
        await pilot.pause()
        assert layouts and message.size.height == 2


async def test_columns_fitted_to_their_cells_and_changed_in_place() -> None:
    """The agencies' list: each column as wide as its longest cell (DataTable's way), two cells apart."""
    from guichet.ui.widgets.rowlist import Column, RowList, fit_widths

    rows = [("Châtenay-Malabry", "● ouvert, ferme à 12:30"), ("Nanterre ★", "○ fermé")]
    columns = fit_widths((Column("Agence", 6), Column("Accueil", 7)), rows)
    assert [c.width for c in columns] == [17, 24]

    class Table(App[None]):
        def compose(self) -> ComposeResult:
            yield RowList([Column("Agence", 6), Column("Accueil", 7)], id="rows")

    app = Table()
    async with app.run_test(size=(60, 8)) as pilot:
        table = app.query_one(RowList)
        table.set_rows(rows)
        await pilot.pause()
        assert table.render_line(1).text.startswith(" Châte… ")  # cut to the first column's 6 cells
        table.set_columns(columns)
        await pilot.pause()
        assert table.render_line(1).text.startswith(" Châtenay-Malabry  ● ouvert, ferme à 12:30")
