"""A whole counter morning at 80×24, keyboard only (data/demos/matinee.toml), played headless on the
real app: search → card → booking → a second person → a call back to move the first booking →
handoff → day sheet. The end state is read back from the database."""

from __future__ import annotations

from datetime import datetime

import pytest

from guichet.domain.clock import PARIS
from guichet.domain.models import Channel, Kind, Status
from guichet.ui import demo
from guichet.ui.app import GuichetApp

pytestmark = pytest.mark.slow  # a whole morning of keys: tens of seconds on the 2-core machine

MATINEE = next(path for path in demo.shipped_scripts() if path.stem == "matinee")


def test_the_script_is_a_keyboard_only_morning_at_80x24() -> None:
    script = demo.load_script(MATINEE)
    assert script.size == (80, 24) and script.agency == "nanterre"
    assert {step.kind for step in script.steps} <= {"caption", "type", "press", "wait", "pause"}  # no mouse
    keys = [key for step in script.steps for key in step.keys]
    for needed in ("ctrl+n", "ctrl+f", "r", "ctrl+s", "t", "f3"):
        assert needed in keys


async def test_a_whole_morning_at_80x24() -> None:
    script = demo.load_script(MATINEE)
    seen: dict[str, object] = {}

    def on_finish(app: GuichetApp) -> None:
        services = app.services
        seen["size"] = tuple(app.size)
        seen["screen"] = type(app.screen).__name__
        seen["diallo"] = services.appointments.find_person("1234567").appointments
        seen["petit"] = services.appointments.find_person("7654321").appointments
        seen["handoffs"] = services.handoffs.listing()

    report = await demo.run_script(script, headless=True, on_finish=on_finish)
    assert report.completed, f"stopped after {report.steps_played} of {report.steps_total} steps"
    assert seen["size"] == (80, 24)
    # It ends on the day sheet, on the next day where the first booking shows as moved.
    assert seen["screen"] == "DaySheetScreen" and report.final_title == "Rendez-vous du jour"

    # The first person: booked by phone for Tuesday 9:30, then moved to Wednesday 9:00 on her call back.
    diallo = sorted(seen["diallo"], key=lambda a: a.id)  # type: ignore[call-overload]
    assert len(diallo) == 2
    first, moved = diallo
    assert (first.name, first.kind, first.channel) == ("Awa Diallo", Kind.GCA, Channel.TELEPHONE)
    assert first.start == datetime(2026, 11, 24, 9, 30, tzinfo=PARIS) and first.status is Status.MOVED
    assert moved.start == datetime(2026, 11, 25, 9, 0, tzinfo=PARIS) and moved.status is Status.BOOKED
    assert moved.rescheduled_from == first.id and (moved.agency_id, moved.phone) == ("nanterre", "0612345678")

    # The second person: on site at Nanterre, today 10:30.
    petit = seen["petit"]
    assert isinstance(petit, list) and len(petit) == 1
    (booked,) = petit
    assert (booked.name, booked.channel, booked.status) == ("Marc Petit", Channel.AGENCE, Status.BOOKED)
    assert booked.start == datetime(2026, 11, 23, 10, 30, tzinfo=PARIS) and booked.service_id == "prime-activite"

    # One handoff logged, with the person's consent.
    handoffs = seen["handoffs"]
    assert isinstance(handoffs, list) and len(handoffs) == 1
    draft = handoffs[0].draft
    assert (draft.name, draft.file_number, draft.phone, draft.consent) == ("Inès Martin", "2345678", "0711223344",
                                                                           True)
    assert draft.comment.startswith("Séparée en septembre") and handoffs[0].message
