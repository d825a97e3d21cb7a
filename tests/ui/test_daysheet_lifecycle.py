"""Issue 14 on the day sheet (F3) at 80×24: a cancellation asks first (item 4), a mistaken
arrival or absence is undone with `z` the same day (item 4), a moved appointment says where it
went (item 6), and any agency on any date, always saying which (items 13 and 22)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from guichet.domain.clock import PARIS
from guichet.domain.models import Appointment, Channel, Kind, Status
from guichet.services.appointments import BookingRequest
from guichet.ui.app import GuichetApp
from guichet.ui.screens import daysheet
from guichet.ui.screens.ask import AskScreen
from guichet.ui.screens.daysheet import DaySheetScreen
from guichet.ui.widgets.rowlist import RowList
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import settle

SIZE = (80, 24)
TUESDAY = date(2026, 11, 24)


def _book(app: GuichetApp, hour: int, minute: int = 0, name: str = "Awa Diallo", agency: str = "nanterre",
          day: date = date(2026, 11, 23)) -> Appointment:
    return app.services.appointments.book(BookingRequest(
        agency, Kind.GCA, Channel.TELEPHONE, datetime.combine(day, datetime.min.time(), PARIS).replace(
            hour=hour, minute=minute), name, "7654321", "06 12 34 56 78"))


def _text(app: GuichetApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def _journal(app: GuichetApp) -> list[tuple[str, int | None]]:
    from guichet.store.engine import read_session
    from guichet.store.tables import JournalRow

    with read_session(app.services.engine) as session:
        rows = session.execute(select(JournalRow).order_by(JournalRow.id)).scalars()  # type: ignore[arg-type]
        return [(r.action, r.record_id) for r in rows]


async def _day_sheet(pilot: Pilot[None]) -> DaySheetScreen:
    await pilot.press("f3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DaySheetScreen)
    return screen


# -- item 4: cancel asks, arrival and absence are undone ----------------------------------------------

async def test_c_asks_before_cancelling_naming_the_time_and_the_person(make_app: AppFactory) -> None:
    app = make_app()
    booked = _book(app, 11)
    async with app.run_test(size=SIZE) as pilot:
        await _day_sheet(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, AskScreen)
        assert app.screen.question == (f"Annuler le rendez-vous n° {booked.id} du lundi 23 novembre à 11:00 : "
                                       "Awa Diallo ?\nAnnulation par la personne, définitive : le créneau sera "
                                       "proposé à d'autres.")
        await pilot.press("n")  # the safe answer: nothing changes
        await settle(pilot)
        assert isinstance(app.screen, DaySheetScreen)
        assert app.services.appointments.get(booked.id).status is Status.BOOKED
        await pilot.press("c", "enter")  # Entrée is on « Garder »
        await settle(pilot)
        assert app.services.appointments.get(booked.id).status is Status.BOOKED
        await pilot.press("c", "o")
        await settle(pilot)
        assert app.services.appointments.get(booked.id).status is Status.EXCUSED
        assert app.screen.query_one(RowList).rows[0][4] == "annulé (personne)"
        assert "annulé par la personne" in _text(app, "#day-message")
        assert _journal(app) == [("appointment.booked", booked.id), ("appointment.excused", booked.id)]


async def test_shift_c_cancels_for_the_caf_after_asking(make_app: AppFactory) -> None:
    app = make_app()
    booked = _book(app, 11, name="=Dupont [b]x[/b]")  # a name is shown literally, never as markup
    async with app.run_test(size=SIZE) as pilot:
        await _day_sheet(pilot)
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, AskScreen)
        assert "=Dupont [b]x[/b] ?\nAnnulation par la Caf" in app.screen.question
        assert "=Dupont [b]x[/b]" in str(app.screen.query_one("#ask-question", Static).render())
        await pilot.press("o")
        await settle(pilot)
        assert app.services.appointments.get(booked.id).status is Status.REVOKED
        await pilot.press("c")  # already cancelled: told, nothing asked
        await pilot.pause()
        assert isinstance(app.screen, DaySheetScreen)


async def test_a_wrong_arrival_is_undone_with_z_and_the_journal_keeps_both(make_app: AppFactory) -> None:
    app = make_app()
    booked = _book(app, 11)
    async with app.run_test(size=SIZE) as pilot:
        await _day_sheet(pilot)
        await pilot.press("a")
        await settle(pilot)
        seen = app.services.appointments.get(booked.id)
        assert seen.status is Status.SEEN and seen.checked_in_at is not None
        assert _text(app, "#day-message") == (f"11:00 Awa Diallo (n° {booked.id}) : arrivée notée · "
                                              "z pour revenir en arrière")
        await pilot.press("z")
        await settle(pilot)
        back = app.services.appointments.get(booked.id)
        assert (back.status, back.checked_in_at) == (Status.BOOKED, None)
        assert "remis en attente" in _text(app, "#day-message")
        assert _journal(app) == [("appointment.booked", booked.id), ("appointment.seen", booked.id),
                                 ("appointment.reopened", booked.id)]
        await pilot.press("z")  # nothing to undo on a booked appointment: said, nothing written
        await settle(pilot)
        assert len(_journal(app)) == 3


async def test_a_wrong_absence_is_undone_too(make_app: AppFactory) -> None:
    app = make_app()
    booked = _book(app, 11)
    app.services.context.clock.set(datetime(2026, 11, 23, 11, 10, tzinfo=PARIS))  # type: ignore[attr-defined]
    async with app.run_test(size=SIZE) as pilot:
        await _day_sheet(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert app.services.appointments.get(booked.id).status is Status.NOSHOW
        assert "absence notée · z pour revenir en arrière" in _text(app, "#day-message")
        await pilot.press("z")
        await settle(pilot)
        assert app.services.appointments.get(booked.id).status is Status.BOOKED


async def test_the_undo_hint_goes_after_a_few_seconds(make_app: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No guessed sleep: the hint is read while its delay cannot have passed (an hour), then the same
    hint is shown again with a short delay and the counts are awaited, within a deadline."""
    monkeypatch.setattr(daysheet, "HINT_SECONDS", 3600.0)
    app = make_app()
    _book(app, 11)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _day_sheet(pilot)
        await pilot.press("a")
        await settle(pilot)
        hint = _text(app, "#day-message")
        assert "z pour revenir en arrière" in hint
        monkeypatch.setattr(daysheet, "HINT_SECONDS", 0.05)
        screen._set_hint(hint)  # the same hint, due to go in 50 ms
        for _ in range(500):  # up to ~5 s on a loaded machine: the readiness signal is the counts' return
            if _text(app, "#day-message").startswith("1 rendez-vous, 0 en attente"):
                break
            await pilot.pause(0.01)
        assert _text(app, "#day-message").startswith("1 rendez-vous, 0 en attente")


