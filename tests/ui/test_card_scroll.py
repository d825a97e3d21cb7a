"""The orientation card and the agencies' detail at 80×24: everything reachable by keyboard
(issue 14, item 8), and the card's questions shown as not asked until answered (item 15)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from guichet.ui.screens.agencies import AgenciesScreen
from guichet.ui.screens.emergency import EmergencyScreen
from guichet.ui.screens.search import SearchScreen
from guichet.ui.widgets.orientation_card import OrientationCard
from tests.ui.conftest import AppFactory
from tests.ui.test_hostile_text import screen_text
from tests.ui.test_screens import settle

SIZE = (80, 24)


async def _card_of(pilot: Pilot[None], text: str) -> OrientationCard:
    """Type ``text`` in the search field, Entrée: the card of the first result, focused."""
    await pilot.press(*text, "enter")
    await pilot.pause()
    card = pilot.app.screen.query_one(OrientationCard)
    assert pilot.app.focused is card
    return card


def _card_lines(app: object) -> str:
    """The card's column of the screen (right of the result list), as shown."""
    return "\n".join(line[32:] for line in screen_text(app).splitlines())  # type: ignore[arg-type]


# -- the card scrolls -------------------------------------------------------------------------------
async def test_the_questions_are_in_view_without_scrolling(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        card = await _card_of(pilot, "separation")
        assert card.scroll_y == 0
        shown = _card_lines(app)
        assert "u · Urgence sociale" in shown, shown
        for question in ("s · Suivi social en cours", "c · Suivi Caf déjà clôturé", "d · Événement > 2 ans",
                         "e · Enfant à charge/attendu"):  # every question of the 92's perimeter for a separation
            assert question in shown, shown


async def test_end_on_the_card_shows_what_to_bring(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        card = await _card_of(pilot, "separation")
        assert card.service is not None and card.service.bring
        last = card.service.bring[-1]
        assert card.max_scroll_y > 0  # the card is taller than its pane at 80×24
        assert "suite" in str(card.border_subtitle)  # and says so on its border
        await pilot.press("end")
        await pilot.pause()
        assert card.scroll_y > 0 and card.scroll_y == card.max_scroll_y
        assert not card.border_subtitle
        shown = _card_lines(app)
        assert "À apporter ou vérifier" in shown and f"• {last}" in shown, shown
        await pilot.press("home")
        await pilot.pause()
        assert card.scroll_y == 0


async def test_page_keys_scroll_the_card(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        card = await _card_of(pilot, "separation")
        await pilot.press("pagedown")
        await pilot.pause()
        assert card.scroll_y == card.max_scroll_y > 0  # the card is less than two pages long
        await pilot.press("pageup")
        await pilot.pause()
        assert card.scroll_y == 0
        await pilot.press("down", "down")
        await pilot.pause()
        assert card.scroll_y == min(2, card.max_scroll_y)


async def test_arrows_on_the_card_keep_its_service_and_answers(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        card = await _card_of(pilot, "separation")
        service = card.service
        await pilot.press("s", "d")  # already followed, event more than 2 years old
        answers = card.answers
        assert answers.already_followed and answers.out_of_window
        results = app.screen.query_one("#results")
        highlighted = results.highlighted  # type: ignore[attr-defined]
        await pilot.press("down", "down", "down", "pagedown", "end", "up", "pageup", "home", "down")
        await pilot.pause()
        assert card.service is service
        assert card.answers == answers
        assert results.highlighted == highlighted  # type: ignore[attr-defined]
        assert app.focused is card


async def test_arrows_still_scroll_when_the_card_is_short(make_app: AppFactory) -> None:
    """A card that fits keeps ↓ too: the key never falls through to the list."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        card = await _card_of(pilot, "separation")
        assert card.max_scroll_y == 0
        service = card.service
        await pilot.press("s", "down", "down")
        await pilot.pause()
        assert card.service is service and card.answers.already_followed


async def test_question_keys_work_once_scrolled(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        card = await _card_of(pilot, "separation")
        await pilot.press("end", "d")
        await pilot.pause()
        assert card.answers.out_of_window
        assert card.advice is not None and card.advice.desk.value == "partenaire"
        await pilot.press("home")
        await pilot.pause()
        assert "d · Événement > 2 ans : oui" in _card_lines(app)


async def test_another_service_shows_its_card_from_the_top(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        card = await _card_of(pilot, "separation")
        await pilot.press("end", "escape", "down")  # back to the search field, next service
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert card.service is app.screen.hits[1].service
        assert card.scroll_y == 0


# -- the agencies' detail scrolls ---------------------------------------------------------------------
async def test_page_down_scrolls_the_agency_detail(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AgenciesScreen)
        agency = screen.statuses[0].agency
        assert agency.notes and "À savoir" not in screen_text(app)  # below the fold at 80×24
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()
        shown = screen_text(app)
        assert "À savoir" in shown, shown
        assert agency.name in shown  # still the first agency's detail: the table did not move
        await pilot.press("pageup", "pageup", "pageup")
        await pilot.pause()
        assert "À savoir" not in screen_text(app)


async def test_tab_gives_the_agency_detail_the_arrows(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("tab")
        await pilot.pause()
        pane = app.screen.query_one("#agency-detail-pane")
        assert app.focused is pane
        await pilot.press("end")
        await pilot.pause()
        assert pane.scroll_y == pane.max_scroll_y > 0
        assert "À savoir" in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert pane.scroll_y == 0


# -- the questions shown as not asked ------------------------------------------------------------------
async def test_questions_nobody_asked_say_so(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _card_of(pilot, "separation")
        shown = _card_lines(app)
        assert "Urgence sociale : non demandé" in shown, shown
        assert "Suivi social en cours : non demandé" in shown
        assert "Urgence sociale : non\n" not in shown + "\n"


async def test_an_answer_replaces_not_asked(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        card = await _card_of(pilot, "separation")
        await pilot.press("s", "s")  # yes, then no
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, EmergencyScreen)
        await pilot.press("enter")  # « Non, pas d'urgence sociale »
        await pilot.pause()
        assert card.answers.is_asked("emergency") and card.answers.emergency is None
        shown = _card_lines(app)
        assert "Suivi social en cours : non" in shown and "Suivi social en cours : non demandé" not in shown
        assert "Urgence sociale : non" in shown and "Urgence sociale : non demandé" not in shown
        assert "Événement > 2 ans : non demandé" in shown


async def test_escape_on_the_emergency_question_leaves_it_not_asked(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        card = await _card_of(pilot, "separation")
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is card
        assert not card.answers.is_asked("emergency")
        assert "Urgence sociale : non demandé" in _card_lines(app)


# -- snapshot --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [pytest.param(SIZE, id="80x24")])
def test_snapshot_card_scrolled_to_the_end(make_app: AppFactory, snap_compare: object,
                                           size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), press=[*"separation", "enter", "s", "end"],  # type: ignore[operator]
                        terminal_size=size)


@pytest.mark.parametrize("size", [pytest.param(SIZE, id="80x24")])
def test_snapshot_agency_detail_scrolled(make_app: AppFactory, snap_compare: object, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=size)  # type: ignore[operator]
