"""Issue 17, item 3: the statistics screen (F12) at 80×24, on a database built with known counts.

People received through the reception log (``services.passages``, with the clock moved by hand), three
appointments and two handoffs; every figure asserted as the screen shows it."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from guichet.domain.clock import PARIS, FixedClock
from guichet.domain.handoff import Contact, HandoffDraft, HandoffStatus
from guichet.domain.models import Channel, Kind, LifeEvent, Status
from guichet.domain.passage import Half, Outcome, PassageChannel
from guichet.domain.stats import (
    DEFINITIONS,
    AppointmentFigures,
    Count,
    HalfDay,
    HandoffFigures,
    PassageFigures,
    Period,
    PeriodKind,
    Statistics,
)
from guichet.errors import DatabaseUnreachable
from guichet.services import Services
from guichet.services.appointments import BookingRequest
from guichet.ui.app import GuichetApp
from guichet.ui.keys import screen_keys
from guichet.ui.screens import stats
from guichet.ui.screens.stats import RangePromptScreen, StatsScreen, shifted
from guichet.ui.screens.stats_view import bar_width, render
from tests.conftest import FIXED_NOW
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import _held, settle

SIZE = (80, 24)


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=PARIS)


def _person(services: Services, clock: FixedClock, start: datetime, minutes: int, *,
            service: str | None = None, outcome: Outcome | None = None, ref: object = "") -> None:
    """One person received from ``start`` for ``minutes``: a card read, an outcome, then Ctrl+N."""
    clock.set(start)
    services.passages.touch()
    if service is not None:
        found = services.service(service)
        services.passages.consulted(found, services.advise(found))
    if outcome is not None:
        services.passages.record(outcome, ref)
    clock.advance(timedelta(minutes=minutes))
    services.passages.close()


def fill(services: Services) -> dict[str, int]:
    """The known database (Nanterre unless said): Friday 20 November, 3 people (2 in the morning at the
    counter: 5 and 7 min; 1 in the afternoon on the phone: 3 min); Monday 23, 5 people in the morning
    (4, 6 min at the counter, 2 min on the phone, a quick question, one still at the counter) and one at
    Châtenay-Malabry; 3 appointments on Monday (received, absent, booked); 2 handoffs (2 November,
    transmitted and overdue; 23 November, to transmit)."""
    clock = services.clock
    assert isinstance(clock, FixedClock)
    first, second = (s.id for s in services.catalog.services[:2])
    passages = services.passages
    _person(services, clock, _at(20, 9), 5, service=first)
    _person(services, clock, _at(20, 9, 10), 7)
    passages.toggle_channel()
    _person(services, clock, _at(20, 14), 3, service=second)
    passages.toggle_channel()
    book = services.appointments.book
    clock.set(_at(20, 15))
    seen, absent, booked = (book(BookingRequest("nanterre", Kind.GCA, Channel.TELEPHONE, _at(23, hour, minute),
                                                name, "7654321", "06 12 34 56 78")).id
                            for hour, minute, name in ((11, 0, "Awa Diallo"), (11, 30, "Li Wei"), (14, 0, "Paul Roy")))
    _person(services, clock, _at(23, 9), 4, service=first)
    _person(services, clock, _at(23, 9, 10), 6, service=first, outcome=Outcome.APPOINTMENT, ref=booked)
    passages.toggle_channel()
    _person(services, clock, _at(23, 9, 20), 2, service=second)
    passages.toggle_channel()
    clock.set(_at(23, 9, 30))
    passages.quick_question()
    settings = services.settings
    services.settings = replace(settings, agency="chatenay-malabry")
    _person(services, clock, _at(23, 9, 40), 5)
    services.settings = settings
    clock.set(_at(23, 9, 50))
    passages.touch()  # still at the counter
    passages.flush()
    clock.set(_at(23, 11, 40))
    services.appointments.set_status(seen, Status.SEEN)
    services.appointments.set_status(absent, Status.NOSHOW)
    clock.set(_at(2, 10))
    late = services.handoffs.create(_draft(LifeEvent.SEPARATION))
    services.handoffs.set_status(late.id, HandoffStatus.TRANSMISE)  # due 12 November: late on the 23rd
    clock.set(FIXED_NOW)
    services.handoffs.create(_draft(LifeEvent.IMPAYE_LOYER))
    return {"late": late.id}


def _draft(event: LifeEvent) -> HandoffDraft:
    return HandoffDraft(name="Awa Diallo", life_event=event, motifs="Demande d'accompagnement",
                        comment="Situation récente.", benefits=("ASF",), contact=Contact.COURRIER,
                        file_number="1234567", consent=True)


def _text(app: GuichetApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _stats(pilot: Pilot[None]) -> None:
    await pilot.press("f12")
    await settle(pilot)


# -- the figures, as shown ---------------------------------------------------------------------------

async def test_f12_shows_today_at_this_counters_agency_with_every_figure(make_app: AppFactory) -> None:
    app = make_app()
    fill(app.services)
    first, second = (s.title for s in app.services.catalog.services[:2])
    async with app.run_test(size=SIZE) as pilot:
        await _stats(pilot)
        assert isinstance(app.screen, StatsScreen)
        assert _text(app, "#stats-title") == "Statistiques de l'accueil — Nanterre"
        assert _text(app, "#stats-period") == "Période : aujourd'hui, lundi 23 novembre 2026"
        assert _text(app, "#stats-status").startswith("Calculé à 10:00, actualisé chaque minute")
        figures = _figures(app)
        for line in (
            "  Total : 5 (au guichet 4 · au téléphone 1)",
            "  Moyenne par demi-journée : 5,0 (sur 1 avec au moins une personne)",
            "  Demi-journée la plus chargée : lun. 23/11 matin (5)",
            "  Durée médiane : 4 min 00 s (sur 3 accueils terminés)",  # 4, 6 and 2 min; no quick question
            "  Accueils encore en cours : 1",
            "  2  renseigné", "  1  rendez-vous réservé", "  1  question rapide",
            f"  2  {first}", f"  1  {second}",
            "  Total : 3 · taux d'absence 50,0 % (1 sur 2)",
            "  reçu 1 · absent 1 · annulé par la personne 0 · annulé par la Caf 0 · déplacé 0 · réservé 1",
            "  GCA par téléphone : 3 — reçu 1 · absent 1 · réservé 1 · taux d'absence 50,0 % (1 sur 2)",
            "  Total : 1", "  Par événement : Impayés de loyer 1", "  Par statut : À transmettre 1",
        ):
            assert line in figures.splitlines(), line
        # The chart: Monday's morning, 4 at the counter (█) and 1 on the phone (▒), the busiest: a full bar.
        room = bar_width(77)
        assert f"  lun. 23/11 {'█' * (room * 4 // 5)}{'▒' * (room // 5)}    5" in figures
        # Each block says what it counts; F1 lists the screen's keys in French.
        for key in ("passages", "half_days", "outcomes", "top_services", "median", "appointments", "handoffs"):
            assert f"  {DEFINITIONS[key]}" in figures.splitlines()
        descriptions = {entry.binding.id: entry.description for entry in screen_keys(app.screen)}
        assert descriptions["stats.range"] == "Dates" and descriptions["stats.previous"] == "Période précédente"


def _figures(app: GuichetApp) -> str:
    """The figures as shown, each long line unfolded (folded lines go on 4 columns in)."""
    return re.sub(r"\n {4}(?=\S)", " ", _text(app, "#stats-figures"))


async def test_period_keys_neighbours_and_agencies(make_app: AppFactory) -> None:
    app = make_app()
    late = fill(app.services)["late"]
    async with app.run_test(size=SIZE) as pilot:
        await _stats(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert _text(app, "#stats-period") == "Période : ce mois-ci, du dimanche 1 novembre au lundi 30 novembre 2026"
        lines = _figures(app).splitlines()
        assert "  Total : 8 (au guichet 6 · au téléphone 2)" in lines
        assert "  Durée médiane : 4 min 30 s (sur 6 accueils terminés)" in lines  # 2 3 4 | 5 6 7 min
        assert "  Moyenne par demi-journée : 2,7 (sur 3 avec au moins une personne)" in lines
        assert [line[:13] for line in lines if line.startswith("  ven. ") or line.startswith("  lun. 23/11 ")] == [
            "  ven. 20/11 ", "  lun. 23/11 "]
        room = bar_width(77)  # 25 cells: the busiest half-day (5) fills them, 2 people take 10, 1 takes 5
        assert f"  ven. 20/11 {'█' * 10}{' ' * (room - 10)}    2   {'▒' * 5}{' ' * (room - 5)}    1" in lines
        assert f"  En retard : 1 — n° {late} (F9 : les suivre)" in lines  # transmitted 2 November, due the 12th
        await pilot.press("s", "left")
        await settle(pilot)
        assert _text(app, "#stats-period") == "Période : du lundi 16 novembre au dimanche 22 novembre 2026"
        assert "  Total : 3 (au guichet 2 · au téléphone 1)" in _figures(app).splitlines()
        await pilot.press("right")
        await settle(pilot)
        assert _text(app, "#stats-period") == ("Période : cette semaine, du lundi 23 novembre au dimanche "
                                               "29 novembre 2026")
        # F7: the other agencies, then all of them, then back to this counter's.
        names = [a.name for a in app.services.agencies_counter_first()]
        seen = []
        for _agency in range(len(names) + 1):
            await pilot.press("f7")
            await settle(pilot)
            seen.append(_text(app, "#stats-title").removeprefix("Statistiques de l'accueil — "))
        assert seen == [*(f"{name} (ce guichet : Nanterre)" for name in names[1:]),
                        "toutes les agences (ce guichet : Nanterre)", "Nanterre"]
        await pilot.press(*["f7"] * names.index("Châtenay-Malabry"), "j")
        await settle(pilot)
        assert _text(app, "#stats-title").endswith("Châtenay-Malabry (ce guichet : Nanterre)")
        assert "  Total : 1 (au guichet 1 · au téléphone 0)" in _figures(app).splitlines()


async def test_dates_typed_wrong_say_why_and_keep_the_figures(make_app: AppFactory) -> None:
    app = make_app()
    fill(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await _stats(pilot)
        before = _figures(app)
        await pilot.press("d", *"31/11", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RangePromptScreen)
        assert _text(app, "#range-error") == "Date impossible : « 31/11 » n'existe pas."
        await pilot.press("escape")
        await settle(pilot)
        assert _text(app, "#stats-period") == "Période : aujourd'hui, lundi 23 novembre 2026"
        assert _figures(app) == before
        await pilot.press("d", *"23/11", "enter", *"20/11", "enter")
        await pilot.pause()
        assert _text(app, "#range-error") == ("Période vide : le vendredi 20 novembre 2026 est avant le "
                                              "lundi 23 novembre 2026.")
        assert app.screen.query_one("#range-first", Input).value == "23/11"  # nothing typed is lost
        await pilot.press("shift+tab", *"20/11", "tab", *"23/11", "enter")  # a field reached selects its text
        await settle(pilot)
        assert _text(app, "#stats-period") == "Période : du vendredi 20 novembre au lundi 23 novembre 2026"
        assert "  Total : 8 (au guichet 6 · au téléphone 2)" in _figures(app).splitlines()


async def test_an_empty_log_says_nobody_was_received(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _stats(pilot)
        lines = _figures(app).splitlines()
        assert lines[:2] == ["Personnes reçues", "  Aucune personne reçue sur la période : rien au journal d'accueil "
                             "pour Nanterre, aujourd'hui, lundi 23 novembre 2026."]
        assert "  Aucun rendez-vous dont le créneau tombe dans la période." in lines
        assert "  Aucun passage de relais enregistré pendant la période." in lines
        await pilot.press("l")  # the definitions hidden, then shown again
        assert DEFINITIONS["passages"] not in _figures(app)
        await pilot.press("l")
        assert f"  {DEFINITIONS['passages']}" in _figures(app).splitlines()


async def test_calcul_then_a_failure_in_french_keeping_the_figures(make_app: AppFactory,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app()
    fill(app.services)
    compute = app.services.stats.compute
    held, release = _held(compute)
    async with app.run_test(size=SIZE) as pilot:
        await _stats(pilot)
        before = _figures(app)
        monkeypatch.setattr(app.services.stats, "compute", held)
        await pilot.press("r")
        await pilot.pause()
        assert _text(app, "#stats-status") == "Calcul…"
        assert _figures(app) == before
        release.set()
        await settle(pilot)
        assert _text(app, "#stats-status").startswith("Calculé à 10:00")

        def unreachable(*_args: object) -> None:
            raise DatabaseUnreachable("serveur muet")

        monkeypatch.setattr(app.services.stats, "compute", unreachable)
        await pilot.press("m")
        await settle(pilot)
        assert _text(app, "#stats-status") == ("Base de données injoignable : réessayez dans un instant. "
                                               "Chiffres ci-dessous : Nanterre, aujourd'hui, lundi 23 novembre "
                                               "2026 (calculés à 10:00).")
        assert _figures(app) == before


async def test_the_figures_refresh_on_their_own(make_app: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stats, "REFRESH_SECONDS", 0.2)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _stats(pilot)
        assert "Aucune personne reçue" in _figures(app)
        app.services.passages.quick_question()  # another counter, say
        app.services.passages.flush()
        await pilot.pause(0.5)
        await settle(pilot)
        assert "  Total : 1 (au guichet 1 · au téléphone 0)" in _figures(app).splitlines()


def test_names_from_data_files_are_shown_literally() -> None:
    period = Period.of(PeriodKind.JOUR, FIXED_NOW.date())
    figures = PassageFigures(total=1, by_channel={PassageChannel.GUICHET: 1},
                             half_days=(HalfDay(FIXED_NOW.date(), Half.MATIN, 1, 0),),
                             outcomes=(Count("partenaire:x", "orienté vers un partenaire : [b]Ma[/b] $x", 1),),
                             top_services=(Count("x", "[red]AF[/red]", 1),))
    shown = render(Statistics("nanterre", "[i]Nanterre[/i]", period, FIXED_NOW, figures, AppointmentFigures(),
                              HandoffFigures()))
    assert "  1  orienté vers un partenaire : [b]Ma[/b] $x" in shown.plain.splitlines()
    assert "  1  [red]AF[/red]" in shown.plain.splitlines()


def test_neighbouring_periods_keep_their_shape() -> None:
    today = FIXED_NOW.date()  # Monday 23 November 2026
    december = Period.of(PeriodKind.MOIS, date(2026, 12, 15))
    january = shifted(december, PeriodKind.MOIS, 1, today)
    assert (january.first, january.last, january.kind) == (date(2027, 1, 1), date(2027, 1, 31), PeriodKind.PLAGE)
    back = shifted(december, PeriodKind.MOIS, -1, today)  # November: the month around today keeps its name
    assert (back.first, back.last, back.kind) == (date(2026, 11, 1), date(2026, 11, 30), PeriodKind.MOIS)
    typed = Period(date(2026, 11, 20), date(2026, 11, 23))  # 4 days typed: the 4 before
    earlier = shifted(typed, PeriodKind.PLAGE, -1, today)
    assert (earlier.first, earlier.last) == (date(2026, 11, 16), date(2026, 11, 19))
    assert shifted(Period.of(PeriodKind.JOUR, today), PeriodKind.JOUR, 1, today).label == "mardi 24 novembre 2026"


def test_snapshot_month_at_80x24(make_app: AppFactory, snap_compare: object) -> None:
    app = make_app()
    fill(app.services)

    async def run_before(pilot: Pilot[None]) -> None:
        await _stats(pilot)
        await pilot.press("m")
        await settle(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)  # type: ignore[operator]
