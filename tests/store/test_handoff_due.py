"""The answer's due date, the late ones first, expiry and purge, the refusal's minimum: through the services,
on SQLite and PostgreSQL, with the injected clock.

004_a86ec49ae4cb90e1.txt, annex 1: « Un délai de réponse de 7 à 10 jours maximum suivant la réception de la
demande est un engagement hors situation urgente »; annex 7: « Elles seront conservées deux ans après la
clôture d'un suivi d'intervention ».
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import select

from guichet.domain.clock import PARIS, FixedClock
from guichet.domain.followup import ANSWER_DAYS, days_late, expiry_reason
from guichet.domain.handoff import Contact, Destination, HandoffDraft, HandoffStatus
from guichet.domain.models import LifeEvent
from guichet.services import Services
from guichet.store.engine import read_session
from guichet.store.tables import HandoffEventRow, HandoffRow, JournalRow

MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)  # tests/conftest.py's FIXED_NOW
S = HandoffStatus


def draft(name: str = "Awa Diallo", **changes: object) -> HandoffDraft:
    base = HandoffDraft(name=name, life_event=LifeEvent.SEPARATION, motifs="Demande d'accompagnement",
                        comment="Séparation récente.", benefits=("ASF",), file_number="1234567",
                        contact=Contact.COURRIER, event_date=date(2026, 6, 1), consent=True)
    return replace(base, **changes)  # type: ignore[arg-type]


def transmitted(services: Services, name: str, **changes: object) -> int:
    record = services.handoffs.create(draft(name, **changes))
    return services.handoffs.set_status(record.id, S.TRANSMISE).id


def test_a_transmitted_handoff_is_due_ten_days_later(services: Services, clock: FixedClock) -> None:
    record = services.handoffs.create(draft())
    assert record.due_on is None  # not transmitted yet: nothing is due
    sent = services.handoffs.set_status(record.id, S.TRANSMISE)
    assert ANSWER_DAYS == 10 and sent.due_on == date(2026, 12, 3)
    taken = services.handoffs.set_status(record.id, S.PRISE_EN_CHARGE)
    assert taken.due_on == date(2026, 12, 3)  # kept; but the answer came, so it is never late
    clock.set(datetime(2027, 1, 4, 10, 0, tzinfo=PARIS))
    assert days_late(services.handoffs.get(record.id), clock.now().date()) == 0


def test_the_late_ones_come_first_then_urgent_then_newest(services: Services, clock: FixedClock) -> None:
    first = transmitted(services, "Awa Diallo")  # Monday 23 November: due Thursday 3 December
    clock.advance(timedelta(days=2))
    second = transmitted(services, "Li Wei")  # Wednesday 25: due Saturday 5 December
    waiting = services.handoffs.create(draft("Jeanne Petit")).id  # not transmitted: never late
    clock.advance(timedelta(days=1))
    newest = transmitted(services, "Paul Martin")  # Thursday 26: due Sunday 6 December
    clock.set(datetime(2026, 12, 3, 18, 0, tzinfo=PARIS))  # the last day of the first one's delay
    assert [r.id for r in services.handoffs.listing()] == [newest, waiting, second, first]
    clock.set(datetime(2026, 12, 6, 9, 0, tzinfo=PARIS))  # first: 3 days late, second: 1 day
    listed = services.handoffs.listing()
    assert [r.id for r in listed] == [first, second, newest, waiting]
    assert [days_late(r, date(2026, 12, 6)) for r in listed] == [3, 1, 0, 0]
    # Paging walks the same list: the late ones, then the others.
    pages = [r.id for offset in range(4) for r in services.handoffs.listing(limit=1, offset=offset)]
    assert pages == [first, second, newest, waiting]
    assert [r.id for r in services.handoffs.listing(limit=3, offset=1)] == [second, newest, waiting]
    assert [r.id for r in services.handoffs.listing((S.A_TRANSMETTRE,))] == [waiting]
    services.handoffs.set_status(first, S.PRISE_EN_CHARGE)  # the answer came: no longer late
    assert [r.id for r in services.handoffs.listing()] == [second, newest, waiting, first]


def test_the_expiry_closes_what_nothing_moved_and_the_purge_takes_it_two_years_later(
        services: Services, clock: FixedClock) -> None:
    stale = transmitted(services, "Awa Diallo")
    closed = services.handoffs.create(draft("Li Wei")).id
    services.handoffs.set_status(closed, S.REFUSEE, "Hors champ")
    clock.set(datetime(2027, 6, 1, 10, 0, tzinfo=PARIS))
    moving = services.handoffs.create(draft("Paul Martin")).id
    # 12 months after its last move (Settings.handoff_expiry_months), to the day: kept.
    clock.set(datetime(2027, 11, 23, 10, 0, tzinfo=PARIS))
    assert services.retention.purge(dry_run=True).handoffs_expired == 0
    clock.set(datetime(2027, 11, 24, 10, 0, tzinfo=PARIS))
    dry = services.retention.purge(dry_run=True)
    assert (dry.handoffs_expired, dry.expiry_cutoff) == (1, datetime(2026, 11, 24, 10, 0, tzinfo=PARIS))
    assert services.handoffs.get(stale).status is S.TRANSMISE  # a dry run changes nothing
    done = services.retention.purge()
    assert (done.handoffs_expired, done.handoffs) == (1, 0)
    expired = services.handoffs.get(stale)
    assert expired.status is S.EXPIREE and expired.status_reason == expiry_reason(12)
    assert expired.closed_at == clock.now()
    assert expired.history[-1].status is S.EXPIREE and expired.history[-1].reason == expiry_reason(12)
    assert days_late(expired, clock.now().date()) == 0
    assert services.handoffs.get(moving).status is S.A_TRANSMETTRE  # moved less than 12 months ago
    with read_session(services.engine) as session:
        actions = [(r.action, r.record_id) for r in session.execute(select(JournalRow)).scalars()]
    assert ("handoff.expiree", stale) in actions
    assert services.retention.purge().handoffs_expired == 0  # expired once
    # Two years after its expiry it goes, like a closed one; the refused one went already.
    clock.set(datetime(2029, 11, 24, 10, 0, tzinfo=PARIS))
    assert services.retention.purge(dry_run=True).handoffs == 1  # the refused one (closed 23/11/2026)
    clock.set(datetime(2029, 11, 25, 10, 0, tzinfo=PARIS))
    services.retention.purge()
    ids = [r.id for r in services.handoffs.listing()]
    assert stale not in ids and closed not in ids
    assert services.handoffs.get(moving).status is S.EXPIREE  # by this run: nothing moved it since 01/06/2027


def test_the_expiry_delay_is_a_setting(services: Services, clock: FixedClock) -> None:
    services.settings = replace(services.settings, handoff_expiry_months=3)
    record = services.handoffs.create(draft())
    clock.set(datetime(2027, 2, 24, 10, 0, tzinfo=PARIS))
    assert services.retention.purge().handoffs_expired == 1
    assert services.handoffs.get(record.id).status_reason.startswith("Sans suite depuis plus de 3 mois")


def test_a_refusal_keeps_no_name_no_file_number(services: Services) -> None:
    refused = services.handoffs.create(draft(consent=False, phone="0612345678", referent="Mme Le Goff",
                                             already_followed=True, service_id="separation"))
    assert refused.status is S.REFUSEE and refused.message is None
    assert (refused.draft.name, refused.draft.file_number, refused.draft.phone) == ("", None, None)
    assert (refused.draft.event_date, refused.draft.referent, refused.draft.benefits) == (None, "", ())
    assert (refused.draft.life_event, refused.draft.service_id) == (LifeEvent.SEPARATION, "separation")
    assert "Le Goff" not in refused.destination_label
    with read_session(services.engine) as session:
        row = session.get(HandoffRow, refused.id)
        assert row is not None and (row.name, row.file_number, row.phone) == ("", None, None)
    assert [r.id for r in services.handoffs.listing((S.REFUSEE,))] == [refused.id]


def test_the_purge_minimises_a_refusal_written_with_more(services: Services) -> None:
    """A refusal written by an older guichet (or by hand) keeps its minimum after the next purge."""
    refused = services.handoffs.create(draft(consent=False))
    with services.engine.begin() as connection:
        connection.execute(HandoffRow.__table__.update().where(HandoffRow.__table__.c.id == refused.id).values(  # type: ignore[attr-defined]
            name="Awa Diallo", file_number="1234567", phone="0612345678", comment="Séparation",
            destination=Destination.REFERENT.value, destination_label="Travailleur social référent : Mme Le Goff"))
    services.retention.purge()
    again = services.handoffs.get(refused.id)
    assert (again.draft.name, again.draft.file_number, again.draft.phone, again.draft.comment) == ("", None, None, "")
    assert again.destination_label == Destination.REFERENT.label
    with read_session(services.engine) as session:
        assert [e.status for e in session.execute(select(HandoffEventRow)).scalars()] == ["refusee"]
