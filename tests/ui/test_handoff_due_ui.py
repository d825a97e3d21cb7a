"""F9 and the answer's due date (004 annex 1: « Répondre dans un délai de 7 à 10 jours maximum »): the late
handoff comes first, flagged in French in its row and above its message."""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Static

from guichet.domain.clock import PARIS, FixedClock
from guichet.domain.handoff import Contact, HandoffDraft, HandoffStatus
from guichet.domain.models import LifeEvent
from guichet.ui.screens.handoffs import HandoffsScreen
from guichet.ui.widgets.rowlist import RowList
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import settle


def _draft(name: str) -> HandoffDraft:
    return HandoffDraft(name=name, life_event=LifeEvent.SEPARATION, motifs="Demande d'accompagnement",
                        comment="Séparation récente.", benefits=("ASF",), contact=Contact.COURRIER,
                        file_number="1234567", consent=True)


async def test_f9_shows_the_late_handoff_first_flagged(make_app: AppFactory) -> None:
    app = make_app()
    clock = app.services.clock
    assert isinstance(clock, FixedClock)
    late = app.services.handoffs.create(_draft("Awa Diallo"))  # Monday 23 November
    app.services.handoffs.set_status(late.id, HandoffStatus.TRANSMISE)  # due Thursday 3 December
    clock.set(datetime(2026, 12, 1, 10, 0, tzinfo=PARIS))
    recent = app.services.handoffs.create(_draft("Li Wei"))
    clock.set(datetime(2026, 12, 6, 10, 0, tzinfo=PARIS))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f9")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HandoffsScreen)
        assert [r.id for r in screen.records] == [late.id, recent.id]
        assert screen.query_one(RowList).rows[0][3] == "en retard 3 j"  # the « Réponse » column
        detail = str(screen.query_one("#handoffs-detail", Static).render())
        assert detail.startswith("En retard depuis 3 jours.\n\nPassage de relais")
