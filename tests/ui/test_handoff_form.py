"""The handoff form: a phone placeholder nobody can take for a number (issue 14, item 15) and what
Ctrl+Q / Ctrl+N would lose (item 3, the ``unsaved_work()`` contract)."""

from __future__ import annotations

import re

from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea

from guichet.ui.app import GuichetApp
from guichet.ui.screens.handoff import HandoffScreen
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import screen_complete, settle

SIZE = (80, 24)
PHONE_LIKE = re.compile(r"0\d([ .]?\d{2}){4}")  # what a French phone number looks like


async def _form(pilot: Pilot[None]) -> HandoffScreen:
    app = pilot.app
    assert isinstance(app, GuichetApp)
    await pilot.press(*"separation", "enter", "t")  # the card's Relais social
    await pilot.pause()
    await screen_complete(pilot)
    screen = app.screen
    assert isinstance(screen, HandoffScreen)
    return screen


async def test_the_phone_placeholder_is_not_a_phone_number(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _form(pilot)
        placeholder = screen.query_one("#phone", Input).placeholder
        assert not PHONE_LIKE.search(placeholder), placeholder
        assert "10 chiffres" in placeholder


async def test_an_empty_form_has_nothing_to_lose(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _form(pilot)
        assert screen.unsaved_work() is None  # the motif and event pre-filled from the card do not count


async def test_typed_text_is_unsaved_work(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _form(pilot)
        await pilot.press(*"Awa")
        await pilot.pause()
        assert screen.unsaved_work() == "un passage de relais en cours de saisie"
        screen.query_one("#name", Input).value = ""
        screen.query_one(TextArea).text = "Séparation en juin"
        await pilot.pause()
        assert screen.unsaved_work() == "un passage de relais en cours de saisie"


async def test_a_saved_handoff_leaves_nothing_to_lose(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _form(pilot)
        screen.query_one("#name", Input).value = "Awa Diallo"
        screen.query_one("#file-number", Input).value = "1234567"
        screen.query_one("#phone", Input).value = "0612345678"
        screen.query_one("#motifs", Input).value = "Demande d'explication sur l'ASF"
        screen.query_one(TextArea).text = "Séparation en juin ; ASF suspendue depuis août ?"
        screen.query_one("#benefits").select("ASF")  # type: ignore[attr-defined]
        screen.query_one("#consent", Select).value = "yes"
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert screen.unsaved_work() is None  # being written: it closes by itself
        await settle(pilot)
        assert not isinstance(app.screen, HandoffScreen)
        assert len(app.services.handoffs.listing()) == 1


async def test_the_orientation_questions_change_the_destination(make_app: AppFactory) -> None:
    """004 §II.1 (« Si le travailleur social CAF a clôturé l'accompagnement social, le CDAS évaluera cette nouvelle
    demande ») and the 92's perimeter (000 p.10) in the form: the card's answers come along, each can be changed."""
    from textual.widgets import Checkbox

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _form(pilot)
        assert "Service social de la Caf" in str(screen.query_one("#handoff-verdict").render())
        screen.query_one("#caf-closed", Checkbox).value = True
        await pilot.pause()
        verdict = str(screen.query_one("#handoff-verdict").render())
        assert "Service social du Département" in verdict and "même si l'évènement" in verdict
        screen.query_one("#caf-closed", Checkbox).value = False
        screen.query_one("#family", Select).value = "no"
        await pilot.pause()
        draft, _ = screen.draft()
        assert draft.family is False and not draft.caf_closed
        assert "Service social du Département" in str(screen.query_one("#handoff-verdict").render())
