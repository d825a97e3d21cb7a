"""The reception log in the interface (issue 17, items 1 and 2): a whole flow with distinctive names
leaves no trace of the person in the passage rows; Ctrl+N, the idle delay and quitting close the
passage; Ctrl+T and Ctrl+R in one key; the header counts the people received this half-day."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static, TextArea

from guichet.domain.clock import FixedClock
from guichet.services import Services
from guichet.ui.app import GuichetApp
from guichet.ui.workers import workers_done
from tests.ui.conftest import AppFactory

SIZE = (80, 24)
NAME, FILE_NUMBER, PHONE = "Zéphyrine Quibbleworth", "7654321", "0698765432"
SEARCHED = "Xylophone"  # typed in the search by mistake: never kept either


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await workers_done(pilot.app)
    await pilot.pause()


def _rows(services: Services, table: str) -> list[tuple[object, ...]]:
    with services.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY id")).all()]


def _status(app: GuichetApp) -> str:
    return str(app.screen.query_one("#header-status", Static).render())


async def test_a_whole_flow_keeps_nothing_about_the_person(make_app: AppFactory) -> None:
    app = make_app(workstation="guichet-7")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*SEARCHED, "ctrl+u", *"apl pas versee", "enter")  # the card: read to the person
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("enter", *NAME, "enter", *FILE_NUMBER, "enter", *PHONE, "ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmationScreen"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("slash", *"separation", "enter", "t")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "HandoffScreen"
        form.query_one("#name", Input).value = NAME
        form.query_one("#file-number", Input).value = FILE_NUMBER
        form.query_one("#phone", Input).value = PHONE
        form.query_one("#motifs", Input).value = "Demande d'explication sur l'ASF"
        form.query_one(TextArea).text = f"{NAME} : séparation en juin"
        form.query_one("#consent", Select).value = "yes"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        services = app.services
        passages, items = _rows(services, "passage"), _rows(services, "passage_item")
        assert "reçus 1 ici · 1 agence" in _status(app)
    # One person, closed at Ctrl+N, with what was read and done: ids and catalog codes only.
    assert len(passages) == 1 and passages[0][-1] == "suivant" and passages[0][2] == "guichet-7"
    kinds = [(kind, ref) for _id, _passage, _agency, _day, kind, ref in items]
    assert [k for k, _r in kinds] == ["service", "rendez_vous", "service", "relais"]
    assert kinds[0][1] == "apl-non-versee" and kinds[2][1] == "separation-divorce"
    assert kinds[1][1].isdigit() and kinds[3][1].isdigit()
    # Nothing about the person in any column: not the name (nor a part of it), the file number, the phone,
    # nor what was typed in the search.
    dump = repr([*passages, *items]).lower()
    for secret in (NAME.lower(), "quibbleworth", "zéphyrine", FILE_NUMBER, PHONE, SEARCHED.lower(), "pas versee"):
        assert secret not in dump, secret


async def test_ctrl_t_and_ctrl_r_in_one_key(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        header = app.screen.query_one("CounterHeader")
        assert header.has_class("-phone")  # « au tél. » shown before the figures
        await pilot.press("ctrl+r")  # a quick question, on the phone, with no search
        await settle(pilot)
        assert "reçus 1 ici · 1 agence" in _status(app)
        await pilot.press("f3")  # every header says the same (the day sheet opens no passage)
        await settle(pilot)
        assert "reçus 1 ici · 1 agence" in _status(app) and app.screen.query_one("CounterHeader").has_class("-phone")
        rows = _rows(app.services, "passage")
    assert [(row[4], row[-1], row[-2]) for row in rows] == [("telephone", "rapide", None)]


async def test_an_idle_passage_closes_at_its_last_key(make_app: AppFactory) -> None:
    app = make_app()
    clock = app.services.clock
    assert isinstance(clock, FixedClock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"caf")
        clock.advance(timedelta(minutes=4))
        await pilot.press("space", *"app")  # still typing: the passage lives on
        clock.advance(timedelta(minutes=10))
        app._reception_tick()
        await settle(pilot)
        rows = _rows(app.services, "passage")
    assert [(row[-2], row[-1]) for row in rows] == [(240, "inactif")]


async def test_quitting_closes_and_writes_the_passage(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"caf")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert [row[-1] for row in _rows(app.services, "passage")] == ["fin"]


async def test_looking_at_the_day_sheet_opens_no_passage(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for key in ("f3", "f9", "f10", "escape"):
            await pilot.press(key)
            await settle(pilot)
        assert app.services.passages.current is None