async def test_an_undo_lost_to_another_counter_is_told_and_changes_nothing(make_app: AppFactory) -> None:
    app = make_app()
    booked = _book(app, 11)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await _day_sheet(pilot)
        await pilot.press("a")
        await settle(pilot)
        app.services.appointments.set_status(booked.id, Status.BOOKED)  # another counter, meanwhile
        app.services.appointments.set_status(booked.id, Status.EXCUSED)
        await pilot.press("z")  # the sheet still shows « reçu »
        await settle(pilot)
        assert app.services.appointments.get(booked.id).status is Status.EXCUSED
        assert any("déjà été modifié par un autre guichet" in n.message for n in app._notifications)
        assert [a.status for a in screen.rows] == [Status.EXCUSED]


async def test_the_cursor_stays_on_the_appointment_it_changed(make_app: AppFactory) -> None:
    app = make_app()
    _book(app, 10, 30, name="Premier")
    second = _book(app, 11, name="Second")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _day_sheet(pilot)
        await pilot.press("down", "a")
        await settle(pilot)
        assert screen.highlighted_id == second.id
        assert app.services.appointments.get(second.id).status is Status.SEEN


# -- item 6: moved ---------------------------------------------------------------------------------

async def test_a_moved_appointment_says_where_it_went(make_app: AppFactory) -> None:
    app = make_app()
    old = _book(app, 11)
    new = app.services.appointments.reschedule(old.id, datetime(2026, 11, 24, 14, 0, tzinfo=PARIS))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _day_sheet(pilot)
        [row] = screen.query_one(RowList).rows
        assert row[4] == "déplacé 24/11 14:00"
        assert "annulé" not in " ".join(row)
        assert _text(app, "#day-detail") == (f"n° {old.id} · 11:00–11:30 · déplacé au mardi 24 novembre, 14:00 "
                                             f"(n° {new.id}) · Entrée : y aller")
        await pilot.press("c")  # a moved appointment cannot be cancelled
        await pilot.pause()
        assert isinstance(app.screen, DaySheetScreen)
        await pilot.press("enter")  # to the new appointment
        await settle(pilot)
        assert screen.day == TUESDAY and screen.highlighted_id == new.id
        assert _text(app, "#day-detail").endswith(f"réservé · remplace le n° {old.id}")


