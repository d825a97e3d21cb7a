"""Issue 14, items 4 and 6, the pure rules: a mistaken arrival or absence is undone the same day
(seen → booked, noshow → booked); « déplacé » (moved) is reached only by rescheduling and says
where the appointment went; a day typed in French (the day sheet's `d`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from guichet.domain.appointment import can_move, check_move, short_status, status_text
from guichet.domain.clock import PARIS
from guichet.domain.days import parse_day
from guichet.domain.models import Appointment, Channel, Kind, Status
from guichet.errors import InvalidInput

START = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)  # a Tuesday
TODAY = date(2026, 11, 23)  # a Monday


def appointment(status: Status = Status.BOOKED, **changes: object) -> Appointment:
    values: dict[str, object] = dict(
        id=7, agency_id="nanterre", kind=Kind.GCA, channel=Channel.TELEPHONE, start=START,
        end=START + timedelta(minutes=30), seat=1, name="Awa Diallo", status=status, booked_by="agent",
        created_at=START - timedelta(days=2), updated_at=START - timedelta(days=2))
    values.update(changes)
    return Appointment(**values)  # type: ignore[arg-type]


# -- undo ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("current", "allowed"), [
    (Status.SEEN, True), (Status.NOSHOW, True),
    (Status.BOOKED, False), (Status.EXCUSED, False), (Status.REVOKED, False), (Status.MOVED, False),
])
def test_only_an_arrival_or_an_absence_goes_back_to_booked(current: Status, allowed: bool) -> None:
    assert can_move(current, Status.BOOKED) is allowed


def test_the_undo_is_allowed_on_the_appointments_day_only() -> None:
    check_move(appointment(Status.SEEN), Status.BOOKED, START + timedelta(minutes=5))
    check_move(appointment(Status.NOSHOW), Status.BOOKED, START.replace(hour=23, minute=59))
    check_move(appointment(Status.SEEN), Status.BOOKED, START.replace(hour=0))
    with pytest.raises(InvalidInput) as caught:
        check_move(appointment(Status.SEEN), Status.BOOKED, START + timedelta(days=1))
    assert str(caught.value) == ("Le rendez-vous n° 7 était prévu le mardi 24 novembre, 10:00 : "
                                 "« reçu » ne se corrige que le jour même.")
    with pytest.raises(InvalidInput, match="ne se corrige que le jour même"):
        check_move(appointment(Status.NOSHOW), Status.BOOKED, START - timedelta(days=1))


def test_a_cancellation_is_never_undone() -> None:
    for status in (Status.EXCUSED, Status.REVOKED):
        with pytest.raises(InvalidInput, match="impossible de le passer à « réservé »"):
            check_move(appointment(status), Status.BOOKED, START)


# -- moved -----------------------------------------------------------------------------------------

def test_moved_holds_no_seat_and_is_reached_only_by_rescheduling() -> None:
    assert not Status.MOVED.holds_seat
    assert Status.MOVED.label == "déplacé"
    for current in Status:
        assert not can_move(current, Status.MOVED)
    with pytest.raises(InvalidInput, match="impossible de le passer à « déplacé »"):
        check_move(appointment(), Status.MOVED, START)
    for target in Status:  # nothing leaves « déplacé »: the new appointment lives on instead
        assert not can_move(Status.MOVED, target)


def test_a_moved_appointment_says_where_it_went() -> None:
    moved = appointment(Status.MOVED, moved_to=12, moved_to_start=datetime(2026, 11, 26, 14, 30, tzinfo=PARIS),
                        moved_to_agency="nanterre")
    assert status_text(moved) == "déplacé au jeudi 26 novembre, 14:30 (n° 12)"
    assert short_status(moved) == "déplacé 26/11 14:30"
    elsewhere = appointment(Status.MOVED, moved_to=12, moved_to_start=datetime(2026, 11, 26, 9, tzinfo=PARIS),
                            moved_to_agency="montrouge")
    assert status_text(elsewhere, {"montrouge": "Montrouge"}) == (
        "déplacé au jeudi 26 novembre, 09:00 à Montrouge (n° 12)")
    assert status_text(appointment(Status.MOVED)) == "déplacé"  # successor unknown (purged): the label
    assert status_text(appointment(Status.EXCUSED)) == "annulé par la personne"
    assert short_status(appointment(Status.EXCUSED)) == "annulé (personne)"
    assert short_status(appointment(Status.REVOKED)) == "annulé (Caf)"
    assert max(len(short_status(appointment(s))) for s in Status) <= 19


# -- a day typed in French -------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "expected"), [
    ("", TODAY), ("aujourd'hui", TODAY), ("Aujourd’hui", TODAY), ("demain", date(2026, 11, 24)),
    ("  DEMAIN ", date(2026, 11, 24)), ("après-demain", date(2026, 11, 25)), ("hier", date(2026, 11, 22)),
    ("mardi", date(2026, 11, 24)), ("lundi", date(2026, 11, 30)),  # a weekday: the next one, never today
    ("dimanche", date(2026, 11, 29)), ("24/11", date(2026, 11, 24)), ("1/12", date(2026, 12, 1)),
    ("24.11", date(2026, 11, 24)), ("05/01", date(2027, 1, 5)),  # the nearest 5 January: next year's
    ("24/11/2026", date(2026, 11, 24)), ("03/02/2025", date(2025, 2, 3)), ("2026-12-01", date(2026, 12, 1)),
])
def test_days_typed_in_french(typed: str, expected: date) -> None:
    assert parse_day(typed, TODAY) == expected


@pytest.mark.parametrize(("typed", "message"), [
    ("32/11", "Date impossible : « 32/11 » n'existe pas."),
    ("31/11/2026", "Date impossible : « 31/11/2026 » n'existe pas."),
    ("12/13", "Date impossible : « 12/13 » n'existe pas."),
    ("lundi prochain", "Date non reconnue : « lundi prochain ». Tapez jj/mm, jj/mm/aaaa, « demain », « hier » "
                       "ou un jour de la semaine (« lundi »)."),
    ("24/11/26", "Date non reconnue : « 24/11/26 »."),
    ("2411", "Date non reconnue"),
])
def test_a_bad_day_is_refused_in_french(typed: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_day(typed, TODAY)
    assert str(caught.value).startswith(message)
