"""The F9 refusal box (issue 14, item 5): an empty Entrée keeps it open with a message, what is
typed next stays in it, and a refusal the follow-up forbids is refused before any reason is asked."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from guichet.domain.followup import HandoffRecord
from guichet.domain.handoff import Contact, HandoffDraft, HandoffStatus
from guichet.domain.models import LifeEvent
from guichet.ui.app import GuichetApp
from guichet.ui.screens.handoffs import HandoffsScreen, ReasonScreen
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import settle

SIZE = (80, 24)
EMPTY_REASON = "Indiquez le motif du refus, ou Échap pour annuler."


def _handoff(app: GuichetApp, *moves: HandoffStatus) -> HandoffRecord:
    record = app.services.handoffs.create(HandoffDraft(
        name="Awa Diallo", life_event=LifeEvent.SEPARATION, motifs="Non-paiement", comment="ASF non versée.",
        benefits=("ASF",), contact=Contact.COURRIER, file_number="1234567", consent=True))
    for status in moves:
        record = app.services.handoffs.set_status(record.id, status, "Motif de test")
    return record


async def _list(pilot: Pilot[None]) -> HandoffsScreen:
    await pilot.press("f9")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, HandoffsScreen)
    return screen


async def test_an_empty_reason_keeps_the_box_open_with_a_message(make_app: AppFactory) -> None:
    app = make_app()
    record = _handoff(app)
    async with app.run_test(size=SIZE) as pilot:
        await _list(pilot)
        await pilot.press("x")
        await pilot.pause()
        box = app.screen
        assert isinstance(box, ReasonScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is box
        assert str(box.query_one("#reason-error", Static).render()) == EMPTY_REASON
        await pilot.press("t", "p")  # the list's "transmise" and "prise en charge" keys
        await settle(pilot)
        assert app.screen is box
        assert box.query_one(Input).value == "tp"
        assert str(box.query_one("#reason-error", Static).render()) == ""  # typing clears the message
        assert app.services.handoffs.get(record.id).status is HandoffStatus.A_TRANSMETTRE


async def test_blanks_are_no_reason(make_app: AppFactory) -> None:
    app = make_app()
    record = _handoff(app)
    async with app.run_test(size=SIZE) as pilot:
        await _list(pilot)
        await pilot.press("x", "space", "space", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReasonScreen)
        assert app.services.handoffs.get(record.id).status is HandoffStatus.A_TRANSMETTRE


async def test_a_reason_refuses_the_handoff(make_app: AppFactory) -> None:
    app = make_app()
    record = _handoff(app)
    async with app.run_test(size=SIZE) as pilot:
        await _list(pilot)
        await pilot.press("x", "enter", *"Hors champ", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HandoffsScreen)
        refused = app.services.handoffs.get(record.id)
        assert refused.status is HandoffStatus.REFUSEE and refused.status_reason == "Hors champ"


async def test_escape_cancels_the_refusal(make_app: AppFactory) -> None:
    app = make_app()
    record = _handoff(app)
    async with app.run_test(size=SIZE) as pilot:
        await _list(pilot)
        await pilot.press("x", *"Hors", "escape")
        await settle(pilot)
        assert isinstance(app.screen, HandoffsScreen)
        assert app.services.handoffs.get(record.id).status is HandoffStatus.A_TRANSMETTRE


async def test_a_forbidden_refusal_never_opens_the_box(make_app: AppFactory) -> None:
    """A handoff already taken in charge can only be closed: no refusal, so no reason asked."""
    app = make_app()
    record = _handoff(app, HandoffStatus.TRANSMISE, HandoffStatus.PRISE_EN_CHARGE)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _list(pilot)
        assert [r.id for r in screen.records] == [record.id]
        await pilot.press("x")
        await settle(pilot)
        assert app.screen is screen  # no box
        [note] = [n for n in app._notifications if "impossible" in n.message]
        assert "« Prise en charge »" in note.message and "« Refusée »" in note.message
        assert app.services.handoffs.get(record.id).status is HandoffStatus.PRISE_EN_CHARGE


async def test_a_forbidden_move_is_told_at_once(make_app: AppFactory) -> None:
    app = make_app()
    record = _handoff(app)
    async with app.run_test(size=SIZE) as pilot:
        await _list(pilot)
        await pilot.press("p")  # "prise en charge" cannot skip "transmise"
        await settle(pilot)
        assert any("impossible de le passer à « Prise en charge »" in n.message for n in app._notifications)
        assert app.services.handoffs.get(record.id).status is HandoffStatus.A_TRANSMETTRE


@pytest.mark.parametrize("size", [pytest.param(SIZE, id="80x24")])
def test_snapshot_refusal_box_with_its_message(make_app: AppFactory, snap_compare: object,
                                               size: tuple[int, int]) -> None:
    app = make_app()
    _handoff(app)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("x", "enter")
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=size)  # type: ignore[operator]
