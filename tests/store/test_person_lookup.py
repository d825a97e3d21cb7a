"""Finding a person's appointments (issue 14, items 2 and 21), on SQLite and PostgreSQL.

- ``active_for_person``: the booked appointments still to come held for the same file number, or
  for the same phone under the same name (accents, case, word order and phone format ignored);
- ``find_person``: by file number, phone or name (typos tolerated), across agencies, from 30 days
  ago onward, upcoming first;
- the phone confirmation names the agency that will call and the number it calls.

Past appointments are booked by a second ``Services`` on the same database whose clock is earlier.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time

import pytest

from guichet.domain.clock import PARIS, FixedClock
from guichet.domain.models import Appointment, Channel, Kind, Status
from guichet.domain.person import match_names, name_key
from guichet.errors import InvalidInput
from guichet.services import Services, make_services
from guichet.services.appointments import BookingRequest
from guichet.settings import Settings


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), PARIS)


TUESDAY = date(2026, 11, 24)
NEXT_WEEK = date(2026, 12, 1)


def book(services: Services, start: datetime, name: str, *, agency: str = "nanterre", phone: str | None = None,
         file_number: str | None = None, channel: Channel = Channel.TELEPHONE) -> Appointment:
    return services.appointments.book(BookingRequest(agency, Kind.GCA, channel, start, name,
                                                     file_number=file_number, phone=phone or "0611223344"))


@pytest.fixture
def earlier(services: Services, settings: Settings, backend: str, request: pytest.FixtureRequest,
            ) -> Iterator[Services]:
    """The same database, seen on 1 October 2026: to book appointments that are past on 23 November."""
    if backend == "postgresql":
        settings = replace(settings, database_url=request.getfixturevalue("pg_database_url"))
    then = datetime(2026, 10, 1, 9, 0, tzinfo=PARIS)
    built = make_services(replace(settings, now=then), clock=FixedClock(then))
    yield built
    built.close()


# -- the warning before a second booking --------------------------------------------------------------
def test_active_for_person_matches_the_file_number_or_the_name_and_phone(services: Services) -> None:
    awa = book(services, at(TUESDAY, 10), "Awa Diallo", phone="0611223344", file_number="7654321")
    lookup = services.appointments.active_for_person
    assert [a.id for a in lookup("7654321", "Quelqu'un d'autre", None)] == [awa.id]
    assert [a.id for a in lookup(" 765 4321 ", "", "")] == [awa.id]
    assert [a.id for a in lookup(None, "DIALLO  awa", "+33 6 11 22 33 44")] == [awa.id]
    assert [a.id for a in lookup(None, "Awá Diallo", "06.11.22.33.44")] == [awa.id]
    assert lookup(None, "Moussa Diallo", "0611223344") == []  # same phone, another person
    assert lookup(None, "Awa Diallo", "0699887766") == []
    assert lookup(None, "Awa Diallo", None) == []  # a name alone is not enough
    assert lookup("1234", "Awa Diallo", "06 11") == []  # what is not valid is ignored


def test_active_for_person_ignores_cancelled_and_past_appointments(services: Services, earlier: Services) -> None:
    past = book(earlier, at(date(2026, 11, 2), 10), "Awa Diallo", file_number="7654321")
    cancelled = book(services, at(TUESDAY, 10), "Awa Diallo", file_number="7654321")
    services.appointments.set_status(cancelled.id, Status.EXCUSED)
    assert services.appointments.active_for_person("7654321", "Awa Diallo", "0611223344") == []
    assert services.appointments.get(past.id).status is Status.BOOKED  # booked, but past
    upcoming = book(services, at(NEXT_WEEK, 14), "Awa Diallo", agency="montrouge", file_number="7654321")
    assert [a.id for a in services.appointments.active_for_person("7654321", "", None)] == [upcoming.id]


# -- the finder ---------------------------------------------------------------------------------------
def test_find_person_by_file_number_phone_and_name_across_agencies(services: Services, earlier: Services) -> None:
    old = book(earlier, at(date(2026, 10, 13), 10), "Awa Diallo", file_number="7654321")  # 41 days ago
    recent = book(earlier, at(date(2026, 11, 2), 10), "Awa Diallo", file_number="7654321")  # 21 days ago
    soon = book(services, at(TUESDAY, 10), "Awa Diallo", agency="gennevilliers", file_number="7654321")
    later = book(services, at(NEXT_WEEK, 14), "Awa Diallo", agency="montrouge", file_number="7654321")
    book(services, at(TUESDAY, 11), "Jean Dupont", phone="0612345678")
    expected = [soon.id, later.id, recent.id]  # upcoming (soonest first), then the last 30 days
    find = services.appointments.find_person
    assert [a.id for a in find("7654321").appointments] == expected
    assert old.id not in [a.id for a in find("7654321").appointments]
    assert [a.id for a in find("06 11 22 33 44").appointments] == expected
    assert [a.id for a in find("+33611223344").appointments] == expected
    for typed in ("awa diallo", "DIALLO", "Dialo", "diallo awa", "Awá", "dia"):
        assert [a.id for a in find(typed).appointments] == expected, typed
    assert find("Dupond").appointments[0].name == "Jean Dupont"
    assert find("Martin").appointments == []
    assert find("awa diallo").complete


def test_find_person_refuses_a_partial_number(services: Services) -> None:
    with pytest.raises(InvalidInput, match="7 chiffres du numéro allocataire"):
        services.appointments.find_person("06 11 22")


def test_a_moved_appointment_is_found_with_its_successor(services: Services) -> None:
    first = book(services, at(TUESDAY, 10), "Awa Diallo", file_number="7654321")
    moved = services.appointments.reschedule(first.id, at(NEXT_WEEK, 10))
    found = {a.id: a for a in services.appointments.find_person("7654321").appointments}
    assert found[first.id].status is Status.MOVED
    assert found[first.id].moved_to == moved.id
    assert found[moved.id].status is Status.BOOKED


def test_match_names_folds_and_tolerates_typos() -> None:
    names = [(1, "Awa Diallo"), (2, "Moussa Diallo"), (3, "Zoé Lefèvre"), (4, "Jean Dupont")]
    assert [i for i, _ in match_names("diallo", names, 10)] == [1, 2]
    assert [i for i, _ in match_names("awa dialo", names, 10)] == [1]
    assert [i for i, _ in match_names("zoe lefevre", names, 10)] == [3]
    assert [i for i, _ in match_names("Dupond", names, 10)] == [4]
    assert match_names("xyz", names, 10) == [] and match_names("", names, 10) == []
    scores = dict(match_names("awa diallo", names, 10))
    assert scores[1] == 1.0
    assert name_key("DIALLO  Awá") == name_key("awa diallo")


# -- 16. the phone confirmation names who calls -------------------------------------------------------
def test_phone_confirmation_names_the_agency_that_calls_and_the_number(services: Services) -> None:
    booked = book(services, at(TUESDAY, 10), "Awa Diallo", agency="gennevilliers", phone="06 11 22 33 44")
    text = services.appointments.confirmation(booked)
    assert "Nous vous appellerons au 06 11 22 33 44." in text
    assert "L'appel viendra de la Caf, agence de Gennevilliers." in text
    onsite = book(services, at(TUESDAY, 10), "Awa Diallo", agency="gennevilliers", channel=Channel.AGENCE)
    assert "L'appel viendra" not in services.appointments.confirmation(onsite)
