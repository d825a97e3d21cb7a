"""The key strip: one line at the bottom of every screen with the keys that matter there, fitted
to the terminal's width (80 columns at the counters) without ever cutting a label.

It replaces Textual's Footer, which cut the last keys off at 80 columns and spelled them its own
way (``^g``): the strip reads the same list as F1 (:func:`guichet.ui.keys.screen_keys`), with the
same key labels (``Ctrl+G``, ``Échap``). First the keys of the screen (and of its focused widget)
that it shows, then the app's keys in short form (``F1 Aide``, ``F4 RDV``…). When they do not all
fit, the least important give way whole: F1 stays, then the screen's main keys (``Ctrl+S``…), its
other keys, ``Échap``, and the app's keys in the order of ``STRIP_APP_RANK``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

from guichet.ui.keys import STRIP_APP, STRIP_APP_RANK, STRIP_FIRST, KeyEntry, screen_keys

SEPARATOR = "  "
MARGIN = 1  # a blank column on each side


class StripKey(NamedTuple):
    """One key of the strip: its label (as F1 spells it) and its short description."""

    key: str
    description: str

    @property
    def width(self) -> int:
        return len(self.key) + 1 + len(self.description)


def strip_keys(screen: Screen[Any]) -> list[tuple[int, StripKey]]:
    """The keys the strip would like to show on ``screen``, in display order, each with its rank
    (lower is more important)."""
    app = screen.app
    own: list[tuple[int, StripKey]] = []
    shared: list[tuple[int, str, StripKey]] = []
    for order, entry in enumerate(screen_keys(screen)):
        binding = entry.binding
        if binding.id is None:
            continue  # Textual's own (Tab, the palette): F1 lists them
        key = StripKey(entry.keys[0], STRIP_APP.get(binding.id, entry.description))
        if entry.node is app:
            if binding.id in STRIP_APP:
                rank = STRIP_APP_RANK.index(binding.id)
                shared.append((0 if rank == 0 else 3000 + rank, binding.id, key))
        elif binding.show:
            rank = 1000 if binding.id in STRIP_FIRST else 2000 if _is_escape(entry) else 1500
            own.append((rank + order, key))
    shared.sort(key=lambda item: list(STRIP_APP).index(item[1]))
    return [*own, *((rank, key) for rank, _id, key in shared)]


def _is_escape(entry: KeyEntry) -> bool:
    return entry.keys[0] == "Échap"


def fit(keys: list[tuple[int, StripKey]], width: int) -> list[StripKey]:
    """The keys that fit in ``width`` columns, whole: the most important first, shown in order."""
    room = width - 2 * MARGIN
    chosen: set[int] = set()
    used = 0
    for index, (_rank, key) in sorted(enumerate(keys), key=lambda item: item[1][0]):
        need = key.width + (len(SEPARATOR) if chosen else 0)
        if used + need <= room:
            chosen.add(index)
            used += need
    return [key for index, (_rank, key) in enumerate(keys) if index in chosen]


class KeyStrip(Widget):
    """The bottom line of a screen: its keys that matter, fitted to the width."""

    DEFAULT_CSS = """
    KeyStrip {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[StripKey] = []  # what the last render showed (tests read it)
        self._drawn: tuple[int, Content] | None = None  # (width, line): redrawn when the keys change

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if self.is_attached and screen is self.screen:
            self._drawn = None
            self.refresh()

    def keys_at(self, width: int | None = None) -> list[StripKey]:
        """The keys shown at ``width`` columns (the terminal's by default)."""
        return fit(strip_keys(self.screen), self.app.size.width if width is None else width)

    def render(self) -> Content:
        width = self.size.width + 2 * MARGIN
        if self._drawn is None or self._drawn[0] != width:
            self.shown = self.keys_at(width)
            self._drawn = (width, Content(SEPARATOR).join(
                Content.from_markup("[b $accent]$key[/] $text", key=key.key, text=key.description)
                for key in self.shown))
        return self._drawn[1]

    @property
    def text(self) -> str:
        """The strip as plain text (what the agent reads)."""
        return SEPARATOR.join(f"{key.key} {key.description}" for key in self.shown)
