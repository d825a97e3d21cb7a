"""The booking screen at the counter (issue 14): the slot is chosen explicitly and nothing is ever
booked on a slot the agent did not choose; the same person is not booked twice without a question;
each field says what is wrong as soon as it is left; F7 starts from the counter's agency.

A second counter is a second ``Services`` on the same database (``make_app()`` again: same
temporary directory). The clock is fixed: Monday 23 November 2026, 10:00; F4 opens a GCA by phone
whose first slot is Nanterre's 10:30 (5 seats).
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from guichet.domain.clock import PARIS
from guichet.domain.models import Appointment, Channel, Kind
from guichet.services import Services
from guichet.services.appointments import BookingRequest
from guichet.ui.app import GuichetApp
from guichet.ui.screens.ask import AskScreen
from guichet.ui.screens.booking import BookingScreen, SlotTable
from guichet.ui.screens.confirmation import ConfirmationScreen
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import settle

SIZE = (80, 24)
TEN_THIRTY = datetime(2026, 11, 23, 10, 30, tzinfo=PARIS)
ELEVEN = datetime(2026, 11, 23, 11, 0, tzinfo=PARIS)


def other_counter(make_app: AppFactory) -> Services:
    """A second counter's services on the same database."""
    return make_app().services


def take(services: Services, start: datetime, name: str, seats: int = 1, **fields: str) -> list[Appointment]:
    return [services.appointments.book(BookingRequest("nanterre", Kind.GCA, Channel.TELEPHONE, start, name,
                                                      phone=fields.get("phone", "0611223344"),
                                                      file_number=fields.get("file_number")))
            for _ in range(seats)]


def message(screen: BookingScreen) -> str:
    return str(screen.query_one("#booking-message", Static).render())


def chosen_line(screen: BookingScreen) -> str:
    return str(screen.query_one("#booking-chosen", Static).render())


def booked_names(app: GuichetApp) -> list[str]:
    return [a.name for a in app.services.appointments.day_sheet("nanterre")]


async def open_booking(pilot: Pilot[None]) -> BookingScreen:
    await pilot.press("f4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BookingScreen)
    return screen


# -- 1. a lost race, a refresh, a filter change: never another slot -----------------------------------
async def test_after_a_lost_race_ctrl_s_books_nothing_until_a_slot_is_chosen(make_app: AppFactory) -> None:
    """The issue's scenario, keys only: the loser is told, and Ctrl+S again does not book another slot."""
    app = make_app()
    take(app.services, TEN_THIRTY, "Déjà là", seats=4)  # one seat left at 10:30
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_booking(pilot)
        await pilot.press("enter", *"Jean Dupont", "enter", "enter", *"0612345678")
        take(other_counter(make_app), TEN_THIRTY, "Plus rapide")  # the other counter takes the last seat
        await pilot.press("ctrl+s")
        await settle(pilot)
        told = message(screen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BookingScreen)
    assert "Jean Dupont" not in booked_names(app)  # today's main booked the next slot, never offered
    assert "vient d'être pris par un autre guichet" in told


async def test_a_lost_race_says_so_and_never_books_another_slot(make_app: AppFactory) -> None:
    app = make_app()
    take(app.services, TEN_THIRTY, "Déjà là", seats=4)  # one seat left at 10:30
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_booking(pilot)
        assert screen.highlighted is not None and screen.highlighted.start == TEN_THIRTY
        await pilot.press("enter")  # chooses 10:30
        assert screen.chosen_slot is not None and screen.chosen_slot.start == TEN_THIRTY
        assert "Créneau choisi : lundi 23 novembre, 10:30 — Nanterre" in chosen_line(screen)
        await pilot.press(*"Jean Dupont", "enter", "enter", *"0612345678")
        take(other_counter(make_app), TEN_THIRTY, "Plus rapide")  # the other counter takes the last seat
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BookingScreen)
        text = message(screen)
        assert "Ce créneau vient d'être pris par un autre guichet (lundi 23 novembre, 10:30 — Nanterre)" in text
        assert "Prochains créneaux libres : lundi 23 novembre, 10:30 (Châtenay-Malabry)" in text
        assert screen.chosen_slot is None and "Aucun créneau choisi" in chosen_line(screen)
        assert isinstance(app.focused, SlotTable)
        assert screen.query_one("#name", Input).value == "Jean Dupont"  # the details stay typed
        assert all((s.agency_id, s.start) != ("nanterre", TEN_THIRTY) for s in screen.slots)
        assert screen.highlighted is not None and screen.highlighted.agency_id == "chatenay-malabry"
        await pilot.press("ctrl+s")  # the highlight moved to another slot: Ctrl+S still refuses
        await settle(pilot)
        assert "Choisissez d'abord un créneau" in message(screen)
        assert "Jean Dupont" not in booked_names(app)
        await pilot.press("enter", "ctrl+s")  # Châtenay-Malabry's 10:30, chosen this time
        await settle(pilot)
        assert isinstance(app.screen, ConfirmationScreen)
        booked = app.screen.appointment
        assert (booked.agency_id, booked.start, booked.name) == ("chatenay-malabry", TEN_THIRTY, "Jean Dupont")


