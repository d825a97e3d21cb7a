"""Booking through the services (SQLite in a temporary directory, fixed clock).

Book, seats, SlotTaken, validation (nothing written on error), cancel, statuses, reschedule,
confirmation text, day sheet and its CSV, the journal; then a stateful property test of the
seat invariants under random sequences of operations.
"""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as SqlSession
from sqlmodel import col

from guichet.domain.clock import PARIS, FixedClock
from guichet.domain.models import Appointment, Channel, Kind, Status
from guichet.errors import InvalidInput, LostRace
from guichet.services import Services, make_services
from guichet.services.appointments import BookingRequest, SlotTaken
from guichet.services.exports import APPOINTMENT_CSV_COLUMNS as CSV_COLUMNS
from guichet.services.exports import day_sheet_csv
from guichet.store import tables
from guichet.store.engine import read_session
from guichet.store.tables import AppointmentRow, JournalRow, from_db
from tests.conftest import FIXED_NOW, make_settings

MONDAY = date(2026, 11, 23)  # FIXED_NOW is Monday 10:00
TUESDAY = date(2026, 11, 24)
MONDAY_11H = datetime(2026, 11, 23, 11, 0, tzinfo=PARIS)
NANTERRE_ADDRESS = "70 à 88 rue Paul Lescop, 92023 Nanterre Cedex"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), PARIS)


def phone_request(start: datetime = MONDAY_11H, **changes: Any) -> BookingRequest:
    """Nanterre, GCA by phone (5 desks, every weekday)."""
    fields: dict[str, Any] = {
        "agency_id": "nanterre", "kind": Kind.GCA, "channel": Channel.TELEPHONE, "start": start,
        "name": "Camille Dupont", "file_number": "1234567", "phone": "06 12 34 56 78",
    }
    fields.update(changes)
    return BookingRequest(**fields)


def onsite_request(start: datetime = MONDAY_11H, **changes: Any) -> BookingRequest:
    """Nanterre, GCA on site (3 desks, Monday and Thursday mornings)."""
    fields: dict[str, Any] = {
        "agency_id": "nanterre", "kind": Kind.GCA, "channel": Channel.AGENCE, "start": start,
        "name": "Camille Dupont",
    }
    fields.update(changes)
    return BookingRequest(**fields)


def book(services: Services, request: BookingRequest) -> Appointment:
    return services.appointments.book(request)


def snapshot(services: Services) -> tuple[list[tuple[Any, ...]], int]:
    """Every appointment row (all columns) and the journal length: to prove nothing changed."""
    with read_session(services.engine) as session:
        found = session.execute(select(AppointmentRow).order_by(col(AppointmentRow.id))).scalars()
        rows = [tuple(getattr(r, c) for c in AppointmentRow.model_fields) for r in found]
        journal = session.execute(select(func.count()).select_from(JournalRow)).scalar_one()
    return rows, int(journal)


def journal(services: Services) -> list[JournalRow]:
    with read_session(services.engine) as session:
        return list(session.execute(select(JournalRow).order_by(col(JournalRow.id))).scalars())


def one_french_line(message: str) -> None:
    assert message and "\n" not in message
    assert message[0].isupper() and message.endswith(".")
    assert "Traceback" not in message and "Error" not in message


# -- booking and seats --------------------------------------------------------------------------


def test_book_returns_the_appointment_on_seat_one(services: Services) -> None:
    booked = book(services, phone_request(service_id=None, objective="  Baisse de l'APL  "))
    assert booked.id >= 1
    assert (booked.agency_id, booked.kind, booked.channel) == ("nanterre", Kind.GCA, Channel.TELEPHONE)
    assert (booked.start, booked.end) == (at(MONDAY, 11), at(MONDAY, 11, 30))
    assert booked.seat == 1
    assert booked.status is Status.BOOKED
    assert (booked.name, booked.file_number, booked.phone) == ("Camille Dupont", "1234567", "0612345678")
    assert booked.objective == "Baisse de l'APL"
    assert booked.created_at == booked.updated_at == FIXED_NOW
    assert booked.rescheduled_from is None
    assert services.appointments.get(booked.id) == booked


def test_rows_build_no_pydantic_validator(services: Services) -> None:
    """SQLAlchemy writes and reads the rows; pydantic's validators for them would be 0.4 MB of a
    counter's memory never used (issue 16): they are deferred, and a booking read back builds none."""
    booked = services.appointments.book(phone_request())
    assert [a.id for a in services.appointments.day_sheet("nanterre", MONDAY)] == [booked.id]
    rows = tables._Row.__subclasses__()
    assert len(rows) == 8
    assert [cls.__name__ for cls in rows if cls.__pydantic_complete__] == []


