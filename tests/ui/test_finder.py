"""Retrouver un rendez-vous (issue 14, item 21): a person who calls back is found by file number,
name or phone, across agencies; from the result the appointment is moved, cancelled (after a
question), checked in, or its confirmation read again.

The screen is pushed directly (H3's Ctrl+F opens it the same way). The clock is fixed: Monday 23
November 2026, 10:00.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from guichet.domain.clock import PARIS
from guichet.domain.models import Appointment, Channel, Kind, Status
from guichet.services import Services
from guichet.services.appointments import BookingRequest
from guichet.ui.app import GuichetApp
from guichet.ui.screens.ask import AskScreen
from guichet.ui.screens.booking import BookingScreen, SlotTable
from guichet.ui.screens.confirmation import ConfirmationScreen
from guichet.ui.screens.finder import FinderScreen, FinderTable
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import settle

SIZE = (80, 24)
TUESDAY = date(2026, 11, 24)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), PARIS)


def book(services: Services, start: datetime, name: str, agency: str = "nanterre",
         channel: Channel = Channel.TELEPHONE, **fields: str) -> Appointment:
    return services.appointments.book(BookingRequest(agency, Kind.GCA, channel, start, name,
                                                     file_number=fields.get("file_number"),
                                                     phone=fields.get("phone", "0611223344")))


def people(app: GuichetApp) -> tuple[Appointment, Appointment, Appointment]:
    """Awa Diallo today in Nanterre (on site) and on Tuesday in Gennevilliers; Jean Dupont."""
    services = app.services
    today = book(services, at(date(2026, 11, 23), 11), "Awa Diallo", channel=Channel.AGENCE,
                 file_number="7654321")
    tuesday = book(services, at(TUESDAY, 14), "Awa Diallo", "gennevilliers", file_number="7654321")
    other = book(services, at(TUESDAY, 10), "Jean Dupont", phone="0612345678")
    return today, tuesday, other


async def open_finder(pilot: Pilot[None], typed: str) -> FinderScreen:
    app = pilot.app
    assert isinstance(app, GuichetApp)
    await settle(pilot)
    screen = FinderScreen(app.services, cursor_blink=False)
    await app.push_screen(screen)
    await pilot.pause()
    assert isinstance(app.focused, Input)
    await pilot.press(*typed)
    await settle(pilot)
    return screen


def message(screen: FinderScreen) -> str:
    return str(screen.query_one("#finder-message", Static).render())


def detail(screen: FinderScreen) -> str:
    return str(screen.query_one("#finder-detail", Static).render())


@pytest.mark.parametrize("typed", ["7654321", "dialo awa", "06 11 22 33 44"])
async def test_a_person_is_found_by_file_number_name_or_phone_across_agencies(make_app: AppFactory,
                                                                               typed: str) -> None:
    app = make_app()
    today, tuesday, _other = people(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_finder(pilot, typed)
        assert [a.id for a in screen.results] == [today.id, tuesday.id]
        rows = screen.query_one(FinderTable).rows
        assert rows[0] == ("lun. 23/11 11:00", "Nanterre", "GCA agence", "réservé", "Awa Diallo", "7654321")
        assert rows[1][:4] == ("mar. 24/11 14:00", "Gennevilliers", "GCA tél.", "réservé")
        assert f"RDV n° {today.id} · lundi 23 novembre, 11:00 — Nanterre" in detail(screen)
        assert message(screen).startswith("2 rendez-vous")


async def test_a_partial_search_asks_for_more(make_app: AppFactory) -> None:
    app = make_app()
    people(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_finder(pilot, "06 11")
        assert screen.results == []
        assert "7 chiffres" in message(screen)
        await pilot.press(*" 22 33 44")
        await settle(pilot)
        assert len(screen.results) == 2


async def test_cancelling_asks_first_and_can_be_declined(make_app: AppFactory) -> None:
    app = make_app()
    today, tuesday, _other = people(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_finder(pilot, "7654321")
        await pilot.press("enter", "down")  # the results, then Tuesday's
        assert screen.current is not None and screen.current.id == tuesday.id
        await pilot.press("c")
        ask = app.screen
        assert isinstance(ask, AskScreen)
        assert ask.question.startswith(f"Annuler à la demande de la personne le rendez-vous n° {tuesday.id} "
                                       "de Awa Diallo : mardi 24 novembre, 14:00 — Gennevilliers ?")
        await pilot.press("n")
        await settle(pilot)
        assert app.services.appointments.get(tuesday.id).status is Status.BOOKED
        await pilot.press("c", "o")
        await settle(pilot)
        assert app.services.appointments.get(tuesday.id).status is Status.EXCUSED
        assert screen.current is not None and screen.current.id == tuesday.id
        assert screen.query_one(FinderTable).rows[1][3] == "annulé (pers)"
        assert f"Rendez-vous n° {tuesday.id} : annulé par la personne." in message(screen)
        await pilot.press("up", "v", "o")  # today's, cancelled by the Caf
        await settle(pilot)
        assert app.services.appointments.get(today.id).status is Status.REVOKED
        await pilot.press("v")  # already cancelled: refused before any question
        await settle(pilot)
        assert app.screen is screen
        assert "impossible de le passer à « annulé par la Caf »" in message(screen)


async def test_arrival_is_noted_today_and_refused_for_another_day(make_app: AppFactory) -> None:
    app = make_app()
    today, tuesday, _other = people(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_finder(pilot, "awa")
        await pilot.press("enter", "a")
        await settle(pilot)
        assert app.services.appointments.get(today.id).status is Status.SEEN
        await pilot.press("down", "a")
        await settle(pilot)
        assert app.services.appointments.get(tuesday.id).status is Status.BOOKED
        assert "l'arrivée se note le jour même" in message(screen)


async def test_a_refused_change_shows_the_services_french_error(make_app: AppFactory) -> None:
    app = make_app()
    _today, tuesday, _other = people(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_finder(pilot, "7654321")
        await pilot.press("enter", "down")
        app.services.appointments.set_status(tuesday.id, Status.EXCUSED)  # another counter, meanwhile
        await pilot.press("c", "o")
        await settle(pilot)
        # the screen still showed it booked: the service refuses, in French, and nothing changes
        assert message(screen) == (f"Le rendez-vous n° {tuesday.id} est « annulé par la personne » : "
                                   "impossible de le passer à « annulé par la personne ».")
        assert screen.query_one(FinderTable).rows[1][3] == "annulé (pers)"  # the list shows it as it is now


async def test_reschedule_opens_the_slot_picker_and_moves_the_appointment(make_app: AppFactory) -> None:
    app = make_app()
    _today, tuesday, _other = people(app)
    async with app.run_test(size=SIZE) as pilot:
        finder = await open_finder(pilot, "7654321")
        await pilot.press("enter", "down", "r")
        await settle(pilot)
        booking = app.screen
        assert isinstance(booking, BookingScreen) and booking.rescheduling == tuesday
        assert (booking.kind, booking.channel) == (Kind.GCA, Channel.TELEPHONE)
        for field_id, value in (("name", "Awa Diallo"), ("file-number", "7654321"), ("phone", "06 11 22 33 44")):
            field = booking.query_one(f"#{field_id}", Input)
            assert field.value == value and field.disabled
        await pilot.press("f5")  # the kind stays the appointment's
        assert booking.kind is Kind.GCA
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Choisissez d'abord un créneau" in str(booking.query_one("#booking-message", Static).render())
        target = booking.highlighted
        assert target is not None
        await pilot.press("enter")
        assert isinstance(app.focused, SlotTable)
        assert "Déplacer le RDV n°" in str(booking.query_one("#booking-chosen", Static).render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        confirmation = app.screen
        assert isinstance(confirmation, ConfirmationScreen)
        moved = confirmation.appointment
        assert (moved.start, moved.agency_id, moved.rescheduled_from) == (target.start, target.agency_id, tuesday.id)
        assert app.services.appointments.get(tuesday.id).status is Status.MOVED
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is finder
        assert moved.id in [a.id for a in finder.results]


async def test_entree_reads_the_confirmation_again(make_app: AppFactory) -> None:
    app = make_app()
    today, _tuesday, _other = people(app)
    async with app.run_test(size=SIZE) as pilot:
        finder = await open_finder(pilot, "awa diallo")
        await pilot.press("enter", "enter")
        assert isinstance(app.screen, ConfirmationScreen)
        assert app.screen.appointment.id == today.id
        assert "À l'accueil de la Caf" in app.screen.text
        await pilot.press("escape")
        assert app.screen is finder
        await pilot.press("escape", "escape")  # the search field, then out
        assert app.screen is not finder


def test_snapshot_finder(make_app: AppFactory, snap_compare: object) -> None:
    app = make_app()
    people(app)

    async def run_before(pilot: Pilot[None]) -> None:
        await open_finder(pilot, "dialo")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)  # type: ignore[operator]
