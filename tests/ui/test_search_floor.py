"""Below the search's confidence floor, the screen puts no service forward: it says so and
offers the closest themes, which the agent picks with ↓ or Entrée."""

from __future__ import annotations

from textual.widgets import OptionList, Static

from guichet.ui.screens.search import SearchScreen
from guichet.ui.widgets.orientation_card import OrientationCard
from tests.ui.conftest import AppFactory

OUT_OF_SCOPE = "loyer du garage parking"  # tests/unit/test_search_colloquial.py: a weak match, themes only


async def _typed(app: object, pilot: object, text: str) -> SearchScreen:
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press(*text)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, SearchScreen)
    return screen


async def test_a_weak_match_puts_nothing_forward(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _typed(app, pilot, OUT_OF_SCOPE)
        results = screen.query_one("#results", OptionList)
        assert results.option_count >= 1  # the closest themes are offered
        assert results.highlighted is None
        assert screen.query_one(OrientationCard).service is None
        assert "thèmes proches" in str(screen.query_one("#results-status", Static).render())


async def test_entree_then_entree_opens_the_chosen_theme(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _typed(app, pilot, OUT_OF_SCOPE)
        await pilot.press("enter")
        await pilot.pause()
        results = screen.query_one("#results", OptionList)
        assert results.highlighted == 0 and results.has_focus
        await pilot.press("enter")
        await pilot.pause()
        card = screen.query_one(OrientationCard)
        assert card.has_focus and card.service is not None and card.service.id == screen.hits[0].service.id


async def test_down_picks_the_first_theme(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _typed(app, pilot, OUT_OF_SCOPE)
        await pilot.press("down")
        await pilot.pause()
        assert screen.query_one("#results", OptionList).highlighted == 0
        assert screen.query_one(OrientationCard).service is screen.hits[0].service


async def test_a_confident_match_is_put_forward_as_before(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _typed(app, pilot, "mon copain me tape")
        assert screen.query_one("#results", OptionList).highlighted == 0
        card = screen.query_one(OrientationCard)
        assert card.service is not None and card.service.id == "violences-conjugales"
        assert "résultat(s) · ↑↓ Entrée" in str(screen.query_one("#results-status", Static).render())
