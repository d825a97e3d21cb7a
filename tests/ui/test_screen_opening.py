"""Opening a screen costs its own widgets and nothing more (issue 16): no stylesheet parsed again, no
frame held by a clock, no second styling pass before the first frame, no CSS left to read at first opening."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.color import Color
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen

from guichet.ui import warm
from guichet.ui.app import GuichetApp
from guichet.ui.workers import workers_done
from tests.ui.conftest import AppFactory

SIZE = (80, 24)
MODE_KEYS = (("f2", "AgenciesScreen"), ("f3", "DaySheetScreen"), ("f9", "HandoffsScreen"),
             ("f10", "SettingsScreen"), ("ctrl+f", "FinderScreen"), ("f4", "BookingScreen"),
             ("f12", "StatsScreen"))


class Calls:
    def __init__(self) -> None:
        self.names: list[str] = []

    def count(self, name: str) -> int:
        return self.names.count(name)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Calls]:
    """Every full parse of the stylesheet and every ``refresh_css``, counted."""
    seen = Calls()
    for owner, name in ((Stylesheet, "parse"), (Stylesheet, "reparse"), (App, "refresh_css")):
        original = getattr(owner, name)

        def counted(self: Any, *args: Any, _original: Any = original, _name: str = name, **kwargs: Any) -> Any:
            seen.names.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(owner, name, counted)
    yield seen


async def _ready(app: GuichetApp, pilot: Any) -> None:
    """Started, warmed up (screens imported, every stylesheet parsed and handed over): what the first
    quiet moment of the keyboard brings, called here rather than waited for."""
    await pilot.pause()
    app.quiet_moment()
    await workers_done(app)
    await pilot.pause()
    assert app.screens_ready is True


async def test_the_warm_up_hands_over_every_screens_css(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        sheet = app.stylesheet
        assert not sheet._require_parse
        paths = {path for path, _var in sheet.source}
        tcss = sorted(Path(warm.__file__).parent.joinpath("screens").glob("*.tcss"))
        assert tcss and all(str(path.resolve()) in paths for path in tcss)
        defaults = {var for _path, var in sheet.source}
        assert {"Select.DEFAULT_CSS", "ToggleButton.DEFAULT_CSS", "KeyStrip.DEFAULT_CSS",
                "CounterHeader.DEFAULT_CSS", "RowList.DEFAULT_CSS", "LazySelect.DEFAULT_CSS",
                "SelectLine.DEFAULT_CSS"} <= defaults


async def test_the_css_handed_over_changes_no_style_of_the_screens_up(make_app: AppFactory) -> None:
    """The hand-over does not restyle the app (Textual does when a screen's CSS arrives): it may not,
    because no rule of the screens' and widgets' CSS reaches a widget of another screen."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        nodes = list(app.screen.walk_children(with_self=True))
        before = [node.styles.css for node in nodes]
        app.stylesheet.update(app)
        assert [node.styles.css for node in nodes] == before


@pytest.mark.parametrize(("key", "screen"), MODE_KEYS, ids=[key for key, _ in MODE_KEYS])
async def test_opening_a_screen_parses_no_stylesheet_again(make_app: AppFactory, calls: Calls, key: str,
                                                          screen: str) -> None:
    """Textual treats a new mode's screen as styled by an older stylesheet and parses all of it again,
    twice; a screen's first opening read its CSS file and parsed everything again too."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        calls.names.clear()
        for _ in range(2):  # the first opening, then a later one
            await pilot.press(key)
            await pilot.pause()
            assert type(app.screen).__name__ == screen
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, type(app.search_screen))
        assert calls.names == []


async def test_the_handoff_form_first_opening_parses_nothing(make_app: AppFactory, calls: Calls) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        calls.names.clear()
        await pilot.press(*"separation", "enter")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert type(app.screen).__name__ == "HandoffScreen"
        assert calls.names == []


async def test_a_theme_change_still_restyles_everything(make_app: AppFactory, calls: Calls) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        calls.names.clear()
        app.theme = "textual-light"
        await pilot.pause()
        assert calls.count("refresh_css") >= 1
        await pilot.press("f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "AgenciesScreen"
        assert app.screen.styles.background == Color.parse(app.get_css_variables()["background"])


async def test_a_new_mode_shows_as_soon_as_it_is_ready_and_never_half_built(make_app: AppFactory,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual holds every frame 50 ms after a switch (``delay_update``); the frames now resume once the
    new screen has handled the switch's messages, and none shows it before it is mounted."""
    frames: list[tuple[str, bool]] = []  # the frames shown: (screen on top, mounted)
    held: list[tuple[str, bool]] = []  # the frames drawn and not shown (the switch's mask)
    original = App._display

    def display(self: App[Any], screen: Screen[Any], renderable: Any) -> None:
        if renderable is not None:
            (held if self._batch_count else frames).append((type(self.screen).__name__, self.screen.is_mounted))
        original(self, screen, renderable)

    monkeypatch.setattr(App, "_display", display)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        for key, screen in MODE_KEYS[:3]:
            frames.clear()
            held.clear()
            await pilot.press(key)
            await pilot.pause()  # the screen's messages handled: no clock to wait for
            assert app._batch_count == 0
            assert type(app.screen).__name__ == screen
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
            assert (screen, True) in frames
            assert (screen, False) not in frames
            assert (screen, True) not in held  # a frame of the ready screen was never thrown away
            await pilot.press("escape")
            await pilot.pause()
            assert app._batch_count == 0


async def test_the_first_showing_is_styled_once_and_a_return_restyles(make_app: AppFactory,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A screen styled as it mounts is not styled again by the resumes before its first frame (a mode's
    screen gets two); coming back to it later restyles it, as Textual does."""
    restyled: list[str] = []
    original = Screen.update_node_styles

    def update_node_styles(self: Screen[Any], animate: bool = True) -> None:
        restyled.append(type(self).__name__)
        original(self, animate)

    monkeypatch.setattr(Screen, "update_node_styles", update_node_styles)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        restyled.clear()
        await pilot.press("f4")  # the booking: a kept mode
        await pilot.pause()
        assert type(app.screen).__name__ == "BookingScreen"
        assert "BookingScreen" not in restyled
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f4")  # back to the same booking screen, from another mode
        await pilot.pause()
        assert type(app.screen).__name__ == "BookingScreen"
        assert "BookingScreen" in restyled


def test_a_stylesheet_changed_meanwhile_is_left_to_textual() -> None:
    """The parsed copy is handed over only if the app's stylesheet is what was copied."""

    class Probe(App[None]):
        pass

    app = Probe()
    sheet = app.stylesheet
    source, variables = dict(sheet.source), dict(app.get_css_variables())
    sheet.set_variables(variables)
    parsed = warm.parsed_with_every_screen(source, variables)
    assert len(parsed.source) > len(source)
    sheet.add_source("Screen { background: red; }", read_from=("test", "changed"))
    before = dict(sheet.source)
    assert warm.install(app, parsed, source, variables) is False
    assert sheet.source == before


async def test_the_handoff_form_paints_its_first_screenful_then_mounts_the_rest(
        make_app: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The form's first frame holds the fields an agent sees first, the name focused and the verdict
    already written; the fields under it are mounted after that frame, in their order, and the keys
    typed meanwhile wait for them (a Tab typed ahead reaches the field it was meant for)."""
    from textual.widgets import Input, Static, TextArea

    from guichet.ui.screens.handoff import HandoffScreen

    first: list[dict[str, Any]] = []
    original = App._display

    def display(self: App[Any], screen: Screen[Any], renderable: Any) -> None:
        top = self.screen
        if renderable is not None and isinstance(top, HandoffScreen) and not first:
            first.append({"complete": top.complete, "focused": top.focused.id if top.focused else None,
                          "comment": bool(top.query("#comment")), "name": bool(top.query("#name")),
                          "verdict": str(top.query_one("#handoff-verdict", Static).render())})
        original(self, screen, renderable)

    monkeypatch.setattr(App, "_display", display)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press(*"separation", "enter")
        await pilot.pause()
        await pilot.press("t", *"Awa", "tab", *"1234567", "escape")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, HandoffScreen)
        await asyncio.wait_for(form.completed.wait(), 10)
        await pilot.pause()
        assert first == [{"complete": False, "focused": "name", "comment": False, "name": True,
                          "verdict": first[0]["verdict"]}]
        assert "Destination" in first[0]["verdict"]  # the preview is there from the first frame
        assert form.complete and form.query_one(TextArea).id == "comment"
        assert form.query_one("#name", Input).value == "Awa"
        assert form.query_one("#file-number", Input).value == "1234567"
        ids = [w.id for w in form.query("#handoff-form Input, #handoff-form TextArea")]
        assert ids[:6] == ["name", "file-number", "phone", "event-date", "motifs", "comment"]
        assert ids[-2:] == ["referent", "partner"]
        assert form._leave_armed  # the Escape typed ahead reached the form: it asks before dropping


async def test_the_agencies_detail_is_written_once_per_opening(make_app: AppFactory,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The table's first highlight came right after the refresh that had written the same detail."""
    from guichet.ui.screens import agencies

    written: list[str] = []
    original = agencies.agency_detail

    def counted(agency: Any, status: Any) -> Any:
        written.append(agency.id)
        return original(agency, status)

    monkeypatch.setattr(agencies, "agency_detail", counted)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert len(written) == 1
        await pilot.press("down")
        await pilot.pause()
        assert len(written) == 2 and written[0] != written[1]  # another agency: its detail
        app.screen.refresh_statuses()  # the minute's refresh: new statuses, written again
        await pilot.pause()
        assert len(written) == 3 and written[2] == written[1]