def test_seats_fill_up_to_the_desks_then_slot_taken(services: Services) -> None:
    seats = [book(services, onsite_request(name=f"Personne {n}")).seat for n in range(3)]
    assert seats == [1, 2, 3]  # Nanterre on site: 3 desks
    before = snapshot(services)
    with pytest.raises(SlotTaken) as caught:
        book(services, onsite_request(name="Une de trop"))
    assert snapshot(services) == before
    message = str(caught.value)
    one_french_line(message)
    assert message.startswith("Le créneau du lundi 23 novembre, 11:00 vient d'être pris.")
    alternatives = caught.value.alternatives
    assert 1 <= len(alternatives) <= 3
    for slot in alternatives:
        assert (slot.kind, slot.channel) == (Kind.GCA, Channel.AGENCE)
        assert slot.free >= 1
        assert slot.start >= FIXED_NOW + timedelta(minutes=30)
        assert (slot.agency_id, slot.start) != ("nanterre", at(MONDAY, 11))
    assert (alternatives[0].agency_id, alternatives[0].start) == ("nanterre", at(MONDAY, 10, 30))
    assert "10:30 (Nanterre)" in message
    assert isinstance(caught.value, LostRace)  # a lost race, under the one error root


def test_phone_slot_has_five_seats(services: Services) -> None:
    assert [book(services, phone_request(name=f"P {n}")).seat for n in range(5)] == [1, 2, 3, 4, 5]
    with pytest.raises(SlotTaken):
        book(services, phone_request(name="P 6"))
    slots = services.appointments.find_slots(Kind.GCA, Channel.TELEPHONE, "nanterre", limit=2)
    assert [s.start for s in slots] == [at(MONDAY, 10, 30), at(MONDAY, 11, 30)]  # 11:00 is full


def test_find_slots_counts_taken_seats(services: Services) -> None:
    book(services, phone_request(start=at(MONDAY, 10, 30)))
    book(services, phone_request(start=at(MONDAY, 10, 30), name="Autre"))
    slots = services.appointments.find_slots(Kind.GCA, Channel.TELEPHONE, limit=4)
    assert [(s.agency_id, s.start, s.free) for s in slots] == [
        ("nanterre", at(MONDAY, 10, 30), 3),  # the workstation's agency first, 2 of 5 seats taken
        ("chatenay-malabry", at(MONDAY, 10, 30), 4),
        ("gennevilliers", at(MONDAY, 10, 30), 4),
        ("montrouge", at(MONDAY, 10, 30), 4),
    ]


def test_same_time_other_channel_or_agency_does_not_share_seats(services: Services) -> None:
    assert book(services, onsite_request()).seat == 1
    assert book(services, phone_request()).seat == 1
    assert book(services, phone_request(agency_id="montrouge")).seat == 1


def test_phone_is_normalised(services: Services) -> None:
    assert book(services, phone_request(phone="+33 6 12 34 56 78")).phone == "0612345678"
    assert book(services, phone_request(phone="0033 6.12.34.56.78", name="B")).phone == "0612345678"
    assert book(services, phone_request(phone="01-23-45-67-89", name="C")).phone == "0123456789"


def test_optional_fields_on_site(services: Services) -> None:
    booked = book(services, onsite_request(name="  Jean   Martin ", file_number=" 0123456 ", phone=None))
    assert (booked.name, booked.file_number, booked.phone) == ("Jean Martin", "0123456", None)


def test_name_of_eighty_characters_is_accepted(services: Services) -> None:
    assert book(services, onsite_request(name="a" * 80)).name == "a" * 80


def test_last_slot_before_the_horizon_is_bookable(services: Services) -> None:
    # now + 12 weeks = Monday 15 February 2027 10:00 (excluded): 09:30 is the last bookable slot.
    assert book(services, phone_request(start=at(date(2027, 2, 15), 9, 30))).seat == 1


def test_first_slot_after_the_notice_is_bookable(services: Services) -> None:
    assert book(services, phone_request(start=at(MONDAY, 10, 30))).start == at(MONDAY, 10, 30)


def test_dst_booking_after_the_spring_change(tmp_path: Path) -> None:
    services = make_services(make_settings(tmp_path, horizon_weeks=30), clock=FixedClock(FIXED_NOW))
    try:
        winter = services.appointments.book(phone_request(start=at(date(2027, 3, 26), 9)))
        summer = services.appointments.book(phone_request(start=at(date(2027, 3, 30), 9)))
        assert winter.start.isoformat() == "2027-03-26T09:00:00+01:00"
        assert summer.start.isoformat() == "2027-03-30T09:00:00+02:00"
        assert summer.end.isoformat() == "2027-03-30T09:30:00+02:00"
        with read_session(services.engine) as session:
            row = session.get(AppointmentRow, summer.id)
            assert row is not None and row.start == datetime(2027, 3, 30, 7, 0)  # naive UTC
        assert [a.id for a in services.appointments.day_sheet("nanterre", date(2027, 3, 30))] == [summer.id]
        with pytest.raises(InvalidInput, match="Pas de créneau"):  # Easter Monday
            services.appointments.book(phone_request(start=at(date(2027, 3, 29), 9)))
        slots = services.appointments.find_slots(Kind.GCA, Channel.TELEPHONE, "nanterre",
                                            date_from=date(2027, 3, 29), limit=1)
        assert (slots[0].start, slots[0].free) == (at(date(2027, 3, 30), 9), 4)
    finally:
        services.close()


