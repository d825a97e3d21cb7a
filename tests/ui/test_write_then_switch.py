"""A booking or a handoff finishes writing after the agent has already switched to another
top-level screen (F2 while the database is slow): the screen the agent is reading stays, the
agent is told, and the result is where it belongs."""

from __future__ import annotations

from textual.widgets import Input, Select, TextArea

from guichet.ui.screens.agencies import AgenciesScreen
from guichet.ui.screens.confirmation import ConfirmationScreen
from guichet.ui.screens.search import SearchScreen
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import _held, screen_complete, settle


async def test_a_booking_written_after_f2_leaves_the_agencies_in_place(make_app: AppFactory) -> None:
    app = make_app()
    app.services.appointments.book, release = _held(app.services.appointments.book)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("enter", *"Jean Dupont", "enter", *"1234567", "enter", *"06 12 34 56 78", "enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, AgenciesScreen)
        release.set()
        await settle(pilot)
        assert isinstance(app.screen, AgenciesScreen)  # not replaced by the confirmation
        assert any("Rendez-vous n°" in str(n.message) for n in app._notifications)
        assert len(app.services.appointments.day_sheet("nanterre")) + sum(
            len(app.services.appointments.day_sheet(a.id)) for a in app.services.agencies if a.id != "nanterre") == 1
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmationScreen)
        assert "Jean Dupont" in app.screen.text or "Rendez-vous" in app.screen.text


async def test_a_handoff_written_after_f2_leaves_the_agencies_in_place(make_app: AppFactory) -> None:
    from guichet.ui.screens.handoff import HandoffScreen

    app = make_app()
    app.services.handoffs.create, release = _held(app.services.handoffs.create)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"separation", "enter", "t")
        await pilot.pause()
        await screen_complete(pilot)
        screen = app.screen
        assert isinstance(screen, HandoffScreen)
        await pilot.press(*"Awa Diallo", "tab", *"1234567", "tab", *"0612345678")
        screen.query_one("#motifs", Input).value = "Demande d'explication sur l'ASF"
        screen.query_one(TextArea).text = "Séparation en juin."
        screen.query_one("#consent", Select).value = "yes"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen._saving, screen.query_one("#handoff-message").render()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, AgenciesScreen), app.screen
        release.set()
        await settle(pilot)
        assert isinstance(app.screen, AgenciesScreen), app.screen
        assert len(app.services.handoffs.listing()) == 1
        assert any("relais n°" in str(n.message) for n in app._notifications)
        assert app._losses() == []  # saved: Ctrl+Q would not ask
        await pilot.press("escape")  # back to the search: the saved form closes as it is shown again
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen), app.screen