async def test_a_refresh_that_loses_the_chosen_slot_clears_the_choice(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_booking(pilot)
        await pilot.press("enter", *"Jean Dupont")
        take(other_counter(make_app), TEN_THIRTY, "Autre guichet", seats=5)  # 10:30 is full now
        await pilot.press("shift+tab")  # back on the list, where the 20 s refresh runs
        assert isinstance(app.focused, SlotTable)
        screen._refresh_if_browsing()  # the timer's call
        await settle(pilot)
        assert screen.chosen_slot is None
        text = message(screen)
        assert "Le créneau choisi (lundi 23 novembre, 10:30 — Nanterre) n'est plus libre" in text
        assert "autre guichet" in text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BookingScreen)
        assert "Choisissez d'abord un créneau" in message(screen)
    assert "Jean Dupont" not in booked_names(app)


async def test_a_filter_change_keeps_a_listed_choice_and_clears_one_that_left(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_booking(pilot)
        await pilot.press("down", "down", "enter")  # not the first row
        chosen = screen.chosen_slot
        assert chosen is not None
        await pilot.press(*"Jean Dupont", "f8")  # mornings only: the chosen morning slot stays
        await settle(pilot)
        assert screen.chosen_slot == chosen and screen.highlighted == chosen
        assert isinstance(app.focused, Input)
        await pilot.press("f8")  # afternoons: it leaves the list
        await settle(pilot)
        assert screen.chosen_slot is None
        assert "n'est plus dans la liste avec ces critères" in message(screen)
        assert isinstance(app.focused, SlotTable)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert "Jean Dupont" not in booked_names(app)


async def test_ctrl_s_without_a_chosen_slot_refuses(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_booking(pilot)
        screen.query_one("#name", Input).value = "Jean Dupont"
        screen.query_one("#phone", Input).value = "0612345678"
        await pilot.press("ctrl+s")  # a slot is highlighted, none chosen
        await settle(pilot)
        assert isinstance(app.screen, BookingScreen)
        assert "Choisissez d'abord un créneau" in message(screen)
    assert booked_names(app) == []


# -- 2. the same person twice -----------------------------------------------------------------------
@pytest.mark.parametrize(("typed", "why"), [
    (("awa DIALLO", "", "06.11.22.33.44"), "same name and phone, another spelling"),
    (("A. Diallo", "7654321", "0699887766"), "same file number, another phone"),
])
async def test_a_person_already_booked_is_asked_about_first(make_app: AppFactory, typed: tuple[str, str, str],
                                                           why: str) -> None:
    app = make_app()
    [held] = take(app.services, ELEVEN, "Awa Diallo", phone="0611223344", file_number="7654321")
    name, file_number, phone = typed
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_booking(pilot)
        await pilot.press("enter", *name, "enter", *file_number, "enter", *phone, "ctrl+s")
        await settle(pilot)
        ask = app.screen
        assert isinstance(ask, AskScreen), why
        assert ask.question.startswith(f"{name} a déjà un rendez-vous : lundi 23 novembre, 11:00 — Nanterre")
        assert f"(RDV n° {held.id})" in ask.question and ask.question.endswith("Réserver quand même ?")
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen
        assert "Rien n'a été réservé" in message(screen)
        assert booked_names(app) == ["Awa Diallo"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AskScreen)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmationScreen)
    assert sorted(booked_names(app)) == sorted(["Awa Diallo", name])


async def test_another_person_with_the_same_phone_is_not_asked_about(make_app: AppFactory) -> None:
    app = make_app()
    take(app.services, ELEVEN, "Awa Diallo", phone="0611223344")
    async with app.run_test(size=SIZE) as pilot:
        await open_booking(pilot)
        await pilot.press("enter", *"Moussa Diallo", "enter", "enter", *"0611223344", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmationScreen)


# -- 16. errors under each field, F7's order, the seats column ----------------------------------------
def error_of(screen: BookingScreen, field_id: str) -> str:
    label = screen.query_one(f"#{field_id}-error", Static)
    return str(label.render()) if label.has_class("-shown") else ""


async def test_a_field_says_what_is_wrong_when_it_is_left_and_ctrl_s_shows_every_error(
        make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_booking(pilot)
        await pilot.press("enter", *"Jean Dupont", "enter", *"12345")
        assert error_of(screen, "file-number") == ""  # not while typing
        await pilot.press("enter")  # leaves the field
        assert error_of(screen, "file-number") == "Le numéro allocataire doit compter exactement 7 chiffres."
        assert screen.query_one("#file-number", Input).has_class("-invalid")
        await pilot.press(*"06")
        await pilot.press("shift+tab")
        assert error_of(screen, "phone").startswith("Numéro de téléphone invalide")
        screen.query_one("#name", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_of(screen, "name") == "Le nom de la personne est obligatoire."
        assert error_of(screen, "file-number") and error_of(screen, "phone")
        assert "À corriger : Nom, N° allocataire, Téléphone" in message(screen)
        assert app.focused is screen.query_one("#name", Input)
        await pilot.press(*"Jean Dupont")
        screen.query_one("#file-number", Input).value = "1234567"  # a correction clears the error at once
        await pilot.pause()
        assert error_of(screen, "file-number") == ""
    assert booked_names(app) == []


async def test_f7_starts_with_the_counters_agency_then_the_others_alphabetically(make_app: AppFactory) -> None:
    app = make_app(agency="montrouge")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_booking(pilot)
        assert screen.agency_id is None
        seen = []
        for _ in range(5):
            await pilot.press("f7")
            seen.append(screen.agency_id)
        await settle(pilot)
        assert seen == ["montrouge", "chatenay-malabry", "gennevilliers", "nanterre", None]


async def test_the_seats_column_says_free_out_of_how_many(make_app: AppFactory) -> None:
    app = make_app()
    take(app.services, TEN_THIRTY, "Déjà là", seats=2)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_booking(pilot)
        table = screen.query_one(SlotTable)
        assert table.rows[0] == ("lundi 23 novembre", "10:30", "Nanterre", "3 libres sur 5")
        take(app.services, TEN_THIRTY, "Encore", seats=2)
        screen.load_slots()
        await settle(pilot)
        assert table.rows[0][3] == "1 libre sur 5"


# -- 15. the phone placeholder, 3. unsaved work ---------------------------------------------------------
async def test_the_phone_placeholder_cannot_be_mistaken_for_a_number(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_booking(pilot)
        placeholder = screen.query_one("#phone", Input).placeholder
        assert "0X XX XX XX XX" in placeholder
        assert not re.search(r"\d{2}\s?\d{2}\s?\d{2}", placeholder)  # no digits that could be someone's


async def test_unsaved_work_names_a_booking_being_typed(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_booking(pilot)
        assert screen.unsaved_work() is None
        await pilot.press("enter")
        assert screen.unsaved_work() is None  # a slot chosen, nothing typed
        await pilot.press(*"Jean")
        assert screen.unsaved_work() == "un rendez-vous en cours de saisie"


# -- snapshot -----------------------------------------------------------------------------------------
def test_snapshot_booking_form_with_errors(make_app: AppFactory, snap_compare: object) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("enter", "enter", *"12345", "enter", *"0612", "ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)  # type: ignore[operator]
