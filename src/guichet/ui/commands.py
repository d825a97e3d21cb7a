"""The command palette, in French: the current screen's actions (what F1 lists, with their keys)
and the service catalog. Both match the way the main search does: without accents, case or
punctuation (« reglages » finds « Réglages », « rendez vous » « Rendez-vous »), through the
project's one folding, :func:`guichet.domain.words.fold`."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Protocol, cast

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.widgets.option_list import Option

from guichet.domain.words import fold
from guichet.ui.keys import PALETTE_ACTIONS, KeyEntry, screen_keys

if TYPE_CHECKING:
    from textual.fuzzy import Matcher

    from guichet.services import Services

PLACEHOLDER = "Rechercher une action ou un service…"
NO_MATCHES = "Aucune action ni aucun service ne correspond"


class _CatalogApp(Protocol):
    """What the service provider needs of the app (not the app module itself: no import cycle)."""

    services: Services

    def show_service(self, service_id: str) -> None: ...


def literal(text: str) -> str:
    """``text`` for a field Textual reads as markup (the palette's help line), shown as it is."""
    return text.replace("[", "\\[")


def folded(text: str) -> str:
    """``text`` folded letter by letter (``fold`` of each character, its first letter, a space for
    punctuation): the same length, so that the letters matched can be highlighted in ``text``."""
    return "".join((fold(character) or " ")[0] for character in text)


def folded_matcher(provider: Provider, query: str) -> Matcher:
    """The provider's fuzzy matcher for ``query`` folded as the main search folds it."""
    return provider.matcher(fold(query))


def highlighted(matcher: Matcher, text: str) -> Content:
    """``text`` with the letters the (folded) query matched highlighted, never read as markup
    (``Matcher.highlight`` would interpret brackets in catalog or config text)."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, folded(text))
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class Palette(CommandPalette):
    """Textual's command palette with its texts in French."""

    def __init__(self) -> None:
        super().__init__(placeholder=PLACEHOLDER, id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual 8.2.8's own, with the French sentence instead of "No matches found".
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(NO_MATCHES, style="not bold")), disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class ServiceProvider(Provider):
    """Search the service catalog from the palette; choosing one shows its card."""

    async def search(self, query: str) -> Hits:
        app = cast("_CatalogApp", self.app)
        matcher = folded_matcher(self, query)
        for hit in app.services.search(query, 8):
            yield Hit(
                hit.score / 100,
                highlighted(matcher, hit.service.title),
                partial(app.show_service, hit.service.id),
                text=hit.service.title,
                help=literal(hit.service.summary),
            )


def action_label(entry: KeyEntry) -> str:
    """``Arrivé   a``: the action and its keys, as the palette shows and matches them."""
    return f"{entry.description}   {entry.key_text}"


class ActionProvider(Provider):
    """The actions of the screen the palette was opened from: its active bindings, as F1 lists
    them, each with its key (the palette itself excepted)."""

    def entries(self) -> list[KeyEntry]:
        return [e for e in screen_keys(self.screen) if e.binding.action not in PALETTE_ACTIONS]

    async def discover(self) -> Hits:
        for entry in self.entries():
            label = action_label(entry)
            yield DiscoveryHit(_with_key(Content(label), entry), entry.run, text=label)

    async def search(self, query: str) -> Hits:
        matcher = folded_matcher(self, query)
        for entry in self.entries():
            label = action_label(entry)
            score = matcher.match(folded(label))
            if score > 0:
                yield Hit(score, _with_key(highlighted(matcher, label), entry), entry.run, text=label)


def _with_key(content: Content, entry: KeyEntry) -> Content:
    """The key part of an action's label in bold."""
    start = len(entry.description) + 3
    return content.stylize("bold", start, start + len(entry.key_text))
