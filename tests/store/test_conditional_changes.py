"""Every change of an existing record is conditional on the state it was read in (SQLite and PostgreSQL).

A counter that read an appointment or a handoff before another counter changed it must lose
cleanly: nothing written, a LostRace naming the state the record is in now, the history intact.
The race is reproduced deterministically: the second counter's read is made to return what it
saw before the first counter's change, as it would in the gap between the two.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from guichet.domain.clock import PARIS
from guichet.domain.handoff import Contact, HandoffDraft, HandoffStatus
from guichet.domain.models import Appointment, Channel, Kind, LifeEvent, Status
from guichet.errors import LostRace
from guichet.services import Services
from guichet.services.appointments import BookingRequest
from guichet.store import appointments as appointment_store
from guichet.store import handoffs as handoff_store
from guichet.store.engine import read_session, write_session
from guichet.store.tables import HandoffRow, JournalRow
from tests.conftest import FIXED_NOW


def _book(services: Services, hour: int = 11) -> Appointment:
    return services.appointments.book(BookingRequest(
        agency_id="nanterre", kind=Kind.GCA, channel=Channel.TELEPHONE,
        start=datetime(2026, 11, 23, hour, 0, tzinfo=PARIS), name="Awa Diallo", file_number="1234567",
        phone="0612345678",
    ))


def _handoff(services: Services) -> int:
    return services.handoffs.create(HandoffDraft(
        name="Awa Diallo", life_event=LifeEvent.SEPARATION, motifs="Non-paiement de l'ASF",
        comment="Séparée en juin.", benefits=("ASF",), file_number="1234567", phone="0612345678",
        contact=Contact.TELEPHONE, event_date=date(2026, 6, 1), consent=True,
    )).id


def _stale_reads(monkeypatch: pytest.MonkeyPatch, module: Any, stale: object) -> None:
    """The next read of ``module.get`` returns ``stale`` (what the second counter saw), then the truth."""
    real = module.get
    calls = {"n": 0}

    def get(**kwargs: Any) -> object:
        calls["n"] += 1
        return stale if calls["n"] == 1 else real(**kwargs)

    monkeypatch.setattr(module, "get", get)


def _actions(services: Services) -> list[str]:
    with read_session(services.engine) as session:
        return [row.action for row in session.execute(select(JournalRow).order_by(JournalRow.id)).scalars()]  # type: ignore[arg-type]


def test_store_appointment_change_is_refused_when_the_status_moved(services: Services) -> None:
    booked = _book(services)
    with write_session(services.engine) as session:
        assert appointment_store.change_status(session=session, appointment_id=booked.id, expected=Status.BOOKED,
                                               target=Status.EXCUSED, at=FIXED_NOW) is not None
        # A second change made on the "booked" it read earlier: refused, nothing written.
        assert appointment_store.change_status(session=session, appointment_id=booked.id, expected=Status.BOOKED,
                                               target=Status.SEEN, at=FIXED_NOW) is None
        assert appointment_store.change_status(session=session, appointment_id=999, expected=Status.BOOKED,
                                               target=Status.SEEN, at=FIXED_NOW) is None
    assert services.appointments.get(booked.id).status is Status.EXCUSED
    assert services.appointments.get(booked.id).checked_in_at is None


def test_a_status_change_lost_to_another_counter_says_so(services: Services,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    booked = _book(services)
    services.appointments.set_status(booked.id, Status.EXCUSED)  # the first counter: the person cancelled
    _stale_reads(monkeypatch, appointment_store, booked)  # the second counter still sees "réservé"
    with pytest.raises(LostRace, match="déjà été modifié par un autre guichet") as caught:
        services.appointments.set_status(booked.id, Status.SEEN)
    assert "annulé par la personne" in str(caught.value)
    assert services.appointments.get(booked.id).status is Status.EXCUSED
    assert _actions(services) == ["appointment.booked", "appointment.excused"]  # the loser wrote nothing


def test_a_reschedule_lost_to_a_cancel_books_nothing(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    booked = _book(services)
    services.appointments.set_status(booked.id, Status.EXCUSED)
    _stale_reads(monkeypatch, appointment_store, booked)
    with pytest.raises(LostRace, match="annulé par la personne"):
        services.appointments.reschedule(booked.id, datetime(2026, 11, 23, 14, 0, tzinfo=PARIS))
    sheet = services.appointments.day_sheet("nanterre", FIXED_NOW.date())
    assert [(a.id, a.status) for a in sheet] == [(booked.id, Status.EXCUSED)]  # no live copy of it


def test_a_handoff_move_lost_to_another_counter_keeps_status_and_closing_in_step(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    handoff_id = _handoff(services)
    before = services.handoffs.get(handoff_id)
    services.handoffs.set_status(handoff_id, HandoffStatus.TRANSMISE)
    services.handoffs.set_status(handoff_id, HandoffStatus.PRISE_EN_CHARGE)
    _stale_reads(monkeypatch, handoff_store, before)  # the second counter still sees "à transmettre"
    with pytest.raises(LostRace, match="maintenant « Prise en charge »"):
        services.handoffs.set_status(handoff_id, HandoffStatus.REFUSEE, "doublon")
    monkeypatch.undo()
    record = services.handoffs.get(handoff_id)
    assert record.status is HandoffStatus.PRISE_EN_CHARGE and record.closed_at is None  # still open
    assert [h.status for h in record.history] == [HandoffStatus.A_TRANSMETTRE, HandoffStatus.TRANSMISE,
                                                  HandoffStatus.PRISE_EN_CHARGE]
    # And a purge years later keeps it: it was never closed.
    services.clock.set(FIXED_NOW + timedelta(days=3 * 366))  # type: ignore[attr-defined]
    assert services.retention.purge().handoffs == 0
    with read_session(services.engine) as session:
        assert session.get(HandoffRow, handoff_id) is not None