def test_notice_comes_from_the_settings(tmp_path: Path) -> None:
    services = make_services(make_settings(tmp_path, notice_minutes=0), clock=FixedClock(FIXED_NOW))
    try:
        assert services.appointments.book(phone_request(start=at(MONDAY, 10))).start == at(MONDAY, 10)
        with pytest.raises(InvalidInput, match="est passé"):
            services.appointments.book(phone_request(start=at(MONDAY, 9, 30)))
    finally:
        services.close()


# -- validation: InvalidInput, French, nothing written ------------------------------------------

INVALID = [
    ("montrouge-csu", onsite_request(agency_id="montrouge", kind=Kind.CSU), "Montrouge ne propose pas"),
    ("csu-by-phone", phone_request(kind=Kind.CSU), "ne propose pas de rendez-vous"),
    ("off-boundary", phone_request(start=at(MONDAY, 10, 10)), "Pas de créneau"),
    ("lunch", phone_request(start=at(MONDAY, 12)), "Pas de créneau"),
    ("outside-schedule", onsite_request(start=at(TUESDAY, 10)), "Pas de créneau"),
    ("nanterre-on-site-afternoon", onsite_request(start=at(MONDAY, 14)), "Pas de créneau"),
    ("weekend", phone_request(start=at(date(2026, 11, 28), 10)), "Pas de créneau"),
    ("christmas", phone_request(start=at(date(2026, 12, 25), 10)), "Pas de créneau"),
    ("past", phone_request(start=at(MONDAY, 9, 30)), "est passé ou trop proche"),
    ("last-week", phone_request(start=at(date(2026, 11, 16), 10)), "est passé ou trop proche"),
    ("within-notice", phone_request(start=at(MONDAY, 10)), "délai minimal : 30 minutes"),
    ("beyond-horizon", phone_request(start=at(date(2027, 2, 15), 10)), "au-delà de l'horizon"),
    ("far-beyond-horizon", phone_request(start=at(date(2027, 6, 1), 10)), "au-delà de l'horizon"),
    ("bad-phone", phone_request(phone="12345"), "Numéro de téléphone invalide"),
    ("foreign-phone", phone_request(phone="+44 20 7946 0958"), "Numéro de téléphone invalide"),
    ("bad-phone-on-site", onsite_request(phone="06 12"), "Numéro de téléphone invalide"),
    ("missing-phone", phone_request(phone=None), "téléphone est obligatoire"),
    ("blank-phone", phone_request(phone="   "), "téléphone est obligatoire"),
    ("file-number-6-digits", phone_request(file_number="123456"), "7 chiffres"),
    ("file-number-8-digits", phone_request(file_number="12345678"), "7 chiffres"),
    ("file-number-letters", phone_request(file_number="12345AB"), "7 chiffres"),
    ("empty-name", phone_request(name=""), "nom de la personne est obligatoire"),
    ("blank-name", phone_request(name="   "), "nom de la personne est obligatoire"),
    ("name-81-chars", phone_request(name="a" * 81), "80 caractères"),
    ("name-escape-sequence", phone_request(name="\x1b[31mDupont"), "caractères non autorisés"),
    ("name-bare-escape", phone_request(name="\x1b[31m"), "caractères non autorisés"),
    ("name-nul", phone_request(name="Du\x00pont"), "caractères non autorisés"),
    ("name-bidi-override", phone_request(name="Dupont\u202e"), "caractères non autorisés"),
    ("name-digits-only", phone_request(name="1234"), "caractères non autorisés"),
    ("objective-control", phone_request(objective="APL\x07"), "caractères de contrôle"),
    ("objective-too-long", phone_request(objective="x" * 301), "300 caractères"),
    ("unknown-service", phone_request(service_id="licorne"), "Service inconnu"),
    ("unknown-agency", phone_request(agency_id="lyon"), "Agence inconnue"),
]


@pytest.mark.parametrize(("request_", "fragment"), [(r, f) for _, r, f in INVALID], ids=[i for i, _, _ in INVALID])
def test_invalid_booking_raises_invalid_input_and_writes_nothing(
    services: Services, request_: BookingRequest, fragment: str
) -> None:
    book(services, phone_request(start=at(TUESDAY, 9), name="Déjà là"))  # a row that must stay as is
    before = snapshot(services)
    with pytest.raises(InvalidInput) as caught:
        book(services, request_)
    assert not isinstance(caught.value, SlotTaken)
    message = str(caught.value)
    one_french_line(message)
    assert fragment in message
    assert snapshot(services) == before
    assert len(before[0]) == 1 and before[1] == 1
    assert [a.name for a in services.appointments.day_sheet("nanterre", MONDAY)] == []
    assert [a.name for a in services.appointments.day_sheet("nanterre", TUESDAY)] == ["Déjà là"]


def test_invalid_requests_leave_the_database_empty(services: Services) -> None:
    for _, request_, _ in INVALID:
        with pytest.raises(InvalidInput):
            book(services, request_)
    assert snapshot(services) == ([], 0)