async def test_enter_on_a_move_to_another_agency_opens_that_agencys_day(make_app: AppFactory) -> None:
    app = make_app()
    _book(app, 10, 30, name="Avant")
    old = _book(app, 11)
    new = app.services.appointments.reschedule(old.id, datetime(2026, 11, 25, 9, 0, tzinfo=PARIS), "montrouge")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _day_sheet(pilot)
        await pilot.press("down")
        assert "à Montrouge" in _text(app, "#day-detail")
        await pilot.press("enter")
        await settle(pilot)
        assert (screen.agency_id, screen.day, screen.highlighted_id) == ("montrouge", date(2026, 11, 25), new.id)
        assert _text(app, "#day-title") == "Rendez-vous — Montrouge — mercredi 25 novembre"
        assert app.screen.query_one("#day-notice").display  # not the counter's agency: said


# -- item 22: any agency, any date, always said ------------------------------------------------------

async def test_the_title_says_the_agency_and_the_day_in_words(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _day_sheet(pilot)
        assert _text(app, "#day-title") == "Rendez-vous — Nanterre — lundi 23 novembre (aujourd'hui)"
        assert not app.screen.query_one("#day-notice").display  # the counter's own agency
        await pilot.press("right")
        await settle(pilot)
        assert _text(app, "#day-title") == "Rendez-vous — Nanterre — mardi 24 novembre (demain)"


async def test_f7_goes_through_the_agencies_from_the_counters_own(make_app: AppFactory) -> None:
    app = make_app()
    there = _book(app, 9, agency="chatenay-malabry", day=TUESDAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _day_sheet(pilot)
        await pilot.press("right", "f7")
        await settle(pilot)
        assert screen.agency_id == "chatenay-malabry" and screen.day == TUESDAY  # the day stays
        assert _text(app, "#day-title") == "Rendez-vous — Châtenay-Malabry — mardi 24 novembre (demain)"
        notice = app.screen.query_one("#day-notice", Static)
        assert notice.display and notice.has_class("-warning")
        assert str(notice.render()) == "Attention : autre agence que celle du guichet (Nanterre) · F7 : changer"
        assert [a.id for a in screen.rows] == [there.id]
        seen = []
        for _ in range(3):
            await pilot.press("f7")
            await settle(pilot)
            seen.append(screen.agency_id)
        assert seen == ["gennevilliers", "montrouge", "nanterre"]
        assert not notice.display


async def test_d_opens_a_date_field_strict_and_in_french(make_app: AppFactory) -> None:
    from guichet.ui.screens.daysheet import DayPromptScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _day_sheet(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DayPromptScreen)
        assert isinstance(app.focused, Input)
        await pilot.press(*"32/11", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DayPromptScreen)  # stays open with the reason
        assert _text(app, "#day-prompt-error") == "Date impossible : « 32/11 » n'existe pas."
        app.screen.query_one(Input).value = ""
        await pilot.press(*"mardi", "enter")  # the letters went to the field, not to the sheet's keys
        await settle(pilot)
        assert pilot.app.screen is screen and screen.day == TUESDAY
        await pilot.press("d", *"3/12/2026", "enter")
        await settle(pilot)
        assert _text(app, "#day-title") == "Rendez-vous — Nanterre — jeudi 3 décembre"
        await pilot.press("d", *"demain", "escape")  # Échap: the day does not change
        await settle(pilot)
        assert pilot.app.screen is screen and screen.day == date(2026, 12, 3)


async def test_no_agency_for_this_counter_asks_which_never_another_silently(make_app: AppFactory) -> None:
    app = make_app(agency=None)
    booked = _book(app, 9, agency="montrouge", day=TUESDAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = DaySheetScreen(app.services, None)
        await app.push_screen(screen)
        await settle(pilot)
        assert _text(app, "#day-title") == "Rendez-vous du jour — quelle agence ?"
        assert "Aucune agence n'est réglée pour ce guichet" in _text(app, "#day-notice")
        chooser = screen.query_one(OptionList)
        assert chooser.display and app.focused is chooser
        assert [str(chooser.get_option_at_index(i).prompt) for i in range(chooser.option_count)] == [
            "Châtenay-Malabry", "Gennevilliers", "Montrouge", "Nanterre"]
        assert not screen.query_one(RowList).display and screen.rows == []
        await pilot.press("a", "c", "e")  # nothing to act on: nothing happens
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert screen.agency_id == "montrouge" and not chooser.display
        assert _text(app, "#day-title") == "Rendez-vous — Montrouge — lundi 23 novembre (aujourd'hui)"
        assert "Aucune agence réglée pour ce guichet" in _text(app, "#day-notice")
        await pilot.press("right")
        await settle(pilot)
        assert [a.id for a in screen.rows] == [booked.id]


async def test_the_screen_opens_on_the_agency_and_day_it_is_given(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = DaySheetScreen(app.services, "gennevilliers", TUESDAY)
        await app.push_screen(screen)
        await settle(pilot)
        assert _text(app, "#day-title") == "Rendez-vous — Gennevilliers — mardi 24 novembre (demain)"
        assert app.screen.query_one("#day-notice").display


# -- snapshots -------------------------------------------------------------------------------------

def _morning(make_app: AppFactory) -> GuichetApp:
    app = make_app()
    _book(app, 10, 30, name="Awa Diallo")
    moved = _book(app, 11, name="Jean Dupont")
    app.services.appointments.reschedule(moved.id, datetime(2026, 11, 24, 14, 0, tzinfo=PARIS))
    _book(app, 11, 30, name="Li Wei")
    return app


def test_snapshot_day_sheet_with_a_moved_row_and_the_undo_hint(make_app: AppFactory, snap_compare: object) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("a", "down")
        await settle(pilot)

    assert snap_compare(_morning(make_app), run_before=run_before, terminal_size=SIZE)  # type: ignore[operator]


def test_snapshot_day_sheet_of_another_agency(make_app: AppFactory, snap_compare: object) -> None:
    app = make_app()
    _book(app, 9, agency="chatenay-malabry", day=TUESDAY, name="Paul Martin")

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("right", "f7")
        await settle(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)  # type: ignore[operator]


def test_snapshot_cancel_question(make_app: AppFactory, snap_compare: object) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()

    assert snap_compare(_morning(make_app), run_before=run_before, terminal_size=SIZE)  # type: ignore[operator]


def test_snapshot_no_agency_chosen(make_app: AppFactory, snap_compare: object) -> None:
    app = make_app(agency=None)

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await app.push_screen(DaySheetScreen(app.services, None))
        await settle(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)  # type: ignore[operator]


def test_snapshot_date_field(make_app: AppFactory, snap_compare: object) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("d", *"31/11", "enter")
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)  # type: ignore[operator]
