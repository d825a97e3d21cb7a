"""One source for keys: F1 and the command palette list the current screen's active bindings, in
French, with their keys; ``[keymap]`` in config.toml moves a binding by its id, and a mistake in
it stops guichet with one French line (exit code 2 from the command line)."""

from __future__ import annotations

import gc
import re
import tomllib
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, Static

from guichet.cli.main import main
from guichet.settings import SettingsError
from guichet.ui.app import GuichetApp
from guichet.ui.commands import NO_MATCHES, PLACEHOLDER
from guichet.ui.keys import key_label
from guichet.ui.screens.agencies import AgenciesScreen
from guichet.ui.screens.booking import BookingScreen
from guichet.ui.screens.daysheet import DaySheetScreen
from guichet.ui.screens.help import HelpScreen
from guichet.ui.screens.search import SearchScreen
from guichet.ui.widgets.keystrip import KeyStrip
from guichet.ui.workers import workers_done
from tests.ui.conftest import AppFactory

pytestmark = pytest.mark.slow  # every screen's keys, the palette and the keymap checks: the full suite's

# Words of Textual's own bindings and palette, in English: none may reach the agent.
ENGLISH = re.compile(
    r"Scroll|Copy|Focus|Super|Search for|No matches|Quit\b|Select all|Submit|Show menu|Delete|Paste|Cut\b|"
    r"Move cursor|Go to|Page (Up|Down|Left|Right)|Exit the|Next command|Previous command|Toggle|Keys\b|Theme|"
    r"Screenshot|Maximize|Minimize|Bell|\bpalette\b(?! de)"
)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await workers_done(pilot.app)
    await pilot.pause()


