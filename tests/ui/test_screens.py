"""The screens through App.run_test(): state first, then a snapshot of each screen."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from guichet.domain.clock import PARIS
from guichet.domain.models import Appointment, Channel, Kind, Status
from guichet.domain.orientation import Emergency
from guichet.services.appointments import BookingRequest
from guichet.ui.app import GuichetApp
from guichet.ui.screens.agencies import AgenciesScreen
from guichet.ui.screens.booking import BookingScreen
from guichet.ui.screens.confirmation import ConfirmationScreen
from guichet.ui.screens.daysheet import DaySheetScreen
from guichet.ui.screens.search import SearchScreen
from guichet.ui.widgets.orientation_card import OrientationCard
from guichet.ui.widgets.rowlist import RowList
from guichet.ui.workers import workers_done
from tests.conftest import FIXED_NOW
from tests.ui.conftest import AppFactory

# Every screen at 80×24 (the counters' terminal) in the everyday loop; the larger size in the full suite.
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40", marks=pytest.mark.slow)]


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the keys typed ahead, the database workers, the screen's last widgets, and the repaint
    that follows them."""
    await pilot.pause()
    keys_delivered = getattr(pilot.app, "keys_delivered", None)
    if keys_delivered is not None:
        await asyncio.wait_for(keys_delivered(), 10)
        await pilot.pause()
    await workers_done(pilot.app)
    await screen_complete(pilot)
    await pilot.pause()


async def screen_complete(pilot: Pilot[None]) -> None:
    """Until the screen on top has all its widgets: the handoff form mounts the fields under its first
    screenful after its first frame (``completed``)."""
    completed = getattr(pilot.app.screen, "completed", None)
    if completed is not None:
        await asyncio.wait_for(completed.wait(), 10)


def _held(function: Callable[..., Any], when: Callable[..., bool] = lambda *_args: True,
          ) -> tuple[Callable[..., Any], threading.Event]:
    """``function`` held in its worker's thread (when ``when(*args)``) until the event is set:
    a slow database, to see what the screens do meanwhile."""
    release = threading.Event()

    def held(*args: Any) -> Any:
        if when(*args):
            release.wait(5)
        return function(*args)

    return held, release



