"""Top-level screens made ahead at the keyboard's quiet moments (ui/ahead.py, issue 16): opening one is
a resume, and what it shows is exactly what a screen made at that moment would show."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.color import Color
from textual.widgets import Input

from guichet.domain.clock import FixedClock
from guichet.domain.models import Channel, Kind
from guichet.paths import Paths
from guichet.services.appointments import BookingRequest
from guichet.ui.ahead import AHEAD, FORM
from guichet.ui.app import GuichetApp
from guichet.ui.screens.booking import SLOTS_SHOWN, BookingScreen
from guichet.ui.screens.handoff import HandoffScreen
from guichet.ui.widgets.orientation_card import OrientationCard
from guichet.ui.workers import workers_done
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import settle

SIZE = (80, 24)
KEYS = {"agencies": ("f2", "AgenciesScreen"), "booking": ("f4", "BookingScreen"), "day_sheet": ("f3", "DaySheetScreen"),
        "handoffs": ("f9", "HandoffsScreen"), "settings": ("f10", "SettingsScreen"),
        "finder": ("ctrl+f", "FinderScreen")}


async def _warmed(app: GuichetApp, pilot: Any) -> None:
    """The first quiet moment's warm-up, called rather than waited for."""
    await pilot.pause()
    app.quiet_moment()
    await workers_done(app)
    await pilot.pause()
    assert app.screens_ready is True


async def _rested(app: GuichetApp, pilot: Any) -> None:
    """A counter at rest: the warm-up done, every screen of AHEAD made."""
    await _warmed(app, pilot)
    await _all_made(app, pilot)


async def _all_made(app: GuichetApp, pilot: Any) -> None:
    """Quiet moments until every top-level screen of AHEAD is made (one a moment)."""
    for _ in AHEAD:
        app.quiet_moment()
        await settle(pilot)
    assert app.all_made_ahead()


@contextlib.asynccontextmanager
async def _counter(make_app: AppFactory, tmp_path: Path, mode: str,
                   ahead: bool) -> AsyncIterator[tuple[GuichetApp, Any, Any]]:
    """A counter at rest, its screen of ``mode`` made ahead (``ahead``) or not made yet (then made at the
    key); the app, its pilot and the screen made ahead (None). A database each: one's passage is not the other's."""
    root = tmp_path / f"ahead-{ahead}"
    app = make_app(paths=Paths(root / "config", root / "data", root / "logs"))
    async with app.run_test(size=SIZE) as pilot:
        await _warmed(app, pilot)
        made = None
        if ahead:
            await _all_made(app, pilot)
            made = app._screen_stacks[mode][0]
        else:
            assert mode not in app._screen_stacks
        yield app, pilot, made


def test_every_screen_made_ahead_has_its_key() -> None:
    assert set(KEYS) | {FORM} == set(AHEAD)  # the handoff form: the card's `t` (below)