# -- cancelling frees the seat --------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.EXCUSED, Status.REVOKED])
def test_cancel_frees_the_seat(services: Services, status: Status) -> None:
    first, second, third = (book(services, onsite_request(name=f"P {n}")) for n in range(3))
    cancelled = services.appointments.set_status(second.id, status)
    assert cancelled.status is status
    assert cancelled.seat == 2
    newcomer = book(services, onsite_request(name="Nouveau"))
    assert newcomer.seat == 2
    with pytest.raises(SlotTaken):
        book(services, onsite_request(name="De trop"))
    sheet = services.appointments.day_sheet("nanterre", MONDAY)
    assert sorted((a.seat, a.id, a.status) for a in sheet) == [
        (1, first.id, Status.BOOKED), (2, second.id, status), (2, newcomer.id, Status.BOOKED),
        (3, third.id, Status.BOOKED),
    ]
    assert [a.seat for a in sheet] == [1, 2, 2, 3]


def test_cancel_twice_is_refused(services: Services) -> None:
    booked = book(services, phone_request())
    services.appointments.set_status(booked.id, Status.EXCUSED)
    before = snapshot(services)
    with pytest.raises(InvalidInput, match="annulé par la personne"):
        services.appointments.set_status(booked.id, Status.EXCUSED)
    assert snapshot(services) == before


# -- status transitions --------------------------------------------------------------------------


def test_seen_only_on_the_appointment_day(services: Services, clock: FixedClock) -> None:
    tomorrow = book(services, phone_request(start=at(TUESDAY, 10)))
    before = snapshot(services)
    with pytest.raises(InvalidInput, match="le jour même") as caught:
        services.appointments.set_status(tomorrow.id, Status.SEEN)
    one_french_line(str(caught.value))
    assert snapshot(services) == before
    clock.set(at(TUESDAY, 9, 50))  # early arrival the same day
    seen = services.appointments.set_status(tomorrow.id, Status.SEEN)
    assert seen.status is Status.SEEN
    assert seen.updated_at == at(TUESDAY, 9, 50)
    assert seen.created_at == FIXED_NOW


def test_seen_the_day_after_is_refused(services: Services, clock: FixedClock) -> None:
    booked = book(services, phone_request())
    clock.set(at(TUESDAY, 9))
    with pytest.raises(InvalidInput, match="le jour même"):
        services.appointments.set_status(booked.id, Status.SEEN)
    assert services.appointments.get(booked.id).status is Status.BOOKED


def test_noshow_only_after_the_start(services: Services, clock: FixedClock) -> None:
    booked = book(services, phone_request(start=at(MONDAY, 11)))
    before = snapshot(services)
    with pytest.raises(InvalidInput, match="pas encore commencé") as caught:
        services.appointments.set_status(booked.id, Status.NOSHOW)
    one_french_line(str(caught.value))
    assert snapshot(services) == before
    clock.set(at(MONDAY, 10, 59))
    with pytest.raises(InvalidInput):
        services.appointments.set_status(booked.id, Status.NOSHOW)
    clock.set(at(MONDAY, 11, 10))
    assert services.appointments.set_status(booked.id, Status.NOSHOW).status is Status.NOSHOW
    # A late arrival is still seen.
    assert services.appointments.set_status(booked.id, Status.SEEN).status is Status.SEEN


def test_a_noshow_still_holds_its_seat(services: Services, clock: FixedClock) -> None:
    booked = [book(services, onsite_request(start=at(MONDAY, 10, 30), name=f"P {n}")) for n in range(3)]
    clock.set(at(MONDAY, 10, 45))
    services.appointments.set_status(booked[0].id, Status.NOSHOW)
    services.appointments.set_status(booked[1].id, Status.SEEN)
    clock.set(FIXED_NOW)
    with pytest.raises(SlotTaken):
        book(services, onsite_request(start=at(MONDAY, 10, 30), name="Quatrième"))


INVALID_TRANSITIONS = [
    (Status.EXCUSED, Status.SEEN), (Status.EXCUSED, Status.NOSHOW), (Status.EXCUSED, Status.REVOKED),
    (Status.REVOKED, Status.SEEN), (Status.REVOKED, Status.EXCUSED), (Status.REVOKED, Status.NOSHOW),
    (Status.SEEN, Status.EXCUSED), (Status.SEEN, Status.REVOKED), (Status.SEEN, Status.NOSHOW),
    (Status.SEEN, Status.SEEN), (Status.NOSHOW, Status.EXCUSED), (Status.NOSHOW, Status.NOSHOW),
]


@pytest.mark.parametrize(("current", "target"), INVALID_TRANSITIONS,
                         ids=[f"{c.value}-to-{t.value}" for c, t in INVALID_TRANSITIONS])
def test_invalid_transitions_change_nothing(
    services: Services, clock: FixedClock, current: Status, target: Status
) -> None:
    booked = book(services, phone_request())
    clock.set(at(MONDAY, 11, 15))  # after the start, the same day: every target is allowed by time
    services.appointments.set_status(booked.id, current)
    before = snapshot(services)
    with pytest.raises(InvalidInput) as caught:
        services.appointments.set_status(booked.id, target)
    message = str(caught.value)
    one_french_line(message)
    assert f"« {current.label} »" in message and f"« {target.label} »" in message
    assert snapshot(services) == before