async def test_search_has_focus_and_lists_common_services(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert isinstance(app.focused, Input)
        screen = app.screen
        assert len(screen.hits) == 12
        populars = [h.service.popularity for h in screen.hits]
        assert populars == sorted(populars, reverse=True)


async def test_start_up_shows_the_first_service_card_just_after_the_first_frame(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert app.screen_stack == [screen]  # the search screen is the bottom of the stack
        card = screen.query_one(OrientationCard)
        assert card.service is screen.hits[0].service
        await pilot.press("escape")  # never leaves the search screen
        await app.run_action("app.back")
        assert app.screen is screen


async def test_saved_theme_is_in_force_from_the_start(make_app: AppFactory) -> None:
    app = make_app(theme="contraste-eleve")
    assert app.theme == "contraste-eleve"  # before the stylesheet is first parsed
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "contraste-eleve"
        assert app.has_class("-theme-contraste-eleve")
        header = app.screen.query_one("CounterHeader")
        assert header.styles.background.rgb[:2] == (254, 255)  # yellow primary


async def test_typing_updates_results_and_card(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"enceinte")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert any(h.service.id == "grossesse" for h in screen.hits[:3])
        card = screen.query_one(OrientationCard)
        assert card.service is screen.hits[0].service
        await pilot.press("down")
        assert card.service is screen.hits[1].service
        await pilot.press("enter")
        assert app.focused is card


@pytest.mark.slow  # > 5 s on the 2-core machine
async def test_card_questions_change_the_orientation(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"separation", "enter")
        await pilot.pause()
        card = app.screen.query_one(OrientationCard)
        assert card.service is not None and card.service.social_work_event
        assert card.advice is not None and card.advice.desk.value == "travailleur_social"
        await pilot.press("d")  # event more than 2 years old
        assert card.advice.desk.value == "partenaire"
        await pilot.press("d", "s")  # back inside the window, already followed
        assert "déjà" in card.advice.destination
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # second emergency in the list
        await pilot.pause()
        assert card.answers.emergency is Emergency.SANS_LOGEMENT
        assert card.advice.destination == "Le travailleur social qui suit déjà la personne"
        assert not card.advice.forward_to_caf


async def test_new_person_clears_everything(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"divorce", "enter", "s")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.query_one(Input).value == ""
        assert app.screen.query_one(OrientationCard).answers.already_followed is None
        assert isinstance(app.focused, Input)


async def test_agencies_screen_lists_live_status(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgenciesScreen)
        assert [s.agency.id for s in screen.statuses] == ["chatenay-malabry", "gennevilliers", "montrouge", "nanterre"]
        assert [s.is_open for s in screen.statuses] == [True, False, False, False]  # Gennevilliers: no walk-in
        await pilot.press("escape")
        assert isinstance(app.screen, SearchScreen)


@pytest.mark.slow  # > 5 s on the 2-core machine
async def test_booking_from_the_card_books_and_confirms(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"apl pas versee", "enter", "r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BookingScreen)
        assert (screen.kind, screen.channel) == (Kind.GCA, Channel.TELEPHONE)
        first = screen.slots[0]
        assert first.agency_id == "nanterre"  # the counter's agency first at equal times
        assert first.start == datetime(2026, 11, 23, 10, 30, tzinfo=PARIS)
        await pilot.press("enter", *"Jean Dupont", "enter", *"1234567", "enter", *"06 12 34 56 78", "enter")
        await pilot.press("enter")  # objective pre-filled with the service title: Enter books
        await settle(pilot)
        assert isinstance(app.screen, ConfirmationScreen)
        booked = app.screen.appointment
        assert booked.phone == "0612345678" and booked.service_id == "apl-non-versee"
        assert "06 12 34 56 78" in app.screen.text


async def test_booking_refuses_invalid_phone_and_writes_nothing(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("enter", *"Jean Dupont", "enter", "enter", *"0612", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BookingScreen)
        message = str(app.screen.query_one("#booking-message").render())
        assert "Numéro de téléphone invalide" in message
        assert app.services.appointments.day_sheet("nanterre") == []


async def test_escape_with_typed_details_asks_first(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("enter", *"Jean", "escape")
        assert isinstance(app.screen, BookingScreen)
        assert app.screen.query_one("#name", Input).value == "Jean"
        await pilot.press("escape")
        assert isinstance(app.screen, SearchScreen)


def _awa_at_eleven(app: GuichetApp) -> Appointment:
    """Today's 11:00 GCA appointment in Nanterre, on the counter's day sheet."""
    return app.services.appointments.book(BookingRequest("nanterre", Kind.GCA, Channel.AGENCE,
                                                    datetime(2026, 11, 23, 11, 0, tzinfo=PARIS), "Awa Diallo",
                                                    "7654321"))


async def test_day_sheet_checks_people_in(make_app: AppFactory) -> None:
    app = make_app()
    booking = app.services.appointments
    booked = _awa_at_eleven(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, DaySheetScreen)
        assert [a.id for a in app.screen.rows] == [booked.id]
        await pilot.press("a")
        await settle(pilot)
        assert booking.get(booked.id).status is Status.SEEN
        assert app.screen.query_one(RowList).row_count == 1


# -- snapshots -----------------------------------------------------------------------------
def _book_one(app_factory: AppFactory) -> object:
    app = app_factory()
    app.services.appointments.book(BookingRequest("nanterre", Kind.GCA, Channel.TELEPHONE,
                                             datetime(2026, 11, 23, 13, 0, tzinfo=PARIS), "Awa Diallo",
                                             "7654321", "06 12 34 56 78", "apl-non-versee"))
    return app


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_search_empty(make_app: AppFactory, snap_compare: object, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size)  # type: ignore[operator]


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_search_card(make_app: AppFactory, snap_compare: object, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), press=[*"apl pas versee", "enter"], terminal_size=size)  # type: ignore[operator]


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_agencies(make_app: AppFactory, snap_compare: object, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), press=["f2"], terminal_size=size)  # type: ignore[operator]


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_emergency(make_app: AppFactory, snap_compare: object, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), press=[*"violence", "enter", "u"], terminal_size=size)  # type: ignore[operator]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.slow  # > 5 s on the 2-core machine
def test_snapshot_booking(make_app: AppFactory, snap_compare: object, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press(*"apl pas versee", "enter", "r")
        await settle(pilot)
        await pilot.press("enter", *"Jean Dupont", "enter", *"12345")
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=size)  # type: ignore[operator]


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_confirmation(make_app: AppFactory, snap_compare: object, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("enter", *"Jean Dupont", "enter", "enter", *"0612345678", "ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(), run_before=run_before, terminal_size=size)  # type: ignore[operator]


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_day_sheet(make_app: AppFactory, snap_compare: object, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f3")
        await settle(pilot)

    assert snap_compare(_book_one(make_app), run_before=run_before, terminal_size=size)  # type: ignore[operator]


# -- help, settings, handoffs ----------------------------------------------------------------
async def test_f1_lists_the_keys_of_the_current_screen(make_app: AppFactory) -> None:
    from guichet.ui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        descriptions = dict(app.screen.bindings).values()
        assert "Réserver" in descriptions and "GCA/CSU" in descriptions
        await pilot.press("escape")
        assert isinstance(app.screen, BookingScreen)


async def test_settings_are_saved_to_the_config_file(make_app: AppFactory) -> None:
    import tomllib

    from guichet.ui.screens.settings import SettingsScreen

    app = make_app(agency=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # the first launch's agency choice: « plus tard »
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#agency").value = "gennevilliers"  # type: ignore[attr-defined]
        app.screen.query_one("#agent-name").value = "Camille Martin"  # type: ignore[attr-defined]
        app.screen.query_one("#theme").value = "contraste-eleve"  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert app.theme == "contraste-eleve"
        saved = tomllib.loads(app.services.settings.paths.config_file.read_text(encoding="utf-8"))
        assert saved == {"agency": "gennevilliers", "agent_name": "Camille Martin", "theme": "contraste-eleve"}
        assert app.services.home_agency is not None and app.services.home_agency.id == "gennevilliers"


@pytest.mark.slow  # > 5 s on the 2-core machine
async def test_handoff_from_the_card_is_prefilled_and_saved(make_app: AppFactory) -> None:
    from textual.widgets import Select, TextArea

    from guichet.domain.handoff import HandoffStatus
    from guichet.ui.screens.handoff import HandoffScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"separation", "enter", "t")
        await pilot.pause()
        await screen_complete(pilot)
        screen = app.screen
        assert isinstance(screen, HandoffScreen)
        assert screen.query_one("#life-event", Select).value == "separation"
        await pilot.press(*"Awa Diallo", "tab", *"1234567", "tab", *"0612345678")
        screen.query_one("#motifs", Input).value = "Demande d'explication sur l'ASF"
        screen.query_one(TextArea).text = "Séparation en juin ; ASF suspendue depuis août ?"
        screen.query_one("#benefits").select("ASF")  # type: ignore[attr-defined]
        await pilot.pause()
        assert screen.message is None  # no consent yet: no message
        verdict = str(screen.query_one("#handoff-verdict").render())
        assert "consentement" in verdict.lower()
        assert "non-paiement" in verdict  # the "suspension" warning
        screen.query_one("#consent", Select).value = "yes"
        await pilot.pause()
        assert screen.message is not None and "Motif(s) de la demande" in screen.message
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        [record] = app.services.handoffs.listing()
        assert record.status is HandoffStatus.A_TRANSMETTRE and record.draft.file_number == "1234567"


async def test_handoff_list_moves_along_the_follow_up(make_app: AppFactory) -> None:
    from guichet.domain.handoff import Contact, HandoffDraft, HandoffStatus
    from guichet.domain.models import LifeEvent
    from guichet.ui.screens.handoffs import HandoffsScreen

    app = make_app()
    record = app.services.handoffs.create(HandoffDraft(
        name="Awa Diallo", life_event=LifeEvent.SEPARATION, motifs="Non-paiement", comment="ASF non versée.",
        benefits=("ASF",), contact=Contact.COURRIER, file_number="1234567", consent=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, HandoffsScreen)
        assert [r.id for r in app.screen.records] == [record.id]
        await pilot.press("p")  # cannot skip "transmise"
        await settle(pilot)
        assert app.services.handoffs.get(record.id).status is HandoffStatus.A_TRANSMETTRE
        await pilot.press("t")
        await settle(pilot)
        assert app.services.handoffs.get(record.id).status is HandoffStatus.TRANSMISE


def _with_handoff(app_factory: AppFactory) -> object:
    from guichet.domain.handoff import Contact, HandoffDraft
    from guichet.domain.models import LifeEvent

    app = app_factory()
    app.services.handoffs.create(HandoffDraft(
        name="Awa Diallo", life_event=LifeEvent.SEPARATION, motifs="Non-paiement", comment="ASF non versée.",
        benefits=("ASF",), contact=Contact.COURRIER, file_number="1234567", consent=True))
    return app


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_handoff_form(make_app: AppFactory, snap_compare: object, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), press=[*"separation", "enter", "t", *"Awa Diallo"],  # type: ignore[operator]
                        terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_handoff_list(make_app: AppFactory, snap_compare: object, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f9")
        await settle(pilot)

    assert snap_compare(_with_handoff(make_app), run_before=run_before, terminal_size=size)  # type: ignore[operator]


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_help(make_app: AppFactory, snap_compare: object, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), press=["f1"], terminal_size=size)  # type: ignore[operator]


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_settings(make_app: AppFactory, snap_compare: object, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), press=["f10"], terminal_size=size)  # type: ignore[operator]


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_refusal_reason(make_app: AppFactory, snap_compare: object, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("x", *"Situation hors champ")
        await pilot.pause()

    assert snap_compare(_with_handoff(make_app), run_before=run_before, terminal_size=size)  # type: ignore[operator]


async def test_settings_escape_asks_before_dropping_a_typed_name(make_app: AppFactory) -> None:
    from guichet.ui.screens.settings import SettingsScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        app.screen.query_one("#agent-name", Input).value = "Nouveau Nom"
        await pilot.press("escape")
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, SearchScreen)
        assert app.services.settings.agent_name == "Camille Martin"


async def test_a_database_check_never_cancels_the_warm_up(make_app: AppFactory) -> None:
    """The warm-up (index, database, then the collector's freeze) runs to its end even when the
    periodic database check comes while it is still busy (a slow shared server)."""
    from textual.worker import WorkerState

    app = make_app()
    app.services.warm_up, release = _held(app.services.warm_up)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        started = [w for w in app.workers if w.name == "warm_up"]
        assert len(started) == 1
        app.check_database()
        await pilot.pause()
        release.set()
        await app.workers.wait_for_complete()
        assert started[0].state is WorkerState.SUCCESS


# -- database workers: writes are never cancelled, stale reads never shown -----------------
async def test_a_refresh_never_cancels_a_status_change(make_app: AppFactory) -> None:
    """« a » then, in the same instant, the periodic refresh: the check-in is written all the same."""
    app = make_app()
    booking = app.services.appointments
    booked = _awa_at_eleven(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DaySheetScreen)
        screen.action_status("seen")
        screen.reload()  # the 15-second refresh, before the write's worker has even started
        await settle(pilot)
        assert booking.get(booked.id).status is Status.SEEN
        assert [a.status for a in screen.rows] == [Status.SEEN]


async def test_a_slow_older_read_never_replaces_a_newer_one(make_app: AppFactory) -> None:
    """The agent moves to another day while the first day's query is still running: the sheet
    shows that other day's appointments, not the late answer for the first day."""
    app = make_app()
    booking = app.services.appointments
    booking.book(BookingRequest("nanterre", Kind.GCA, Channel.AGENCE, datetime(2026, 11, 23, 11, 0, tzinfo=PARIS),
                                "Awa Diallo", "7654321"))
    later_slot = next(slot for slot in booking.find_slots(Kind.GCA, Channel.AGENCE, "nanterre", limit=40)
                      if slot.start.date() != FIXED_NOW.date())
    later = booking.book(BookingRequest("nanterre", Kind.GCA, Channel.AGENCE, later_slot.start, "Jean Dupont",
                                        "1234567"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        booking.day_sheet, release = _held(  # type: ignore[method-assign]
            booking.day_sheet, lambda _agency, day=None: day == FIXED_NOW.date())
        screen = app.screen
        assert isinstance(screen, DaySheetScreen)
        screen.reload()  # today again, slow
        await pilot.pause()
        screen.day = later_slot.start.date()
        screen.reload()  # the other day, fast
        await pilot.pause(0.2)
        release.set()
        await settle(pilot)
        assert [a.id for a in screen.rows] == [later.id]


@pytest.mark.slow  # > 5 s on the 2-core machine
async def test_enter_twice_books_once(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("enter", *"Jean Dupont", "enter", *"1234567", "enter", *"06 12 34 56 78", "enter")
        screen = app.screen
        assert isinstance(screen, BookingScreen)
        screen.action_book()
        screen.action_book()  # a second Entrée before the first booking is written
        await settle(pilot)
        assert isinstance(app.screen, ConfirmationScreen)
    booked = [a for a in app.services.appointments.day_sheet("nanterre", datetime(2026, 11, 23).date())
              if a.name == "Jean Dupont"]
    assert len(booked) == 1


@pytest.mark.slow  # > 5 s on the 2-core machine
async def test_escape_waits_while_a_booking_is_being_written(make_app: AppFactory) -> None:
    """Leaving during the write would leave its confirmation nowhere to go: Escape waits."""
    app = make_app()
    app.services.appointments.book, release = _held(app.services.appointments.book)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("enter", *"Jean Dupont", "enter", *"1234567", "enter", *"06 12 34 56 78", "enter")
        await pilot.press("ctrl+s")
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, BookingScreen)
        release.set()
        await settle(pilot)
        assert isinstance(app.screen, ConfirmationScreen)
        assert isinstance(app.get_screen_stack("search")[0], SearchScreen)  # the search, in its mode


@pytest.mark.slow  # > 5 s on the 2-core machine
async def test_escape_waits_while_a_handoff_is_being_written(make_app: AppFactory) -> None:
    from textual.widgets import Select, TextArea

    from guichet.ui.screens.handoff import HandoffScreen

    app = make_app()
    app.services.handoffs.create, release = _held(app.services.handoffs.create)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"separation", "enter", "t")
        await pilot.pause()
        await screen_complete(pilot)
        screen = app.screen
        assert isinstance(screen, HandoffScreen)
        await pilot.press(*"Awa Diallo", "tab", *"1234567", "tab", *"0612345678")
        screen.query_one("#motifs", Input).value = "Demande d'explication sur l'ASF"
        screen.query_one(TextArea).text = "Séparation en juin."
        screen.query_one("#consent", Select).value = "yes"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.press("escape", "escape")
        assert app.screen is screen
        release.set()
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert len(app.services.handoffs.listing()) == 1
