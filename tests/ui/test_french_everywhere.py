"""Every word an agent sees is French (issue 14, item 9): on every screen, what the screen shows,
its key strip, F1 and the palette hold none of Textual's own descriptions (« Scroll Left »,
« Copy selected text », « Dismiss menu », « Search for commands… », « No matches found »…)
nor Textual's key spellings (``^g``, ``esc``, ``Super+C``)."""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from datetime import datetime

import pytest
import textual.widgets as textual_widgets
from textual.app import App
from textual.command import CommandInput, CommandList, CommandPalette
from textual.containers import ScrollableContainer
from textual.pilot import Pilot
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input, Select
from textual.widgets._select import SelectOverlay

from guichet.domain.clock import PARIS
from guichet.domain.models import Channel, Kind
from guichet.services.appointments import BookingRequest
from guichet.ui.app import GuichetApp
from guichet.ui.screens.help import HelpScreen
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import settle

SIZE = (80, 24)
TEXTUAL_CLASSES: list[type] = [
    App, Screen, ModalScreen, CommandPalette, CommandInput, CommandList, SelectOverlay, ScrollableContainer, Widget,
    *(getattr(textual_widgets, name) for name in (
        "Input", "TextArea", "Select", "OptionList", "DataTable", "Checkbox", "SelectionList", "Button", "ListView",
        "RadioSet", "Switch")),
]


def textual_descriptions() -> list[str]:
    """Every description of Textual's own bindings (English), the longest first."""
    found = {binding.description for cls in TEXTUAL_CLASSES
             for bindings in cls._merge_bindings().key_to_bindings.values()  # type: ignore[attr-defined]
             for binding in bindings if binding.description}
    return sorted(found, key=len, reverse=True)


ENGLISH = re.compile(
    r"\b(?:" + "|".join(re.escape(d) for d in [*textual_descriptions(), "Search for commands", "No matches found"])
    + r")\b|\bpalette\b(?! de)|Super\+|\besc\b|\^[a-z]\b|\bctrl\+|\bEnter\b|\bEscape\b"
)


def test_the_english_list_holds_what_the_issue_saw() -> None:
    for seen in ("Scroll Left", "Copy selected text", "Dismiss menu", "Search for commands…", "No matches found",
                 "Super+C", "esc Dismiss menu", "^g Agences"):
        assert ENGLISH.search(seen), seen
    for french in ("F1 Aide", "Ctrl+S Réserver", "Échap Retour", "Palette de commandes", "Copier le message",
                   "Aide au logement non versée"):
        assert not ENGLISH.search(french), french