def test_unknown_appointment(services: Services) -> None:
    for action in (lambda: services.appointments.set_status(999, Status.EXCUSED),
                   lambda: services.appointments.get(999),
                   lambda: services.appointments.reschedule(999, at(MONDAY, 14))):
        with pytest.raises(InvalidInput, match="Rendez-vous n° 999 introuvable"):
            action()
    assert snapshot(services) == ([], 0)


# -- reschedule ----------------------------------------------------------------------------------


def test_reschedule_moves_in_one_transaction(services: Services) -> None:
    old = book(services, phone_request(start=at(MONDAY, 11), service_id=None, objective="APL"))
    other = book(services, phone_request(start=at(MONDAY, 11), name="Autre"))
    assert (old.seat, other.seat) == (1, 2)
    moved = services.appointments.reschedule(old.id, at(MONDAY, 14))
    assert moved.id != old.id
    assert moved.rescheduled_from == old.id
    assert (moved.start, moved.end, moved.seat, moved.status) == (at(MONDAY, 14), at(MONDAY, 14, 30), 1,
                                                                   Status.BOOKED)
    assert (moved.name, moved.phone, moved.file_number, moved.objective) == (
        old.name, old.phone, old.file_number, old.objective)
    assert services.appointments.get(old.id).status is Status.MOVED
    assert services.appointments.get(other.id).status is Status.BOOKED
    # The old seat is free again.
    assert book(services, phone_request(start=at(MONDAY, 11), name="Troisième")).seat == 1
    actions = [(j.action, j.record_id) for j in journal(services)]
    assert actions[2:4] == [("appointment.booked", moved.id), ("appointment.rescheduled", old.id)]


def test_reschedule_to_another_agency(services: Services) -> None:
    old = book(services, phone_request())
    moved = services.appointments.reschedule(old.id, at(TUESDAY, 9), "montrouge")
    assert (moved.agency_id, moved.start, moved.rescheduled_from) == ("montrouge", at(TUESDAY, 9), old.id)
    assert services.appointments.get(old.id).status is Status.MOVED


def test_reschedule_to_a_full_slot_changes_nothing(services: Services) -> None:
    old = book(services, onsite_request(start=at(MONDAY, 10, 30), name="À déplacer"))
    for n in range(3):
        book(services, onsite_request(start=at(MONDAY, 11), name=f"P {n}"))
    before = snapshot(services)
    with pytest.raises(SlotTaken) as caught:
        services.appointments.reschedule(old.id, at(MONDAY, 11))
    one_french_line(str(caught.value))
    assert snapshot(services) == before
    assert services.appointments.get(old.id).status is Status.BOOKED
    assert services.appointments.get(old.id).seat == 1


@pytest.mark.parametrize(("target", "fragment"), [
    (at(MONDAY, 11, 10), "Pas de créneau"),
    (at(MONDAY, 9), "est passé"),
    (at(MONDAY, 11), "identique"),
    (at(date(2027, 3, 1), 10), "horizon"),
])
def test_reschedule_to_an_invalid_slot_changes_nothing(services: Services, target: datetime, fragment: str) -> None:
    old = book(services, phone_request(start=at(MONDAY, 11)))
    before = snapshot(services)
    with pytest.raises(InvalidInput, match=fragment):
        services.appointments.reschedule(old.id, target)
    assert snapshot(services) == before


@pytest.mark.parametrize("status", [Status.EXCUSED, Status.REVOKED, Status.SEEN])
def test_only_a_booked_appointment_can_be_moved(services: Services, status: Status) -> None:
    old = book(services, phone_request(start=at(MONDAY, 11)))
    services.appointments.set_status(old.id, status)
    before = snapshot(services)
    with pytest.raises(InvalidInput, match="seul un rendez-vous réservé peut être déplacé"):
        services.appointments.reschedule(old.id, at(MONDAY, 14))
    assert snapshot(services) == before


def test_reschedule_a_kind_the_target_agency_does_not_offer(services: Services) -> None:
    old = book(services, onsite_request(agency_id="chatenay-malabry", kind=Kind.CSU, start=at(MONDAY, 14)))
    before = snapshot(services)
    with pytest.raises(InvalidInput, match="Montrouge ne propose pas"):
        services.appointments.reschedule(old.id, at(date(2026, 11, 25), 14), "montrouge")
    assert snapshot(services) == before


# -- confirmation --------------------------------------------------------------------------------


def test_confirmation_by_phone(services: Services) -> None:
    booked = book(services, phone_request(phone="+33 6 12 34 56 78"))
    text = services.appointments.confirmation(booked)
    assert "nous vous appellerons au 06 12 34 56 78" in text.casefold()
    assert f"Rendez-vous n° {booked.id}" in text
    assert "lundi 23 novembre 2026, 11:00" in text
    assert "30 minutes" in text
    assert NANTERRE_ADDRESS not in text
    assert "Votre numéro allocataire" in text


def test_confirmation_on_site_never_gives_the_postal_address(services: Services) -> None:
    """Nanterre's Cedex address is the head office's mail address, not a place to go (000, p.5; issue 15)."""
    booked = book(services, onsite_request())
    text = services.appointments.confirmation(booked)
    assert ("À l'accueil de la Caf : agence de Nanterre (adresse de l'accueil non connue de guichet : "
            "vérifiez-la sur caf.fr).") in text
    assert NANTERRE_ADDRESS not in text
    assert "appellerons" not in text


