"""The appointment lifecycle and the booking defaults (domain/appointment.py): pure rules."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from guichet.catalog import load_catalog
from guichet.domain.appointment import (
    ALLOWED_FROM,
    booking_defaults,
    can_move,
    check_move,
    check_reschedulable,
    offers,
)
from guichet.domain.clock import PARIS
from guichet.domain.models import Agency, Appointment, Channel, Kind, Status
from guichet.errors import InvalidInput

START = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)  # a Tuesday
AGENCIES: tuple[Agency, ...] = load_catalog().agencies
# The shipped agencies with Gennevilliers' CSU by phone taken out: offered by no agency.
NO_CSU_BY_PHONE = tuple(dataclasses.replace(a, schedules=tuple(
    s for s in a.schedules if (s.kind, s.channel) != (Kind.CSU, Channel.TELEPHONE))) for a in AGENCIES)


def appointment(status: Status = Status.BOOKED, start: datetime = START) -> Appointment:
    return Appointment(id=7, agency_id="nanterre", kind=Kind.GCA, channel=Channel.TELEPHONE, start=start,
                       end=start + timedelta(minutes=30), seat=1, name="Awa Diallo", status=status,
                       booked_by="agent", created_at=START - timedelta(days=2), updated_at=START - timedelta(days=2))


@pytest.mark.parametrize(("current", "target", "allowed"), [
    (Status.BOOKED, Status.SEEN, True),
    (Status.BOOKED, Status.NOSHOW, True),
    (Status.BOOKED, Status.EXCUSED, True),
    (Status.BOOKED, Status.REVOKED, True),
    (Status.NOSHOW, Status.SEEN, True),  # a late arrival is still seen
    (Status.SEEN, Status.NOSHOW, False),
    (Status.SEEN, Status.EXCUSED, False),
    (Status.EXCUSED, Status.BOOKED, False),  # nothing goes back to booked: book again
    (Status.EXCUSED, Status.SEEN, False),
    (Status.REVOKED, Status.SEEN, False),
    (Status.NOSHOW, Status.EXCUSED, False),
    (Status.BOOKED, Status.BOOKED, False),
])
def test_allowed_moves(current: Status, target: Status, allowed: bool) -> None:
    assert can_move(current, target) is allowed


def test_every_target_is_reachable_only_from_an_active_status() -> None:
    assert set(ALLOWED_FROM) == {Status.SEEN, Status.NOSHOW, Status.EXCUSED, Status.REVOKED, Status.BOOKED}
    assert Status.MOVED not in ALLOWED_FROM  # reached only by rescheduling
    assert all(source.holds_seat for sources in ALLOWED_FROM.values() for source in sources)


def test_a_refused_move_names_both_statuses() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_move(appointment(Status.EXCUSED), Status.SEEN, START)
    assert str(caught.value) == ("Le rendez-vous n° 7 est « annulé par la personne » : "
                                 "impossible de le passer à « reçu ».")


def test_arrival_is_noted_on_the_day_only() -> None:
    check_move(appointment(), Status.SEEN, START - timedelta(hours=2))  # earlier that morning: fine
    check_move(appointment(), Status.SEEN, START.replace(hour=23, minute=59))
    with pytest.raises(InvalidInput, match="l'arrivée se note le jour même"):
        check_move(appointment(), Status.SEEN, START - timedelta(days=1))
    with pytest.raises(InvalidInput, match="l'arrivée se note le jour même"):
        check_move(appointment(), Status.SEEN, START.replace(hour=0) + timedelta(days=1))


def test_a_noshow_needs_the_appointment_to_have_started() -> None:
    with pytest.raises(InvalidInput, match="n'a pas encore commencé"):
        check_move(appointment(), Status.NOSHOW, START - timedelta(minutes=1))
    check_move(appointment(), Status.NOSHOW, START)


def test_cancelling_has_no_time_rule() -> None:
    check_move(appointment(), Status.EXCUSED, START - timedelta(days=10))
    check_move(appointment(), Status.REVOKED, START + timedelta(days=10))


def test_only_a_booked_appointment_can_be_rescheduled() -> None:
    check_reschedulable(appointment())
    for status in (Status.SEEN, Status.NOSHOW, Status.EXCUSED, Status.REVOKED):
        with pytest.raises(InvalidInput, match="seul un rendez-vous réservé peut être déplacé"):
            check_reschedulable(appointment(status))


def test_what_the_shipped_agencies_offer() -> None:
    assert offers(AGENCIES, Kind.GCA, Channel.TELEPHONE)
    assert offers(AGENCIES, Kind.GCA, Channel.AGENCE)
    assert offers(AGENCIES, Kind.CSU, Channel.AGENCE)
    # 000, p.5: Gennevilliers « Lundi, mercredi, vendredi » = CSU by phone, its only agency (DOMAIN.md).
    assert offers(AGENCIES, Kind.CSU, Channel.TELEPHONE)
    assert not offers(NO_CSU_BY_PHONE, Kind.CSU, Channel.TELEPHONE)
    assert not offers((), Kind.GCA, Channel.TELEPHONE)


def test_booking_defaults() -> None:
    assert booking_defaults(AGENCIES) == (Kind.GCA, Channel.TELEPHONE)  # most appointments are by phone
    assert booking_defaults(AGENCIES, Kind.GCA, Channel.AGENCE) == (Kind.GCA, Channel.AGENCE)
    # CSU by phone is offered (Gennevilliers): the phone first, as for every kind.
    assert booking_defaults(AGENCIES, Kind.CSU) == (Kind.CSU, Channel.TELEPHONE)
    assert booking_defaults(AGENCIES, Kind.CSU, Channel.AGENCE) == (Kind.CSU, Channel.AGENCE)
    # Asked for CSU by phone where no agency offers it: the channel that is offered.
    assert booking_defaults(NO_CSU_BY_PHONE, Kind.CSU) == (Kind.CSU, Channel.AGENCE)
    assert booking_defaults(NO_CSU_BY_PHONE, Kind.CSU, Channel.TELEPHONE) == (Kind.CSU, Channel.AGENCE)
    # Nothing offered at all: what was asked, and the slot search will say it is offered nowhere.
    assert booking_defaults((), Kind.CSU, Channel.AGENCE) == (Kind.CSU, Channel.AGENCE)
