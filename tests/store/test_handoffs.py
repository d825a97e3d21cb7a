"""Handoffs through the services, on SQLite and PostgreSQL: logging, follow-up, journal, retention, access."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from guichet.domain.clock import PARIS, FixedClock
from guichet.domain.handoff import Contact, Destination, HandoffDraft, HandoffStatus
from guichet.domain.models import Channel, Kind, LifeEvent, Status
from guichet.errors import InvalidInput
from guichet.services import Services
from guichet.services.appointments import BookingRequest
from guichet.store.engine import read_session
from guichet.store.tables import HandoffEventRow, HandoffRow, JournalRow


def draft(**changes: object) -> HandoffDraft:
    base: dict[str, object] = dict(
        name="Awa Diallo", life_event=LifeEvent.SEPARATION, motifs="Non-paiement de l'ASF",
        comment="Séparée en juin ; l'ASF n'est plus versée depuis août.", benefits=("ASF", "APL"),
        file_number="1234567", phone="06 12 34 56 78", contact=Contact.TELEPHONE,
        event_date=date(2026, 6, 1), non_payment_since=date(2026, 8, 1), consent=True,
    )
    base.update(changes)
    return HandoffDraft(**base)  # type: ignore[arg-type]


def journal(services: Services) -> list[tuple[str, str, int | None]]:
    with read_session(services.engine) as session:
        rows = session.execute(select(JournalRow).order_by(JournalRow.id)).scalars()  # type: ignore[arg-type]
        return [(r.action, r.record_type, r.record_id) for r in rows]


def test_logging_a_handoff_renders_qualifies_and_journals(services: Services) -> None:
    record = services.handoffs.create(draft())
    assert record.status is HandoffStatus.A_TRANSMETTRE
    assert record.urgent  # ASF unpaid since 1 August: 3 months on 23 November
    assert record.destination is Destination.SERVICE_SOCIAL_CAF
    assert record.message is not None and record.message.startswith("URGENCE DEFINIE")
    assert record.draft.phone == "0612345678"
    assert [(h.status, h.actor) for h in record.history] == [(HandoffStatus.A_TRANSMETTRE, services.agent)]
    assert journal(services) == [("handoff.created", "handoff", record.id)]


def test_consent_is_required_and_a_refusal_keeps_no_message(services: Services) -> None:
    with pytest.raises(InvalidInput, match="consentement"):
        services.handoffs.create(draft(consent=None))
    assert services.handoffs.listing() == []
    refused = services.handoffs.create(draft(consent=False))
    assert refused.status is HandoffStatus.REFUSEE and refused.message is None
    assert refused.draft.comment == "" and refused.draft.phone is None  # the situation is not kept
    assert journal(services) == [("handoff.refused", "handoff", refused.id)]


@pytest.mark.parametrize("bad", [
    {"name": ""}, {"motifs": ""}, {"comment": ""}, {"benefits": ()}, {"phone": "0612"},
    {"event_date": date(2027, 6, 1), "life_event": LifeEvent.DECES_PARENT},
    {"period_start": date(2026, 10, 1), "period_end": date(2026, 9, 1)}, {"comment": "x" * 2001},
], ids=["name", "motifs", "comment", "benefits", "phone", "future-death", "period", "overlong"])
def test_an_incomplete_handoff_writes_nothing(services: Services, bad: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        services.handoffs.create(draft(**bad))
    with read_session(services.engine) as session:
        assert session.execute(select(func.count()).select_from(HandoffRow)).scalar() == 0
        assert session.execute(select(func.count()).select_from(JournalRow)).scalar() == 0


def test_follow_up_moves_one_step_at_a_time_with_who_and_when(services: Services, clock: FixedClock) -> None:
    record = services.handoffs.create(draft())
    with pytest.raises(InvalidInput, match="impossible"):
        services.handoffs.set_status(record.id, HandoffStatus.PRISE_EN_CHARGE)  # no skipping
    clock.advance(timedelta(hours=1))
    services.handoffs.set_status(record.id, HandoffStatus.TRANSMISE)
    clock.advance(timedelta(days=2))
    services.handoffs.set_status(record.id, HandoffStatus.PRISE_EN_CHARGE)
    with pytest.raises(InvalidInput):
        services.handoffs.set_status(record.id, HandoffStatus.TRANSMISE)  # no going back
    with pytest.raises(InvalidInput, match="motivé"):
        services.handoffs.set_status(record.id, HandoffStatus.REFUSEE)
    closed = services.handoffs.set_status(record.id, HandoffStatus.CLOTUREE)
    assert [h.status for h in closed.history] == [HandoffStatus.A_TRANSMETTRE, HandoffStatus.TRANSMISE,
                                                  HandoffStatus.PRISE_EN_CHARGE, HandoffStatus.CLOTUREE]
    assert closed.history[1].at == datetime(2026, 11, 23, 11, 0, tzinfo=PARIS)
    assert closed.closed_at == datetime(2026, 11, 25, 11, 0, tzinfo=PARIS)
    assert [a for a, _, _ in journal(services)] == ["handoff.created", "handoff.transmise",
                                                     "handoff.prise_en_charge", "handoff.cloturee"]


def test_listing_filters_by_status_urgent_first(services: Services) -> None:
    calm = services.handoffs.create(draft(non_payment_since=None, benefits=("AF",)))
    urgent = services.handoffs.create(draft())
    services.handoffs.set_status(calm.id, HandoffStatus.TRANSMISE)
    assert [r.id for r in services.handoffs.listing()] == [urgent.id, calm.id]
    assert [r.id for r in services.handoffs.listing((HandoffStatus.TRANSMISE,))] == [calm.id]


def test_the_journal_cannot_be_edited(services: Services) -> None:
    services.handoffs.create(draft())
    for statement in ("DELETE FROM journal", "UPDATE journal SET actor = 'x'", "UPDATE journal SET action = 'x'"):
        with pytest.raises(DBAPIError), services.engine.begin() as connection:
            connection.execute(text(statement))
    assert len(journal(services)) == 1


def test_purge_deletes_what_retention_says_and_anonymises_the_journal(services: Services, clock: FixedClock) -> None:
    old = services.handoffs.create(draft())
    services.handoffs.set_status(old.id, HandoffStatus.TRANSMISE)
    services.handoffs.set_status(old.id, HandoffStatus.PRISE_EN_CHARGE)
    services.handoffs.set_status(old.id, HandoffStatus.CLOTUREE)
    booked = services.appointments.book(BookingRequest("nanterre", Kind.GCA, Channel.TELEPHONE,
                                                  datetime(2026, 11, 23, 13, 0, tzinfo=PARIS), "Awa Diallo",
                                                  "1234567", "0612345678"))
    services.appointments.set_status(booked.id, Status.SEEN)
    clock.set(datetime(2028, 11, 23, 10, 0, tzinfo=PARIS))  # two years later, to the day
    open_one = services.handoffs.create(draft(name="Li Wei", file_number="7654321", event_date=date(2028, 6, 1),
                                              non_payment_since=None))
    dry = services.retention.purge(dry_run=True)
    assert (dry.handoffs, dry.appointments) == (0, 0)  # exactly 2 years: kept
    clock.set(datetime(2028, 11, 26, 10, 0, tzinfo=PARIS))
    dry = services.retention.purge(dry_run=True)
    assert (dry.handoffs, dry.appointments, dry.journal_entries) == (1, 1, 6)
    assert len(services.handoffs.listing()) == 2  # a dry run changes nothing
    done = services.retention.purge()
    assert (done.handoffs, done.appointments) == (1, 1)
    assert [r.id for r in services.handoffs.listing()] == [open_one.id]
    with read_session(services.engine) as session:
        assert session.execute(select(func.count()).select_from(HandoffEventRow)).scalar() == 1
    entries = journal(services)
    assert ("handoff.created", "handoff", None) in entries  # kept, unlinked
    assert ("appointment.booked", "appointment", None) in entries
    assert entries[-1] == ("retention.purge", "purge", None)
    assert all(r is None for _, t, r in entries if t == "appointment")


def test_person_export_shows_everything_held(services: Services) -> None:
    services.appointments.book(BookingRequest("nanterre", Kind.GCA, Channel.TELEPHONE,
                                         datetime(2026, 11, 23, 13, 0, tzinfo=PARIS), "Awa Diallo", "1234567",
                                         "0612345678", objective="APL"))
    record = services.handoffs.create(draft())
    services.handoffs.create(draft(name="Li Wei", file_number="7654321"))
    data = services.retention.person_data("1234567")
    assert data["file_number"] == "1234567"
    assert [a["name"] for a in data["appointments"]] == ["Awa Diallo"]
    assert [h["id"] for h in data["handoffs"]] == [record.id]
    assert data["handoffs"][0]["message"] == record.message
    assert data["handoffs"][0]["history"][0]["status"] == "a_transmettre"
    with pytest.raises(InvalidInput, match="Aucune donnée"):
        services.retention.person_data("1111111")
    with pytest.raises(InvalidInput, match="7 chiffres"):
        services.retention.person_data("12")