def test_confirmation_on_site_without_known_address(services: Services) -> None:
    booked = book(services, onsite_request(agency_id="montrouge", start=at(date(2026, 11, 25), 10)))
    text = services.appointments.confirmation(booked)
    assert "agence de Montrouge" in text
    assert "mercredi 25 novembre 2026, 10:00" in text


def test_confirmation_lists_what_the_service_asks_to_bring(services: Services) -> None:
    service = next(s for s in services.catalog.services if len(s.bring) >= 2)
    booked = book(services, phone_request(service_id=service.id))
    assert booked.service_id == service.id
    text = services.appointments.confirmation(booked)
    assert service.title in text
    for item in service.bring:
        assert item in text


# -- day sheet and CSV ---------------------------------------------------------------------------


def test_day_sheet_is_ordered_by_time_and_limited_to_the_agency_and_day(services: Services) -> None:
    late = book(services, phone_request(start=at(MONDAY, 15, 30), name="Tard"))
    mid = book(services, phone_request(start=at(MONDAY, 13), name="Midi"))
    early_2 = book(services, phone_request(start=at(MONDAY, 10, 30), name="Tôt deux"))
    book(services, phone_request(start=at(TUESDAY, 9), name="Demain"))
    book(services, phone_request(agency_id="montrouge", name="Ailleurs"))
    early_1 = book(services, onsite_request(start=at(MONDAY, 10, 30), name="Tôt un"))
    early_3 = book(services, phone_request(start=at(MONDAY, 10, 30), name="Tôt trois"))
    sheet = services.appointments.day_sheet("nanterre", MONDAY)
    assert [a.start for a in sheet] == sorted(a.start for a in sheet)
    assert {a.id for a in sheet[:3]} == {early_1.id, early_2.id, early_3.id}
    assert [a.id for a in sheet[3:]] == [mid.id, late.id]
    assert [a.id for a in sheet if a.channel is Channel.TELEPHONE][:2] == [early_2.id, early_3.id]  # by seat
    assert services.appointments.day_sheet("nanterre") == sheet  # default: today
    assert [a.name for a in services.appointments.day_sheet("montrouge", MONDAY)] == ["Ailleurs"]
    assert services.appointments.day_sheet("gennevilliers", MONDAY) == []


def test_day_sheet_csv(services: Services) -> None:
    booked = book(services, phone_request(start=at(MONDAY, 10, 30), objective="Baisse; de l'APL"))
    book(services, onsite_request(name="=HYPERLINK(\"http://x\";\"clic\")", objective="+SOMME(A1)"))
    book(services, onsite_request(name="@Dupont", objective="-1"))
    text = day_sheet_csv(services.appointments.day_sheet("nanterre", MONDAY))
    lines = text.splitlines()
    assert lines[0] == ("N°;Heure;Fin;Type;Canal;Place;Statut;Nom;N° allocataire;Téléphone;Motif;Objet;"
                        "Remplace le n°;Réservé par;Identifiant agent")
    assert lines[0].split(";") == list(CSV_COLUMNS)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 4
    first = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert first == {
        "N°": str(booked.id), "Heure": "10:30", "Fin": "11:00", "Type": "gestionnaire-conseil (GCA)",
        "Canal": "par téléphone", "Place": "1", "Statut": "réservé", "Nom": "Camille Dupont",
        "N° allocataire": "1234567", "Téléphone": "0612345678", "Motif": "", "Objet": "Baisse; de l'APL",
        "Remplace le n°": "", "Réservé par": "Camille Martin", "Identifiant agent": booked.booked_by,
    }
    formula, at_sign = (dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[2:])
    assert formula["Nom"] == "'=HYPERLINK(\"http://x\";\"clic\")"
    assert formula["Objet"] == "'+SOMME(A1)"
    assert at_sign["Nom"] == "'@Dupont"
    assert at_sign["Objet"] == "'-1"
    for row in rows[1:]:
        assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_day_sheet_csv_empty_has_the_header_only() -> None:
    assert day_sheet_csv([]) == ";".join(CSV_COLUMNS) + "\n"


# -- the journal ---------------------------------------------------------------------------------