async def open_palette(pilot: Pilot[None], query: str = "") -> list[str]:
    """Open the palette (Ctrl+P), type ``query``: the lines it lists, as plain text."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    if query:
        await pilot.press(*query)
    await settle(pilot)
    commands = pilot.app.screen.query_one(CommandList)
    return [str(commands.get_option_at_index(i).prompt.plain) for i in range(commands.option_count)]


async def close(pilot: Pilot[None]) -> None:
    await pilot.press("escape")
    await pilot.pause()


async def help_lines(pilot: Pilot[None]) -> list[tuple[str, str]]:
    """Open F1: its (keys, description) lines; F1 closes it again."""
    await pilot.press("f1")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, HelpScreen)
    lines = list(screen.bindings)
    await pilot.press("f1")
    await pilot.pause()
    return lines


def footer_keys(app: GuichetApp) -> dict[str, str]:
    """The key strip of the current screen (all it would show on a wide terminal): key as
    displayed → description."""
    return {key.key: key.description for key in app.screen.query_one(KeyStrip).keys_at(1000)}


# -- the palette and F1: one source -------------------------------------------------------------

async def test_palette_lists_the_screens_actions_with_their_keys_and_the_services(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, DaySheetScreen)
        lines = await open_palette(pilot)
        assert pilot.app.screen.query_one(Input).placeholder == PLACEHOLDER
        for line in ("Arrivé   a", "Absent   x", "Export CSV   e", "Veille   ←", "Lendemain   →",
                     "Agences   F2", "Aide   F1", "Quitter   Ctrl+Q", "Champ suivant   Tab"):
            assert line in lines, lines
        assert not any(line.startswith("Palette de commandes") for line in lines)  # not itself
        assert not [line for line in lines if ENGLISH.search(line)]
        await close(pilot)
        services = await open_palette(pilot, "apl")
        assert any(line.startswith("Aide personnalisée au logement (APL)\n") for line in services), services
        await close(pilot)
        await open_palette(pilot, "zqxjw")
        await pilot.pause(0.7)  # the palette says so after half a second
        commands = app.screen.query_one(CommandList)
        assert commands.option_count == 1
        assert NO_MATCHES in str(commands.get_option_at_index(0).prompt)


async def test_palette_runs_the_action_where_its_binding_lives(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DaySheetScreen)
        day = screen.day
        await open_palette(pilot, "lendemain")  # the screen's action, with an argument: day(1)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and (screen.day - day).days == 1
        await open_palette(pilot, "agences")  # the app's action
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AgenciesScreen)
        await open_palette(pilot, "retour")  # "app.back", bound on the screen
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)  # top-level screens are switched: back is the search


async def test_a_service_chosen_in_the_palette_shows_its_card(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        lines = await open_palette(pilot, "apl pas versee")
        assert lines and lines[0].startswith("Aide au logement non versée")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("OrientationCard").service.id == "apl-non-versee"  # type: ignore[attr-defined]


@pytest.mark.parametrize("key", [None, "f3", "f4", "f9", "f10"])
async def test_f1_and_the_palette_list_the_same_actions_in_french(make_app: AppFactory, key: str | None) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        if key:
            await pilot.press(key)
            await settle(pilot)
        helped = await help_lines(pilot)
        listed = await open_palette(pilot)
        assert listed == [f"{description}   {keys}" for keys, description in helped
                          if description != "Palette de commandes"]
        assert ("Ctrl+P", "Palette de commandes") in helped
        text = "\n".join([*listed, *(f"{k} {d}" for k, d in helped)])
        assert not ENGLISH.search(text), ENGLISH.search(text)


async def test_keys_from_the_config_are_shown_literally(make_app: AppFactory) -> None:
    app = make_app(keymap={"app.agencies": "[", "app.book": "ctrl+b", "help.close": "q"})
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(str(static.render()) for static in app.screen.query(Static))
        assert re.search(r"^  \[ +   Agences$", shown, re.MULTILINE), shown
        assert ("[", "Agences") in app.screen.bindings and ("Ctrl+B", "Rendez-vous") in app.screen.bindings
        assert "  Ctrl+P : palette de commandes · q : fermer cette aide" in shown
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert "Agences   [" in await open_palette(pilot)


def test_key_labels_are_french() -> None:
    assert [key_label(k) for k in ("escape", "enter", "ctrl+s", "shift+tab", "f2", "a", "slash", "pagedown",
                                   "left", "question_mark", "alt+x")] == [
        "Échap", "Entrée", "Ctrl+S", "Maj+Tab", "F2", "a", "/", "Page suiv.", "←", "?", "Alt+X"]


async def test_ctrl_c_outside_a_field_says_how_to_quit_in_french(make_app: AppFactory) -> None:
    app = make_app(keymap={"app.quit": "ctrl+x"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "Pour quitter guichet : Ctrl+X" in messages, messages


# -- [keymap] ----------------------------------------------------------------------------------

async def test_a_remapped_key_works_and_the_old_one_no_longer_does(make_app: AppFactory) -> None:
    app = make_app(keymap={"app.agencies": "ctrl+g", "day.seen": "ctrl+a"})
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert footer_keys(app).get("Ctrl+G") == "Agences" and "F2" not in footer_keys(app)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, AgenciesScreen)
        await pilot.press("escape", "f3")
        await settle(pilot)
        assert isinstance(app.screen, DaySheetScreen)
        assert footer_keys(app).get("Ctrl+A") == "Arrivé" and "a" not in footer_keys(app)
        helped = await help_lines(pilot)
        assert ("Ctrl+G", "Agences") in helped and ("Ctrl+A", "Arrivé") in helped
        assert not [d for k, d in helped if k in ("F2", "a")]
        listed = await open_palette(pilot)
        assert "Agences   Ctrl+G" in listed and "Arrivé   Ctrl+A" in listed
        await close(pilot)


async def test_swapped_keys_and_several_keys_for_one_action(make_app: AppFactory) -> None:
    app = make_app(keymap={"app.agencies": "f3", "app.day_sheet": "f2", "app.book": "f4, ctrl+b"})
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, AgenciesScreen)
        helped = dict((d, k) for k, d in await help_lines(pilot))
        assert helped["Rendez-vous du jour"] == "F2" and helped["Rendez-vous"] == "F4, Ctrl+B"
        assert "Agences" not in helped  # the screen shown: its own key is not listed on it
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, DaySheetScreen)
        helped = dict((d, k) for k, d in await help_lines(pilot))
        assert helped["Agences"] == "F3" and helped["Rendez-vous"] == "F4, Ctrl+B"
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert isinstance(app.screen, BookingScreen)


async def test_the_palette_and_the_help_keys_move_too(make_app: AppFactory) -> None:
    app = make_app(keymap={"app.palette": "ctrl+o", "app.help": "f11"})
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert footer_keys(app).get("Ctrl+O") == "Commandes"  # the key strip's palette key, the last
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await close(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, DaySheetScreen)
        await pilot.press("f11")  # opens F1's screen, and closes it
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert ("F11", "Aide") in app.screen.bindings and ("Ctrl+O", "Palette de commandes") in app.screen.bindings
        assert app.screen.note == "Ctrl+O : palette de commandes · Échap : fermer cette aide"
        await pilot.press("f11")
        await pilot.pause()
        assert isinstance(app.screen, DaySheetScreen)


@pytest.mark.parametrize(("keymap", "expected"), [
    ({"app.agences": "ctrl+g"}, "identifiant inconnu « app.agences » (identifiants : app.agencies, app.book, "),
    ({"nothing.like.it": "ctrl+g"}, "« nothing.like.it » (identifiants : agencies.back, agencies.refresh, "
                                    "agencies.scroll_down, agencies.scroll_up, app."),
    ({"agences": "ctrl+g"}, "« agences » (vouliez-vous dire app.agencies, agencies.back ou agencies.refresh ?)"),
    ({"day.arrived": "ctrl+g"}, "« day.arrived » (identifiants : day.back, day.excused, day.export, day.next, "),
    ({"app.agencies": "crtl+g"}, "« app.agencies » : touche inconnue « crtl+g »"),
    ({"app.agencies": "f3"}, "« app.agencies » et « app.day_sheet » auraient la même touche « f3 »"),
    ({"app.agencies": "ctrl+g", "app.book": "ctrl+g"}, "« app.agencies » et « app.book » auraient la même touche"),
    ({"day.seen": "x"}, "« day.seen » et « day.noshow » auraient la même touche « x »"),
    ({"day.seen": "f2"}, "« day.seen » et « app.agencies » auraient la même touche « f2 » (DaySheetScreen)"),
    ({"app.book": "a"}, "« day.seen » et « app.book » auraient la même touche « a » (DaySheetScreen)"),
    ({"app.book": "tab"}, "« Champ suivant » (touche de Textual) et « app.book » auraient la même touche « tab »"),
    ({"booking.book": "ctrl+q"}, "« booking.book » et « app.quit » auraient la même touche « ctrl+q »"),
])
def test_a_keymap_mistake_is_one_french_line(make_app: AppFactory, keymap: dict[str, str], expected: str) -> None:
    with pytest.raises(SettingsError) as caught:
        make_app(keymap=keymap)
    message = str(caught.value)
    assert "\n" not in message and "config.toml : [keymap] : " in message
    assert expected in message, message


def test_a_modal_screen_may_reuse_an_app_key_and_keys_are_spelled_as_textual_does(make_app: AppFactory) -> None:
    app = make_app(keymap={"emergency.cancel": "f2", "app.agencies": "Ctrl+G", "search.focus": "/",
                           "app.book": "shift+b"})
    assert app._keymap == {"emergency.cancel": "f2", "app.agencies": "ctrl+g", "search.focus": "slash",
                           "app.book": "B"}


# -- through the command line ---------------------------------------------------------------------

def _guichet_with(config: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                  capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    monkeypatch.setenv("GUICHET_HOME", str(tmp_path))
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(config, encoding="utf-8")
    monkeypatch.setattr("guichet.cli.main.has_terminal", lambda: True)  # as at a counter: pytest has none
    try:
        code = main([])  # `guichet` alone: the terminal interface
    finally:
        gc.enable()  # the TUI re-enables the collector after its first paint, which never came
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("config", "expected"), [
    ('[keymap]\n"app.agences" = "ctrl+g"\n', "identifiant inconnu « app.agences »"),
    ("[keymap]\napp.agencies = \"f3\"\n", "« app.agencies » et « app.day_sheet » auraient la même touche « f3 »"),
])
def test_the_command_line_stops_with_one_line_and_exit_code_2(config: str, expected: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _guichet_with(config, tmp_path, monkeypatch, capsys)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("guichet: "), err
    assert str(tmp_path / "config" / "config.toml") in lines[0] and expected in lines[0], err
    assert "Traceback" not in err


def test_the_readme_example_is_a_valid_keymap(make_app: AppFactory) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(\[keymap\]\n.*?)```", readme, re.DOTALL)
    assert example is not None
    keymap = tomllib.loads(example.group(1))["keymap"]
    app = make_app(keymap={k: ",".join(part.strip() for part in v.split(",")) for k, v in keymap.items()})
    assert app.keymap["app.agencies"] == "ctrl+g"
