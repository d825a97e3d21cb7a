"""Typeahead (issue 16, item 2): keys typed while a screen opens, or while the focus moves, reach
the field they were meant for, in order, none lost. Bursts at 10 ms a key, as a fast agent types:
nothing here waits for the screen between keys."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Input

from guichet.domain.clock import PARIS
from guichet.domain.models import Channel, Kind
from guichet.services.appointments import BookingRequest
from guichet.ui.app import GuichetApp
from tests.ui.conftest import AppFactory

SIZE = (80, 24)
GAP = 0.010  # s between keys


def _event(key: str) -> events.Key:
    if len(key) == 1:
        return events.Key(_character_to_key(key), key)
    return events.Key(key, "\x1b" if key == "escape" else "\t" if key == "tab" else "\r" if key == "enter" else None)


async def _burst(pilot: Pilot[None], keys: Sequence[str]) -> None:
    """Post every key ``GAP`` apart, as a terminal would, then wait until none is left waiting."""
    app = pilot.app
    assert isinstance(app, GuichetApp)
    for key in keys:
        app.post_message(_event(key))
        await asyncio.sleep(GAP)
    await pilot.pause()
    await asyncio.wait_for(app.keys_delivered(), 10)  # the readiness signal: no typed key waits any more
    await pilot.pause()


def _field(app: GuichetApp, selector: str) -> str:
    return app.screen.query_one(selector, Input).value


async def test_keys_typed_while_the_handoff_form_opens_reach_its_fields(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _burst(pilot, [*"separation", "enter", "t", *"Awa Diallo", "tab", *"1234567", "tab", *"0612345678"])
        assert type(app.screen).__name__ == "HandoffScreen"
        assert _field(app, "#name") == "Awa Diallo"
        assert _field(app, "#file-number") == "1234567"
        assert _field(app, "#phone") == "0612345678"


async def test_keys_typed_while_the_booking_opens_reach_its_fields(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _burst(pilot, ["f4", "enter", *"Awa Diallo", "tab", *"1234567"])
        assert type(app.screen).__name__ == "BookingScreen"
        assert _field(app, "#name") == "Awa Diallo"
        assert _field(app, "#file-number") == "1234567"


async def test_escape_then_a_new_search_typed_at_once(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _burst(pilot, [*"apl", "enter", "r", "escape", "slash", *"caf"])
        assert type(app.screen).__name__ == "SearchScreen"
        assert app.search_screen.query_one("#search-input", Input).value == "caf"  # "/" selects: "caf" replaces


async def test_keys_never_overtake_a_tab(make_app: AppFactory) -> None:
    """Issue 14's known fault: Tab right after Entrée on a slot let the next digits land in the wrong field."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _burst(pilot, ["f4", "enter", *"Awa", "tab", *"123", "tab", *"06"])
        assert _field(app, "#name") == "Awa"
        assert _field(app, "#file-number") == "123"
        assert _field(app, "#phone") == "06"


async def test_ordinary_typing_is_not_held(make_app: AppFactory) -> None:
    """Keys that arrive when nothing is pending go straight to the field: none waits."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in "apl":
            await pilot.press(key)
            assert app.keys_waiting == 0
        assert app.search_screen.query_one("#search-input", Input).value == "apl"


async def test_an_enter_typed_before_the_finder_has_its_results_waits_for_them(make_app: AppFactory) -> None:
    """Ctrl+F, a name, Entrée (to the results), Entrée (the confirmation): the first Entrée reaches the
    field before the search, run off the UI thread, has answered; it waits for the results."""
    app = make_app()
    app.services.appointments.book(BookingRequest(
        "nanterre", Kind.GCA, Channel.TELEPHONE, datetime(2026, 11, 24, 13, 0, tzinfo=PARIS), "Awa Diallo",
        "7654321", "06 12 34 56 78", "apl-non-versee"))
    async with app.run_test(size=SIZE) as pilot:
        await _burst(pilot, ["ctrl+f", *"Diallo", "enter", "enter"])
        assert type(app.screen).__name__ == "ConfirmationScreen"


async def test_a_message_taken_out_to_look_ahead_is_not_done(make_app: AppFactory) -> None:
    """Textual's message loop takes the next message out of its queue to look ahead (``_pending_message``):
    the card's request for the handoff form waited there, at the app, while the app handled the « A » of
    « Awa », which went to the card and was lost (« wa Diallo », one run in sixty under load). A message
    held so is not done: the next key waits for it."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app._settled()
        app._pending_message = events.Idle()  # set and read back with no await between: the loop never sees it
        try:
            assert not app._settled()
        finally:
            app._pending_message = None