def test_journal_one_row_per_booking_and_status_change_without_personal_data(
    services: Services, clock: FixedClock
) -> None:
    name, phone, file_number = "Zéphyrine Quetzalcoatl", "0698765432", "7654321"
    first = book(services, phone_request(name=name, phone=phone, file_number=file_number, objective="Secret"))
    second = book(services, phone_request(start=at(MONDAY, 14), name=name, phone=phone, file_number=file_number))
    services.appointments.set_status(second.id, Status.REVOKED)
    moved = services.appointments.reschedule(first.id, at(MONDAY, 15))
    clock.set(at(MONDAY, 15, 5))
    services.appointments.set_status(moved.id, Status.NOSHOW)
    services.appointments.set_status(moved.id, Status.SEEN)
    with pytest.raises(InvalidInput):  # failures leave no trace
        services.appointments.set_status(moved.id, Status.EXCUSED)
    with pytest.raises(InvalidInput):
        book(services, phone_request(name=name, phone="123"))
    rows = journal(services)
    assert [(j.action, j.record_type, j.record_id) for j in rows] == [
        ("appointment.booked", "appointment", first.id),
        ("appointment.booked", "appointment", second.id),
        ("appointment.revoked", "appointment", second.id),
        ("appointment.booked", "appointment", moved.id),
        ("appointment.rescheduled", "appointment", first.id),
        ("appointment.noshow", "appointment", moved.id),
        ("appointment.seen", "appointment", moved.id),
    ]
    assert rows[0].at == datetime(2026, 11, 23, 9, 0)  # naive UTC
    assert rows[-1].at == datetime(2026, 11, 23, 14, 5)
    assert {j.actor for j in rows} == {services.agent}
    personal = (name, "Zéphyrine", "Quetzalcoatl", phone, "06 98 76 54 32", file_number, "Secret")
    for row in rows:
        for column in JournalRow.model_fields:
            value = str(getattr(row, column))
            assert not any(p.casefold() in value.casefold() for p in personal), (column, value)


# -- property: seat invariants under random operations --------------------------------------------

SLOT_STARTS = (at(MONDAY, 10, 30), at(MONDAY, 11), at(MONDAY, 11, 30))  # Nanterre GCA by phone
DESKS = 5
ACTIVE = (Status.BOOKED, Status.SEEN, Status.NOSHOW)


class BookingMachine(RuleBasedStateMachine):
    """Random book / cancel / reschedule / arrived / noshow on three slots, checked against a model."""

    def __init__(self) -> None:
        super().__init__()
        self._tmp = tempfile.TemporaryDirectory()
        self.services = make_services(make_settings(Path(self._tmp.name)), clock=FixedClock(FIXED_NOW))
        # id → (start, seat, status, rescheduled_from)
        self.model: dict[int, tuple[datetime, int, Status, int | None]] = {}
        self.counter = 0

    def teardown(self) -> None:
        self.services.close()
        self._tmp.cleanup()

    # -- model helpers
    def _held(self, start: datetime) -> set[int]:
        return {seat for s, seat, status, _ in self.model.values() if s == start and status in ACTIVE}

    def _pick(self, index: int) -> int:
        ids = sorted(self.model)
        return ids[index % len(ids)]

    def _expect_failure(self, action: Any, error: type[Exception] = InvalidInput) -> None:
        before = snapshot(self.services)
        with pytest.raises(error):
            action()
        assert snapshot(self.services) == before

    def _next_seat(self, start: datetime) -> int | None:
        free = [seat for seat in range(1, DESKS + 1) if seat not in self._held(start)]
        return free[0] if free else None

    # -- rules
    @rule(start=st.sampled_from(SLOT_STARTS))
    def book_slot(self, start: datetime) -> None:
        self.counter += 1
        request = phone_request(start=start, name=f"Personne {self.counter}")
        seat = self._next_seat(start)
        if seat is None:
            self._expect_failure(lambda: self.services.appointments.book(request), SlotTaken)
            return
        booked = self.services.appointments.book(request)
        assert booked.seat == seat
        assert booked.id not in self.model
        self.model[booked.id] = (start, seat, Status.BOOKED, None)

    @rule(start=st.sampled_from(SLOT_STARTS))
    def book_until_full(self, start: datetime) -> None:
        for _ in range(DESKS + 1 - len(self._held(start))):
            self.book_slot(start)

    @precondition(lambda self: self.model)
    @rule(index=st.integers(min_value=0, max_value=100), new_status=st.sampled_from([Status.EXCUSED, Status.REVOKED]))
    def cancel(self, index: int, new_status: Status) -> None:
        appointment_id = self._pick(index)
        start, seat, status, origin = self.model[appointment_id]
        if status is not Status.BOOKED:
            self._expect_failure(lambda: self.services.appointments.set_status(appointment_id, new_status))
            return
        assert self.services.appointments.set_status(appointment_id, new_status).status is new_status
        self.model[appointment_id] = (start, seat, new_status, origin)

    @precondition(lambda self: self.model)
    @rule(index=st.integers(min_value=0, max_value=100))
    def arrived(self, index: int) -> None:
        appointment_id = self._pick(index)
        start, seat, status, origin = self.model[appointment_id]
        if status not in (Status.BOOKED, Status.NOSHOW):
            self._expect_failure(lambda: self.services.appointments.set_status(appointment_id, Status.SEEN))
            return
        assert self.services.appointments.set_status(appointment_id, Status.SEEN).status is Status.SEEN
        self.model[appointment_id] = (start, seat, Status.SEEN, origin)

    @precondition(lambda self: self.model)
    @rule(index=st.integers(min_value=0, max_value=100))
    def noshow_before_the_start(self, index: int) -> None:
        appointment_id = self._pick(index)  # now is 10:00, every slot starts later
        self._expect_failure(lambda: self.services.appointments.set_status(appointment_id, Status.NOSHOW))

    @precondition(lambda self: self.model)
    @rule(index=st.integers(min_value=0, max_value=100), start=st.sampled_from(SLOT_STARTS))
    def reschedule(self, index: int, start: datetime) -> None:
        appointment_id = self._pick(index)
        old_start, old_seat, status, origin = self.model[appointment_id]
        seat = self._next_seat(start)
        if status is not Status.BOOKED or start == old_start or seat is None:
            error = SlotTaken if status is Status.BOOKED and start != old_start else InvalidInput
            self._expect_failure(lambda: self.services.appointments.reschedule(appointment_id, start), error)
            return
        moved = self.services.appointments.reschedule(appointment_id, start)
        assert (moved.start, moved.seat, moved.rescheduled_from) == (start, seat, appointment_id)
        self.model[appointment_id] = (old_start, old_seat, Status.MOVED, origin)
        self.model[moved.id] = (start, seat, Status.BOOKED, appointment_id)

    @precondition(lambda self: self.model)
    @rule(index=st.integers(min_value=0, max_value=100))
    def undo(self, index: int) -> None:
        appointment_id = self._pick(index)  # every slot is today: a mistaken arrival is undone
        start, seat, status, origin = self.model[appointment_id]
        if status not in (Status.SEEN, Status.NOSHOW):
            self._expect_failure(lambda: self.services.appointments.set_status(appointment_id, Status.BOOKED))
            return
        assert self.services.appointments.set_status(appointment_id, Status.BOOKED).status is Status.BOOKED
        self.model[appointment_id] = (start, seat, Status.BOOKED, origin)

    @rule()
    def unknown_id(self) -> None:
        self._expect_failure(lambda: self.services.appointments.set_status(10**6, Status.EXCUSED))

    # -- invariants, checked against the database itself
    @invariant()
    def seats_are_never_oversold(self) -> None:
        with read_session(self.services.engine) as session:
            rows = list(session.execute(select(AppointmentRow)).scalars())
        active = [r for r in rows if Status(r.status) in ACTIVE]
        per_slot: dict[datetime, int] = {}
        for row in active:
            per_slot[row.start] = per_slot.get(row.start, 0) + 1
        assert all(n <= DESKS for n in per_slot.values()), per_slot
        keys = [(r.agency, r.kind, r.channel, r.start, r.seat) for r in active]
        assert len(keys) == len(set(keys))
        assert all(1 <= r.seat <= DESKS for r in rows)
        # The database agrees with the model, row for row.
        found = {r.id: (from_db(r.start), r.seat, Status(r.status), r.rescheduled_from) for r in rows}
        assert found == self.model


BookingMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=20, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestBookingMachine = pytest.mark.slow(BookingMachine.TestCase)  # 25 runs of 20 steps: ~10 s


# -- the database itself refuses a second holder of a seat ------------------------------------

SEAT_START = datetime(2026, 11, 23, 10, 0)  # naive UTC, as stored: Monday 11:00 in Paris
HOLDING = [s.value for s in Status if s.holds_seat]
RELEASED = [s.value for s in Status if not s.holds_seat]


def seat_row(status: str, name: str, seat: int = 1) -> AppointmentRow:
    """A raw appointment row on Nanterre's GCA phone slot of Monday 11:00 (written as the store does)."""
    return AppointmentRow(
        agency="nanterre", kind=Kind.GCA.value, channel=Channel.TELEPHONE.value, start=SEAT_START,
        end=SEAT_START + timedelta(minutes=30), seat=seat, name=name, status=status, booked_by="test",
        created_at=SEAT_START - timedelta(days=1), updated_at=SEAT_START - timedelta(days=1),
    )


def insert(services: Services, *rows: AppointmentRow) -> None:
    """Insert ``rows`` directly through SQLAlchemy, past every check of the services, in one transaction."""
    with SqlSession(services.engine) as session, session.begin():
        session.add_all(rows)


def seat_rows(services: Services) -> list[tuple[str, int, str]]:
    with read_session(services.engine) as session:
        found = session.execute(select(AppointmentRow).order_by(col(AppointmentRow.id))).scalars()
        return [(r.name, r.seat, r.status) for r in found]


@pytest.mark.parametrize("second", HOLDING)
@pytest.mark.parametrize("first", HOLDING)
def test_database_refuses_a_second_active_holder_of_a_seat(services: Services, first: str, second: str) -> None:
    insert(services, seat_row(first, "Premier"))
    with pytest.raises(IntegrityError):
        insert(services, seat_row(second, "Second"))
    assert seat_rows(services) == [("Premier", 1, first)]
    with pytest.raises(IntegrityError):  # not in the same transaction either
        insert(services, seat_row(first, "A"), seat_row(second, "B"))
    assert seat_rows(services) == [("Premier", 1, first)]


@pytest.mark.parametrize("released", RELEASED)
def test_database_accepts_released_rows_on_a_held_seat(services: Services, released: str) -> None:
    insert(services, seat_row(Status.BOOKED.value, "Active"))
    insert(services, seat_row(released, "Cancelled"), seat_row(released, "Cancelled again"))
    insert(services, seat_row(Status.BOOKED.value, "Next seat", seat=2))  # the index is per seat
    assert seat_rows(services) == [
        ("Active", 1, "booked"), ("Cancelled", 1, released), ("Cancelled again", 1, released),
        ("Next seat", 2, "booked"),
    ]