def screen_text(app: GuichetApp) -> str:
    """All the text the terminal shows now (from the screenshot, tags and styles dropped)."""
    svg = app.export_screenshot()
    svg = re.sub(r"<style.*?</style>", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<title>.*?</title>", "", svg, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def f1_text(pilot: Pilot[None]) -> str:
    """F1's lines and note on the current screen (closed again after)."""
    app = pilot.app
    before = app.screen
    await pilot.press("f1")
    await pilot.pause()
    if not isinstance(app.screen, HelpScreen):  # a dialog that keeps its keys to itself
        assert app.screen is before
        return ""
    shown = screen_text(app)  # type: ignore[arg-type]
    lines = "\n".join(f"{keys} {description}" for keys, description in app.screen.bindings)
    await pilot.press("escape")
    await pilot.pause()
    assert app.screen is before
    return f"{lines}\n{shown}"


def strip_text(app: GuichetApp) -> str:
    """The bottom line's keys as the agent reads them: the key strip's, and any Textual footer's
    (none should be left: its keys read ``^p palette``, ``esc Dismiss menu``)."""
    from textual.widgets._footer import FooterKey

    footer = [f"{key.key_display} {key.description}" for key in app.screen.query(FooterKey)]
    try:
        from guichet.ui.widgets.keystrip import KeyStrip
    except ImportError:  # before the key strip
        return "\n".join(footer)
    return "\n".join([*footer, *(strip.text for strip in app.screen.query(KeyStrip))])


async def palette_text(pilot: Pilot[None]) -> str:
    app = pilot.app
    await pilot.press("ctrl+p")
    await settle(pilot)
    if not isinstance(app.screen, CommandPalette):
        return ""
    palette = app.screen
    commands = palette.query_one(CommandList)
    lines = [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]
    placeholder = palette.query_one(Input).placeholder
    shown = screen_text(app)  # type: ignore[arg-type]
    await pilot.press(*"zqxjw")
    await pilot.pause(0.8)  # the « no matches » line comes after half a second
    nothing = screen_text(app)  # type: ignore[arg-type]
    await pilot.press("escape")
    await pilot.pause()
    return "\n".join([*lines, placeholder, shown, nothing])


def _handoff(app: GuichetApp) -> None:
    from guichet.domain.handoff import Contact, HandoffDraft
    from guichet.domain.models import LifeEvent

    app.services.handoffs.create(HandoffDraft(
        name="Awa Diallo", life_event=LifeEvent.SEPARATION, motifs="Non-paiement", comment="ASF non versée.",
        benefits=("ASF",), contact=Contact.COURRIER, file_number="1234567", consent=True))
    app.services.appointments.book(BookingRequest("nanterre", Kind.GCA, Channel.AGENCE,
                                                  datetime(2026, 11, 23, 11, 0, tzinfo=PARIS), "Awa Diallo",
                                                  "7654321"))


async def _press(pilot: Pilot[None], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def _open_select(pilot: Pilot[None]) -> None:
    await _press(pilot, "f10")
    pilot.app.screen.query_one("#agency", Select).focus()
    await _press(pilot, "enter")
    assert isinstance(pilot.app.focused, SelectOverlay)


async def _booking_confirmed(pilot: Pilot[None]) -> None:
    await _press(pilot, "f4", "enter", *"Jean Dupont", "enter", "enter", *"0612345678", "ctrl+s")


# Every screen of the issue's list, reached by keys.
WALKS: dict[str, Callable[[Pilot[None]], Awaitable[None]]] = {
    "search": lambda pilot: _press(pilot),
    "card": lambda pilot: _press(pilot, *"separation", "enter"),
    "agencies": lambda pilot: _press(pilot, "f2"),
    "day-sheet": lambda pilot: _press(pilot, "f3"),
    "booking": lambda pilot: _press(pilot, "f4"),
    "handoffs": lambda pilot: _press(pilot, "f9"),
    "refusal-box": lambda pilot: _press(pilot, "f9", "x"),
    "settings": lambda pilot: _press(pilot, "f10"),
    "open-select": _open_select,
    "handoff-form": lambda pilot: _press(pilot, *"separation", "enter", "t"),
    "confirmation": _booking_confirmed,
    "help": lambda pilot: _press(pilot, "f1"),
}


@pytest.mark.parametrize("walk", list(WALKS))
async def test_no_english_on_any_screen(make_app: AppFactory, walk: str) -> None:
    app = make_app()
    _handoff(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await WALKS[walk](pilot)
        where = type(app.screen).__name__
        texts = {"screen": screen_text(app), "strip": strip_text(app)}
        if walk != "help":
            texts["F1"] = await f1_text(pilot)
            if not isinstance(app.screen, ModalScreen):
                texts["palette"] = await palette_text(pilot)
        for name, text in texts.items():
            found = ENGLISH.search(text)
            assert found is None, f"{where} ({name}): « {found.group(0) if found else ''} » in\n{text}"


@pytest.mark.parametrize(("key", "own"), [("f2", "Agences"), ("f3", "Rendez-vous du jour"), ("f9", "Relais"),
                                          ("f10", "Réglages du poste")])
async def test_f1_does_not_list_the_key_of_the_screen_already_shown(make_app: AppFactory, key: str, own: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen) and own in dict(app.screen.bindings).values()  # elsewhere: listed
        await _press(pilot, "escape", key)
        await _press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        assert own not in dict(app.screen.bindings).values()
        assert "Aide" in dict(app.screen.bindings).values()
