"""Issue 14, items 4, 6 and 18, through the services on SQLite and PostgreSQL: the same-day undo
of an arrival or an absence (journalled, conditional, clearing the check-in time), « déplacé »
after a reschedule with its successor read in one query, and the agent's name beside the login."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select

from guichet.domain.clock import PARIS, FixedClock
from guichet.domain.models import Appointment, Channel, Kind, Status
from guichet.errors import InvalidInput, LostRace
from guichet.services import Services
from guichet.services.appointments import BookingRequest
from guichet.services.exports import appointment_json
from guichet.store.engine import read_session
from guichet.store.tables import JournalRow

MONDAY = date(2026, 11, 23)  # FIXED_NOW is Monday 10:00


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, datetime.min.time().replace(hour=hour, minute=minute), PARIS)


def book(services: Services, hour: int = 11, minute: int = 0, day: date = MONDAY, agency: str = "nanterre",
         name: str = "Awa Diallo") -> Appointment:
    return services.appointments.book(BookingRequest(
        agency_id=agency, kind=Kind.GCA, channel=Channel.TELEPHONE, start=at(day, hour, minute), name=name,
        file_number="1234567", phone="0612345678"))


def actions(services: Services) -> list[tuple[str, int | None]]:
    with read_session(services.engine) as session:
        rows = session.execute(select(JournalRow).order_by(JournalRow.id)).scalars()  # type: ignore[arg-type]
        return [(row.action, row.record_id) for row in rows]


def test_a_mistaken_arrival_is_undone_and_the_journal_keeps_both_steps(services: Services,
                                                                        clock: FixedClock) -> None:
    booked = book(services)
    clock.set(at(MONDAY, 10, 50))
    seen = services.appointments.set_status(booked.id, Status.SEEN)
    assert seen.checked_in_at == at(MONDAY, 10, 50)
    back = services.appointments.set_status(booked.id, Status.BOOKED, expected=Status.SEEN)
    assert (back.status, back.checked_in_at) == (Status.BOOKED, None)  # the check-in time goes with it
    assert services.appointments.get(booked.id).checked_in_at is None
    clock.set(at(MONDAY, 11, 10))
    services.appointments.set_status(booked.id, Status.NOSHOW)
    services.appointments.set_status(booked.id, Status.BOOKED)
    assert actions(services) == [
        ("appointment.booked", booked.id), ("appointment.seen", booked.id), ("appointment.reopened", booked.id),
        ("appointment.noshow", booked.id), ("appointment.reopened", booked.id),
    ]
    assert services.appointments.get(booked.id).status is Status.BOOKED


def test_the_undo_is_refused_the_next_day_and_nothing_changes(services: Services, clock: FixedClock) -> None:
    booked = book(services)
    services.appointments.set_status(booked.id, Status.SEEN)
    clock.set(at(MONDAY + timedelta(days=1), 9))
    with pytest.raises(InvalidInput, match="ne se corrige que le jour même"):
        services.appointments.set_status(booked.id, Status.BOOKED)
    assert services.appointments.get(booked.id).status is Status.SEEN
    assert actions(services)[-1] == ("appointment.seen", booked.id)


def test_a_change_is_conditional_on_the_status_the_agent_saw(services: Services, clock: FixedClock) -> None:
    """The agent saw « reçu » and pressed z; meanwhile another counter undid it and the person was
    marked absent: the undo must not wipe that absence."""
    booked = book(services)
    clock.set(at(MONDAY, 11, 5))
    services.appointments.set_status(booked.id, Status.SEEN)
    services.appointments.set_status(booked.id, Status.BOOKED)  # the other counter
    services.appointments.set_status(booked.id, Status.NOSHOW)
    with pytest.raises(LostRace) as caught:
        services.appointments.set_status(booked.id, Status.BOOKED, expected=Status.SEEN)
    assert str(caught.value) == (f"Le rendez-vous n° {booked.id} a déjà été modifié par un autre guichet : "
                                 "il est maintenant « absent ». Rien n'a été changé.")
    assert services.appointments.get(booked.id).status is Status.NOSHOW


def test_a_rescheduled_appointment_is_moved_and_names_its_successor(services: Services) -> None:
    old = book(services, hour=11)
    new = services.appointments.reschedule(old.id, at(MONDAY + timedelta(days=1), 14))
    moved = services.appointments.get(old.id)
    assert (moved.status, moved.moved_to, moved.moved_to_start, moved.moved_to_agency) == (
        Status.MOVED, new.id, at(MONDAY + timedelta(days=1), 14), "nanterre")
    assert new.rescheduled_from == old.id and new.moved_to is None
    [row] = services.appointments.day_sheet("nanterre", MONDAY)
    assert (row.status, row.moved_to) == (Status.MOVED, new.id)
    # A moved appointment holds no seat: its slot is free again, and it cannot be cancelled nor checked in.
    assert book(services, hour=11, name="Autre").seat == 1
    for target in (Status.EXCUSED, Status.SEEN, Status.MOVED, Status.BOOKED):
        with pytest.raises(InvalidInput):
            services.appointments.set_status(old.id, target)
    data = appointment_json(moved)
    assert (data["status"], data["status_label"], data["moved_to"], data["moved_to_start"]) == (
        "moved", "déplacé au mardi 24 novembre, 14:00 (n° 2)", new.id, "2026-11-24T14:00")
    json.dumps(data)


def test_a_chain_of_moves_and_another_agency(services: Services) -> None:
    first = book(services, hour=11)
    second = services.appointments.reschedule(first.id, at(MONDAY, 14))
    third = services.appointments.reschedule(second.id, at(MONDAY + timedelta(days=1), 9), "montrouge")
    sheet = {a.id: a for a in services.appointments.day_sheet("nanterre", MONDAY)}
    assert (sheet[first.id].moved_to, sheet[second.id].moved_to) == (second.id, third.id)
    assert sheet[second.id].moved_to_agency == "montrouge"
    assert [a.status for a in sheet.values()] == [Status.MOVED, Status.MOVED]
    assert [a.id for a in services.appointments.day_sheet("montrouge", MONDAY + timedelta(days=1))] == [third.id]


def test_the_day_sheet_reads_moved_appointments_in_two_queries(services: Services) -> None:
    """The day's appointments, then the successors of all the moved ones at once (by the index on
    ``rescheduled_from``; joined, SQLite read the whole table: test_appointment_plans.py): never a
    query per appointment."""
    for hour, minute in ((10, 30), (11, 0), (11, 30), (14, 0)):
        services.appointments.reschedule(book(services, hour, minute).id, at(MONDAY + timedelta(days=1), 14, minute))
    book(services, hour=15)
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(services.engine, "before_cursor_execute", seen)
    try:
        sheet = services.appointments.day_sheet("nanterre", MONDAY)
    finally:
        event.remove(services.engine, "before_cursor_execute", seen)
    assert [a.moved_to is not None for a in sheet] == [True, True, True, True, False]
    assert len([s for s in statements if "appointment" in s]) == 2, statements


def test_the_agents_name_is_kept_beside_the_login(services: Services) -> None:
    booked = book(services)
    assert (booked.booked_by_name, booked.booked_by) == ("Camille Martin", services.context.agent)
    assert services.appointments.get(booked.id).booked_by_name == "Camille Martin"
    data = appointment_json(booked)
    assert (data["booked_by_name"], data["booked_by"]) == ("Camille Martin", services.context.agent)