async def test_quiet_moments_make_each_screen_once_without_showing_it(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.quiet_moment()  # the first one starts the warm-up (a worker): no screen is made before it ends
        assert app.screens_ready is None and not any(mode in app._screen_stacks for mode in AHEAD)
        await _warmed(app, pilot)
        field = app.focused
        made = []
        for _ in AHEAD:
            app.quiet_moment()
            await settle(pilot)
            made.append(next(mode for mode in AHEAD if mode in app._screen_stacks and mode not in made))
        assert made == list(AHEAD)  # one a quiet moment, in AHEAD's order
        screens = {mode: app._screen_stacks[mode][0] for mode in AHEAD}
        assert {mode: type(screen).__name__ for mode, screen in screens.items()} == {
            FORM: "HandoffScreen", **{mode: name for mode, (_key, name) in KEYS.items()}}
        assert app.build_ahead() is None  # all made: nothing more
        assert app.current_mode == "search" and app.screen is app.search_screen and app.focused is field
        assert all(screen.focused is not None for screen in screens.values())  # laid out, focus in place


@pytest.mark.parametrize("mode", list(KEYS))
async def test_a_screen_made_ahead_opens_as_a_new_one_would(make_app: AppFactory, tmp_path: Path, mode: str) -> None:
    """The very screen made ahead is shown, and every cell of it is what a screen made at the key shows."""
    key, name = KEYS[mode]
    shown: dict[bool, str] = {}
    for ahead in (False, True):
        async with _counter(make_app, tmp_path, mode, ahead) as (app, pilot, made):
            await pilot.press(key)
            await settle(pilot)
            assert type(app.screen).__name__ == name
            assert made is None or app.screen is made
            shown[ahead] = app.export_screenshot()
    assert shown[True] == shown[False]


async def test_a_screen_made_ahead_shows_the_present(make_app: AppFactory) -> None:
    """Made at 10:00 and shown at 13:30 after a handoff was logged: the hours and the list are those of
    13:30 (each screen refreshes as it is shown)."""
    app = make_app()
    clock = app.services.clock
    assert isinstance(clock, FixedClock)
    async with app.run_test(size=SIZE) as pilot:
        await _rested(app, pilot)
        await pilot.press("f2")
        await settle(pilot)
        morning = app.screen.statuses
        await pilot.press("escape")
        await settle(pilot)
        assert "agencies" in app._screen_stacks  # made again once the search was painted
        clock.advance(timedelta(hours=3, minutes=30))
        await pilot.press("f2")
        await settle(pilot)
        assert [status.at for status in app.screen.statuses] == [clock.now()] * len(morning)
        assert app.screen.statuses != morning
        assert app.screen.statuses == app.services.walk_in()


async def test_a_handoff_logged_after_the_list_was_made_is_listed(make_app: AppFactory) -> None:
    from tests.ui.test_handoff_due_ui import _draft

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _rested(app, pilot)
        app.services.handoffs.create(_draft("Awa Diallo"))  # by another counter, after the list was made
        await pilot.press("f9")
        await settle(pilot)
        assert [record.draft.name for record in app.screen.records] == ["Awa Diallo"]


async def test_new_settings_drop_the_screens_made_with_the_old(make_app: AppFactory) -> None:
    """The day sheet made ahead is the day of the counter's agency: another agency chosen, it goes, and F3
    shows the new agency's day."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _rested(app, pilot)
        made = {mode: app._screen_stacks[mode][0] for mode in AHEAD}
        old = made["day_sheet"]
        app.services.settings = dataclasses.replace(app.services.settings, agency="gennevilliers")
        app.refresh_headers()
        await settle(pilot)
        # Every one went (the quiet moments of a slow machine may have made some again, anew).
        assert not any(app._screen_stacks.get(mode, [None])[0] is screen for mode, screen in made.items())
        await pilot.press("f3")
        await settle(pilot)
        assert app.screen is not old and app.screen.agency_id == "gennevilliers"


async def test_a_theme_chosen_after_reaches_the_screens_made_ahead(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _rested(app, pilot)
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen.styles.background == Color.parse(app.get_css_variables()["background"])


async def test_keys_typed_as_a_screen_made_ahead_opens_reach_it(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _rested(app, pilot)
        await pilot.press("ctrl+f", *"Diallo")
        await settle(pilot)
        assert type(app.screen).__name__ == "FinderScreen"
        assert app.screen.query_one("#finder-input").value == "Diallo"


async def test_a_screen_left_while_keys_wait_is_made_once_they_are_delivered(
        make_app: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys waiting for their screen as the search is painted go first; the list is made after them."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _rested(app, pilot)
        await pilot.press("f9")
        await settle(pilot)
        shown = app.screen
        delivered = asyncio.Event()  # a key typed ahead, held until the test lets it go
        monkeypatch.setattr(GuichetApp, "keys_waiting", property(lambda _app: 0 if delivered.is_set() else 1))
        monkeypatch.setattr(GuichetApp, "keys_delivered", lambda _app: delivered.wait())
        await pilot.press("escape")
        for _ in range(5):
            await pilot.pause()
        assert app.screen is app.search_screen and "handoffs" not in app._screen_stacks
        delivered.set()
        await settle(pilot)
        assert app._screen_stacks["handoffs"][0] is not shown


async def test_the_cards_r_gives_its_motif_to_the_booking_made_ahead(make_app: AppFactory, tmp_path: Path) -> None:
    """`r` on the card of « apl pas versée » shows the booking form made ahead (F4's), with the card's
    kind, channel and motif: every cell as a form made at the key with them shows."""
    shown: dict[bool, str] = {}
    for ahead in (False, True):
        async with _counter(make_app, tmp_path, "booking", ahead) as (app, pilot, made):
            if made is not None:
                assert (made.kind, made.channel, made.service) == (Kind.GCA, Channel.TELEPHONE, None)
            await pilot.press(*"apl pas versee", "enter", "r")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, BookingScreen)
            assert made is None or screen is made
            assert (screen.kind, screen.channel) == (Kind.GCA, Channel.TELEPHONE)
            assert screen.service is not None and screen.service.id == "apl-non-versee"
            assert screen.query_one("#objective", Input).value == screen.service.title
            shown[ahead] = app.export_screenshot()
    assert shown[True] == shown[False]


async def test_a_slot_booked_after_the_form_was_made_is_not_offered(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _rested(app, pilot)
        made = app._screen_stacks["booking"][0]
        first = made.slots[0]
        app.services.appointments.book(BookingRequest(  # by another counter, while the form waits unseen
            first.agency_id, first.kind, first.channel, first.start, "Awa Diallo", "7654321", "06 12 34 56 78"))
        await pilot.press("f4")
        await settle(pilot)
        assert app.screen is made
        assert first not in made.slots  # a Slot equals another with as many seats taken
        assert made.slots == app.services.appointments.find_slots(first.kind, first.channel, limit=SLOTS_SHOWN)


async def test_a_booking_form_not_shown_searches_no_slots(make_app: AppFactory) -> None:
    """Made ahead, or kept while the agent is elsewhere: its 20-second refresh asks the database nothing
    (on a shared server, every counter would); a form opened at the key searches once."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _rested(app, pilot)
        made = app._screen_stacks["booking"][0]
        searches = made._generation
        made._refresh_if_browsing()
        assert made._generation == searches
        await pilot.press("f4")
        await settle(pilot)
        assert made._generation == searches + 1  # shown: searched again, once
        made._refresh_if_browsing()
        assert made._generation == searches + 2
    fresh = make_app()
    async with fresh.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(fresh.screen, BookingScreen) and fresh.screen._generation == 1


# -- the handoff form: made ahead in a hidden mode, given the card's service and answers by `t` ----------
CARDS = {  # the words typed, then the card's keys: a service and answers each form must start from
    "separation": [*"separation", "enter", "u", "down", "enter"],  # an emergency chosen
    "loyer": [*"loyer impaye", "enter"],  # the benefits concerned pre-selected
    "droits": [*"droits urgence", "enter"],  # access to rights: the motif pre-filled
    "parent-seul": [*"arrivee enfant parent seul", "enter", "p", "e", "l"],  # the perimeter's conditions
}


@pytest.mark.parametrize("card", list(CARDS))
async def test_the_cards_t_gives_its_service_and_answers_to_the_form_made_ahead(
        make_app: AppFactory, tmp_path: Path, card: str) -> None:
    """The form made ahead is the one shown, pushed over the search; every cell of its first screenful
    and every field of its draft are those of a form made at the key from the same card."""
    shown: dict[bool, tuple[str, object]] = {}
    for ahead in (False, True):
        async with _counter(make_app, tmp_path, FORM, ahead) as (app, pilot, made):
            await pilot.press(*CARDS[card])
            await settle(pilot)
            answers = app.search_screen.query_one(OrientationCard).answers
            await pilot.press("t")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, HandoffScreen)
            assert made is None or form is made
            assert app.screen_stack == [app.search_screen, form] and FORM not in app._screen_stacks
            assert form.answers == answers
            shown[ahead] = (app.export_screenshot(), form.draft())
    assert shown[True][1] == shown[False][1]
    assert shown[True][0] == shown[False][0]


async def test_one_handoff_form_at_a_time(make_app: AppFactory) -> None:
    """While a form is open, the quiet moments make no other (some 8 MB each); closed, the next makes one."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _rested(app, pilot)
        await pilot.press(*"divorce", "enter", "t")
        await settle(pilot)
        assert isinstance(app.screen, HandoffScreen)
        for _ in AHEAD:
            app.quiet_moment()
            await settle(pilot)
        assert FORM not in app._screen_stacks and app.all_made_ahead()
        await pilot.press("escape")
        await settle(pilot)
        app.quiet_moment()
        await settle(pilot)
        made = app._screen_stacks[FORM][0]
        assert isinstance(made, HandoffScreen) and made.complete and made.service is None
        await pilot.press("t", *"Awa Diallo")  # the card of « divorce » is still on the search
        await settle(pilot)
        assert app.screen is made and made.query_one("#name", Input).value == "Awa Diallo"
        assert made.service is not None and made.service.id == app.search_screen.hits[0].service.id


def test_a_field_changed_before_the_form_is_mounted_is_read_with_the_rest(make_app: AppFactory) -> None:
    """Made ahead, the form's fields may report a change before the form's own mount (the bench saw it):
    nothing to read yet, no error; its mount reads them all."""
    app = make_app()
    form = HandoffScreen(app.services)
    form._changed()  # raised ValueError ('Select.NULL' is not a valid LifeEvent) before the form was indexed
    assert form._previewed is None


async def test_the_next_person_keeps_the_screens_made_ahead(make_app: AppFactory) -> None:
    """Ctrl+N closes what the agent opened for the person; the screens made ahead and never shown hold
    nothing of them and stay (made again all at once, they would take the UI thread from the next
    person's first keys)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _rested(app, pilot)
        await pilot.press("f2")
        await settle(pilot)
        shown = app.screen
        await pilot.press("escape", *"divorce", "enter")
        await settle(pilot)
        made = {mode: app._screen_stacks[mode][0] for mode in AHEAD if mode != "agencies"}
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.screen is app.search_screen and app.search_screen.query_one("#search-input", Input).value == ""
        assert {mode: app._screen_stacks[mode][0] for mode in made} == made
        assert app._screen_stacks["agencies"][0] is not shown  # shown: closed when left, made again
