"""The app's shell (issue 14): Ctrl+Q and Ctrl+N ask before a form is lost, Ctrl+N works from
every screen, the top-level screens are switched (modes) rather than stacked, the first launch
asks for the counter's agency, and the settings never drop a change silently."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from guichet.ui.app import GuichetApp
from guichet.ui.screens.agencies import AgenciesScreen
from guichet.ui.screens.ask import AskScreen
from guichet.ui.screens.booking import BookingScreen
from guichet.ui.screens.daysheet import DaySheetScreen
from guichet.ui.screens.search import SearchScreen
from guichet.ui.screens.settings import SettingsScreen
from guichet.ui.widgets.orientation_card import OrientationCard
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import settle

SIZE = (80, 24)


def exits(app: GuichetApp) -> list[bool]:
    """Record the app's exit instead of exiting (so that the test can go on looking)."""
    calls: list[bool] = []
    app.exit = lambda *_args, **_kwargs: calls.append(True)  # type: ignore[method-assign]
    return calls


def every_screen(app: GuichetApp) -> list[Any]:
    """Every screen the app holds (in every mode)."""
    stacks = getattr(app, "_screen_stacks", {"": app.screen_stack})
    return [screen for stack in stacks.values() for screen in stack]


async def type_in_booking(pilot: Pilot[None], name: str = "Jean Dupont") -> BookingScreen:
    """F4, then a name typed in the form."""
    await pilot.press("f4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BookingScreen)
    screen.query_one("#name", Input).focus()
    await pilot.press(*name)
    await pilot.pause()
    return screen


def shown(app: GuichetApp) -> object:
    """The screen shown (typed loosely: a test compares it to several screens in turn)."""
    return app.screen


def question(app: GuichetApp) -> str:
    screen = app.screen
    assert isinstance(screen, AskScreen), screen
    return screen.question


# -- item 3: Ctrl+Q ------------------------------------------------------------------------------

async def test_ctrl_q_quits_at_once_when_nothing_is_typed(make_app: AppFactory) -> None:
    app = make_app()
    quit_calls = exits(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert quit_calls == [True]
        assert not isinstance(app.screen, AskScreen)


async def test_ctrl_q_asks_before_dropping_a_booking_form(make_app: AppFactory) -> None:
    app = make_app()
    quit_calls = exits(app)
    async with app.run_test(size=SIZE) as pilot:
        form = await type_in_booking(pilot, "Jean")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert question(app) == "Quitter guichet ? Vous perdrez : un rendez-vous en cours de saisie."
        await pilot.press("n")  # the safe answer: nothing lost, still typing
        await pilot.pause()
        assert quit_calls == [] and app.screen is form
        assert form.query_one("#name", Input).value == "Jean"
        await pilot.press("ctrl+q", "o")
        await pilot.pause()
        assert quit_calls == [True]


async def test_ctrl_q_sees_a_form_left_in_another_screen(make_app: AppFactory) -> None:
    """The booking form kept while the agent looks at the agencies (F2) still counts."""
    app = make_app()
    quit_calls = exits(app)
    async with app.run_test(size=SIZE) as pilot:
        await type_in_booking(pilot, "Jean")
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, AgenciesScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert "un rendez-vous en cours de saisie" in question(app)
        await pilot.press("escape")
        await pilot.pause()
        assert quit_calls == [] and isinstance(app.screen, AgenciesScreen)


@pytest.mark.slow  # the handoff form: > 5 s on the 2-core machine
async def test_ctrl_q_asks_before_dropping_a_handoff_form(make_app: AppFactory) -> None:
    app = make_app()
    quit_calls = exits(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"separation", "enter", "t")
        await settle(pilot)
        await pilot.press(*"Awa Diallo")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert "un passage de relais en cours de saisie" in question(app)
        await pilot.press("n")
        assert quit_calls == []


async def test_ctrl_q_asks_before_dropping_changed_settings(make_app: AppFactory) -> None:
    app = make_app()
    quit_calls = exits(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#agency", Select).value = "gennevilliers"  # only the agency changed
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert question(app) == "Quitter guichet ? Vous perdrez : des réglages non enregistrés."
        await pilot.press("o")
        await pilot.pause()
        assert quit_calls == [True]


# -- item 7: Ctrl+N from everywhere ----------------------------------------------------------------

async def assert_empty_search(app: GuichetApp, pilot: Pilot[None]) -> None:
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, SearchScreen), screen
    field = screen.query_one("#search-input", Input)
    assert field.value == "" and app.focused is field
    card = screen.query_one(OrientationCard)
    assert card.answers.already_followed is None and card.answers.emergency is None
    assert screen.hits and card.service is screen.hits[0].service  # the most asked services again
    assert [type(s) for s in every_screen(app)] == [SearchScreen]  # nothing else is held


@pytest.mark.parametrize("keys", [
    pytest.param(["f2"], id="agencies"),
    pytest.param(["f3"], id="day-sheet"),
    pytest.param(["f9"], id="handoffs"),
    pytest.param(["f10"], id="settings"),
    pytest.param(["f4"], id="booking-empty"),
    pytest.param([*"apl pas versee", "enter", "s"], id="card"),
    pytest.param([*"divorce"], id="search-field"),
    pytest.param(["f2", "f3", "f4", "f1"], id="help-over-three-screens"),
])
async def test_ctrl_n_from_any_screen_starts_an_empty_search(make_app: AppFactory, keys: list[str]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("ctrl+n")
        await assert_empty_search(app, pilot)


async def test_ctrl_n_asks_before_dropping_a_typed_booking(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await type_in_booking(pilot, "Jean")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Vous perdrez : un rendez-vous en cours de saisie." in question(app)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and form.query_one("#name", Input).value == "Jean"
        await pilot.press("ctrl+n", "o")
        await assert_empty_search(app, pilot)
        await pilot.press("f4")  # a new, empty form: nothing of the previous person
        await settle(pilot)
        assert isinstance(app.screen, BookingScreen) and app.screen is not form
        assert app.screen.query_one("#name", Input).value == ""


async def test_ctrl_n_from_the_confirmation(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("enter", *"Jean Dupont", "enter", "enter", *"0612345678", "ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmationScreen"
        await pilot.press("ctrl+n")
        await assert_empty_search(app, pilot)


# -- item 12: switched, not stacked ------------------------------------------------------------------

async def escapes_to_search(app: GuichetApp, pilot: Pilot[None], limit: int = 20) -> int:
    count = 0
    while not isinstance(app.screen, SearchScreen) and count < limit:
        await pilot.press("escape")
        await settle(pilot)
        count += 1
    return count


async def test_f_keys_switch_screens_and_escape_is_one_step_from_the_search(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        for _ in range(8):
            await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, DaySheetScreen)
        assert len(every_screen(app)) == 2  # the search and the day sheet: nothing piled up
        assert await escapes_to_search(app, pilot) <= 2
        for key in ("f2", "f3", "f9", "f10", "f2", "f3"):
            await pilot.press(key)
            await settle(pilot)
        assert len(every_screen(app)) == 2
        assert await escapes_to_search(app, pilot) == 1


async def test_escape_from_a_dialog_goes_back_to_its_screen_then_to_the_search(make_app: AppFactory) -> None:
    from guichet.ui.screens.handoffs import HandoffsScreen
    from tests.ui.test_french_everywhere import _handoff

    app = make_app()
    _handoff(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("x")  # the refusal box, over the list
        await settle(pilot)
        assert type(app.screen).__name__ == "ReasonScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HandoffsScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)


async def test_a_booking_form_survives_a_look_at_the_agencies(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await type_in_booking(pilot, "Jean")
        await pilot.press("f2")  # a quick look at the hours…
        await settle(pilot)
        assert isinstance(app.screen, AgenciesScreen)
        await pilot.press("escape")  # …and back: the form as it was
        await settle(pilot)
        assert shown(app) is form and form.query_one("#name", Input).value == "Jean"
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("f4")  # or F4 again
        await settle(pilot)
        assert shown(app) is form and form.query_one("#name", Input).value == "Jean"


async def test_a_new_motif_from_the_card_asks_before_replacing_a_typed_form(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await type_in_booking(pilot, "Jean")
        await pilot.press("f2", "f3")  # on to the day sheet, then Escape: the search
        await settle(pilot)
        assert await escapes_to_search(app, pilot) == 1
        await pilot.press(*"apl pas versee", "enter", "r")
        await settle(pilot)
        assert "Vous perdrez : un rendez-vous en cours de saisie." in question(app)
        await pilot.press("n")  # keep the form
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert app.screen is form and form.query_one("#name", Input).value == "Jean"
        await pilot.press("f2", "escape")  # back to the form (it holds unsaved work)
        await settle(pilot)
        assert app.screen is form
        await pilot.press("f3", "escape")  # from the form to F3 and back: the form
        await settle(pilot)
        assert app.screen is form
        await pilot.press("f2", "f3", "escape")  # F2 then F3: Escape goes to the search
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("r", "o")  # the card still has the focus: replace
        await settle(pilot)
        assert isinstance(app.screen, BookingScreen) and app.screen is not form
        assert app.screen.query_one("#name", Input).value == ""
        assert app.screen.service is not None and app.screen.service.id == "apl-non-versee"


async def test_without_typed_details_the_card_replaces_the_form_at_once(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        form = app.screen
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press(*"apl pas versee", "enter", "r")
        await settle(pilot)
        assert isinstance(app.screen, BookingScreen) and app.screen is not form


async def test_ctrl_f_opens_the_finder_from_the_search_field_and_keeps_it(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"apl", "ctrl+f")  # from inside the search field
        await settle(pilot)
        finder = shown(app)
        assert type(finder).__name__ == "FinderScreen"
        await pilot.press(*"Dupont")
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, DaySheetScreen)
        await pilot.press("ctrl+f")  # back to the same finder, its text as typed
        await settle(pilot)
        assert shown(app) is finder and app.screen.query_one("#finder-input", Input).value == "Dupont"
        await pilot.press("ctrl+n")  # the next person: the finder is closed too
        await assert_empty_search(app, pilot)


# -- item 13: the first launch -------------------------------------------------------------------------

async def test_first_launch_asks_for_the_agency_and_saves_it(make_app: AppFactory) -> None:
    from guichet.ui.screens.settings import AgencyChoiceScreen

    app = make_app(agency=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AgencyChoiceScreen)
        assert not app._notifications  # no toast over the card
        await pilot.press("down", "enter")  # the second agency
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.services.home_agency is not None and app.services.home_agency.id == "gennevilliers"
        saved = tomllib.loads(app.services.settings.paths.config_file.read_text(encoding="utf-8"))
        assert saved["agency"] == "gennevilliers" and saved["agent_name"] == "Camille Martin"
        header = str(app.screen.query_one("#header-title").render())
        assert "Gennevilliers" in header


async def test_first_launch_later_never_shows_another_agency_s_day(make_app: AppFactory) -> None:
    app = make_app(agency=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # « plus tard »
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen) and not app._notifications
        assert "agence non choisie" in str(app.screen.query_one("#header-title").render())
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, DaySheetScreen)
        assert app.screen.agency_id is None  # the day sheet asks: no agency chosen silently
    assert app.services.settings.agency is None


async def test_a_counter_with_an_agency_is_not_asked(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen) and not app._notifications


# -- item 14: the settings ---------------------------------------------------------------------------

async def test_settings_escape_after_changing_only_the_agency_asks(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#agency", Select).value = "gennevilliers"
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        message = str(screen.query_one("#settings-message").render())
        assert "Modifications non enregistrées (agence)" in message and "Ctrl+S" in message
        await pilot.press("escape")  # the second Escape drops the change
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.services.settings.agency == "nanterre"


async def test_settings_enter_in_the_name_field_saves(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#agency", Select).value = "montrouge"
        field = screen.query_one("#agent-name", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"Lou Bernard", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        saved = tomllib.loads(app.services.settings.paths.config_file.read_text(encoding="utf-8"))
        assert saved["agent_name"] == "Lou Bernard" and saved["agency"] == "montrouge"
        assert "Montrouge" in str(app.screen.query_one("#header-title").render())


async def test_settings_without_changes_leave_at_once(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen) and app.screen.unsaved_work() is None
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)


# -- snapshots at 80×24 -------------------------------------------------------------------------------

def test_snapshot_first_launch_chooser(make_app: AppFactory, snap_compare: object) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)

    assert snap_compare(make_app(agency=None), run_before=run_before, terminal_size=SIZE)  # type: ignore[operator]


def test_snapshot_quit_question(make_app: AppFactory, snap_compare: object) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await type_in_booking(pilot, "Jean Dupont")
        await pilot.press("ctrl+q")
        await settle(pilot)

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)  # type: ignore[operator]


# -- item 17: the palette folds as the main search does ---------------------------------------------

@pytest.mark.parametrize(("query", "expected"), [
    ("reglages", "Réglages du poste   F10"),
    ("REGLAGES DU POSTE", "Réglages du poste   F10"),
    ("rendez vous du jour", "Rendez-vous du jour   F3"),
    ("rendez vous", "Rendez-vous   F4"),
    ("rdv", "Rendez-vous du jour   F3"),
    ("nouvel usager", "Nouvel usager   Ctrl+N"),
])
async def test_the_palette_matches_without_accents_case_or_hyphens(make_app: AppFactory, query: str,
                                                                    expected: str) -> None:
    from textual.command import CommandList, CommandPalette

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*query)
        await settle(pilot)
        commands = app.screen.query_one(CommandList)
        lines = [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]
        assert expected in lines, lines


def test_palette_highlights_the_letters_matched_in_the_accented_label() -> None:
    from textual.fuzzy import Matcher

    from guichet.domain.words import fold
    from guichet.ui.commands import folded, highlighted

    assert folded("Réglages du poste   F10") == "reglages du poste   f10"
    assert folded("Rendez-vous") == "rendez vous"
    content = highlighted(Matcher(fold("reglages")), "Réglages du poste")
    bold = {span.start for span in content.spans}
    assert 1 in bold  # the « é » matched by « e »
