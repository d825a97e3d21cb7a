"""The key strip (issue 14, item 11): at 80 columns every screen shows F1 and its own main keys,
whole (a label is never cut), spelled as F1 spells them (``Ctrl+G``, not ``^g``)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from guichet.ui.app import GuichetApp
from guichet.ui.screens.help import HelpScreen
from guichet.ui.widgets.keystrip import MARGIN, SEPARATOR, KeyStrip, StripKey, fit, strip_keys
from tests.ui.conftest import AppFactory
from tests.ui.test_french_everywhere import _handoff, screen_text
from tests.ui.test_screens import settle

SIZE = (80, 24)


def test_fit_drops_the_least_important_keys_whole() -> None:
    keys = [(1500, StripKey("s", "Déjà suivi")), (1000, StripKey("t", "Relais social")),
            (0, StripKey("F1", "Aide")), (3005, StripKey("Ctrl+Q", "Quitter"))]
    assert fit(keys, 80) == [key for _, key in keys]
    # 30 columns: F1 (7), t (15 + 2) fit; « s Déjà suivi » (12 + 2) no longer does, Ctrl+Q neither
    assert fit(keys, 30) == [StripKey("t", "Relais social"), StripKey("F1", "Aide")]
    assert fit(keys, 9) == [StripKey("F1", "Aide")]  # 7 columns and the margins
    assert fit(keys, 8) == []  # never half a label
    assert fit(keys, 4) == []


async def _press(pilot: Pilot[None], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def strip_of(app: GuichetApp) -> KeyStrip:
    strips = list(app.screen.query(KeyStrip))
    assert len(strips) == 1, type(app.screen).__name__
    return strips[0]


def bottom_line(app: GuichetApp) -> str:
    lines = [line for line in screen_text(app).splitlines() if line.strip()]
    return lines[-1]


# screen: the keys that reach it, the keys its strip must show (besides F1)
SCREENS = {
    "search": ([], {"F4"}),
    "card": ([*"separation", "enter"], {"t", "r"}),
    "agencies": (["f2"], {"r"}),
    "day-sheet": (["f3"], {"a"}),
    "booking": (["f4"], {"Ctrl+S"}),
    "handoffs": (["f9"], {"t"}),
    "settings": (["f10"], {"Ctrl+S"}),
    "handoff-form": ([*"separation", "enter", "t"], {"Ctrl+S"}),
}


@pytest.mark.parametrize("screen", list(SCREENS))
async def test_the_keys_that_matter_fit_at_80_columns(make_app: AppFactory, screen: str) -> None:
    keys, expected = SCREENS[screen]
    app = make_app()
    _handoff(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _press(pilot, *keys)
        strip = strip_of(app)
        shown = strip.shown
        assert {"F1", *expected} <= {key.key for key in shown}, strip.text
        wanted = [key for _, key in strip_keys(app.screen)]
        assert all(key in wanted for key in shown)  # each shown key is a whole label the screen has
        line = bottom_line(app)
        assert len(line) <= SIZE[0]
        for key in shown:  # on screen, whole
            assert f"{key.key} {key.description}" in line, line
        width = sum(key.width for key in shown) + len(SEPARATOR) * (len(shown) - 1) + 2 * MARGIN
        assert width <= SIZE[0]


async def test_the_strip_follows_the_focus(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = {key.key for key in strip_of(app).shown}
        await _press(pilot, *"separation", "enter")  # the card has the focus: its keys
        after = {key.key for key in strip_of(app).shown}
        assert "t" in after and "t" not in before


async def test_the_strip_and_f1_spell_a_moved_key_alike(make_app: AppFactory) -> None:
    app = make_app(keymap={"app.agencies": "ctrl+g", "app.help": "f11"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = {key.description: key.key for key in strip_of(app).shown}
        assert shown["Aide"] == "F11" and shown["Agences"] == "Ctrl+G"
        assert "Ctrl+G Agences" in bottom_line(app) and "^g" not in bottom_line(app)
        await _press(pilot, "f11")
        assert isinstance(app.screen, HelpScreen)
        assert ("Ctrl+G", "Agences") in app.screen.bindings
