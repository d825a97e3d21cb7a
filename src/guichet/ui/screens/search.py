"""The counter's main screen: type what the person says, read where to send them."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, OptionList, Static

from guichet.domain.orientation import Answers, Emergency
from guichet.domain.passage import Outcome

if TYPE_CHECKING:
    from guichet.domain.models import Service
    from guichet.domain.search import Hit
from guichet.services import Services
from guichet.ui.reception import consulted, noted, touched
from guichet.ui.widgets.counter_header import header_for
from guichet.ui.widgets.keystrip import KeyStrip
from guichet.ui.widgets.orientation_card import OrientationCard, desk_short
from guichet.ui.widgets.result_list import ResultList
from guichet.ui.widgets.static_text import set_text

RESULTS = 12
PLACEHOLDER = "Ce que dit la personne : « apl pas versée », « enceinte », « sourd »…"


def _prompt(service: Service) -> Content:
    """A result's line: the title, then the desk in short, dimmed."""
    return Content.assemble(service.title, "  ", (desk_short(service.orientation.desk), "dim"))


class SearchScreen(Screen[None]):
    """Search-as-you-type on the service catalog, with the orientation card beside it."""

    BINDINGS = [
        Binding("down", "move(1)", "Suivant", id="search.down", show=False),
        Binding("up", "move(-1)", "Précédent", id="search.up", show=False),
        Binding("slash", "focus_search", "Rechercher", id="search.focus"),
        Binding("escape", "focus_search", "Retour à la recherche", id="search.back", show=False),
        # Ctrl+N (the next person) is the app's, from every screen: it ends in action_new_person.
    ]

    def __init__(self, services: Services, *, cursor_blink: bool = True) -> None:
        super().__init__()
        self.services = services
        self.cursor_blink = cursor_blink
        self.hits: list[Hit] = []
        self._card_due = False  # the card waits for the frame after the list's (_card_later)

    def compose(self) -> ComposeResult:
        yield header_for(self.services)
        yield Input(placeholder=PLACEHOLDER, id="search-input")
        with Horizontal(id="search-body"):
            with Vertical(id="results-pane"):
                yield ResultList(id="results")
                yield Static("", id="results-status")
            yield OrientationCard(id="card", perimeter=self.services.catalog.perimeter)
        yield KeyStrip()

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_blink = self.cursor_blink
        field.focus()
        # The list is in the first frame; the card of its first service (the longest text to lay
        # out) comes in the next one, so the counter can type a few milliseconds sooner.
        self.show_results("", card=False)
        self.call_after_refresh(self._show_card)

    # -- search ----------------------------------------------------------------------
    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        if event.value.strip():
            touched(self)  # the first word typed about a person opens their passage (ui/reception.py)
        self.show_results(event.value)

    def show_results(self, text: str, *, card: bool = True) -> None:
        """Run the search (pure and in memory: a few milliseconds), repaint the list and (``card``) the card.

        Below the search's confidence floor nothing is put forward: the list offers the closest
        themes, none highlighted and no card, until the agent picks one (↓ or Entrée)."""
        found = self.services.lookup(text, RESULTS)
        self.hits = list(found.hits) or list(found.nearby)
        results = self.query_one("#results", ResultList)
        results.show(  # titles come from the data files: shown literally, never as markup
            (hit.service.id, partial(_prompt, hit.service)) for hit in self.hits
        )
        if not text.strip():
            said = Content("Services les plus demandés")
        elif found.hits:
            said = Content(f"{len(found.hits)} résultat(s) · ↑↓ Entrée")
        elif found.nearby:
            said = Content("Rien de sûr : thèmes proches ↑")
        else:
            said = Content(f"Aucun service ne correspond à « {text.strip()[:40]} » : essayez un autre mot.")
        set_text(self.query_one("#results-status", Static), said)  # unchanged, most keys: no layout
        results.highlighted = 0 if found.hits else None
        if card:
            self._card_later()

    def _card_later(self) -> None:
        """The card of the highlighted result, in the frame after the list's.

        The list answers the key; the card (the longest text to lay out: 10–40 ms when the service
        changes) follows a frame later, once for a burst of keys (issue 16: keystroke → frame).
        Entrée and the card's own keys show it first (:meth:`_show_card`), so none acts on a stale card."""
        if not self._card_due:
            self._card_due = True
            self.call_after_refresh(self._show_card)

    def _show_card(self) -> None:
        self._card_due = False
        results = self.query_one("#results", OptionList)
        card = self.query_one(OrientationCard)
        index = results.highlighted
        chosen = self.hits[index].service if self.hits and index is not None else None
        if card.service is not chosen:
            card.service = chosen

    @on(OptionList.OptionHighlighted, "#results")
    def _highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self._card_later()  # a frame after the list's, as for a key typed (not in the same frame)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """↑ ↓ move the result list, never while the card has the focus: there they scroll the card
        (its own bindings come first; this holds even if a [keymap] moves them)."""
        return not (action == "move" and isinstance(self.focused, OrientationCard))

    def action_move(self, step: int) -> None:
        results = self.query_one("#results", OptionList)
        if not self.hits:
            return
        if results.highlighted is None:  # the closest themes, none put forward yet: ↓ picks the first
            results.highlighted = 0
            return
        results.highlighted = max(0, min(len(self.hits) - 1, results.highlighted + step))

    @on(Input.Submitted, "#search-input")
    @on(OptionList.OptionSelected, "#results")
    def _choose(self) -> None:
        results = self.query_one("#results", OptionList)
        if self.hits and results.highlighted is None:  # only the closest themes: choose among them first
            results.highlighted = 0
            results.focus()
        elif self.hits:
            self._show_card()
            card = self.query_one(OrientationCard)
            card.focus()
            if card.service is not None and (advice := card.advice) is not None:
                consulted(self, card.service, advice)  # the card the agent now reads to the person

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()

    def action_new_person(self) -> None:
        """Clear everything about the previous person on this screen and start again (the app's
        Ctrl+N has closed the other screens): empty search, first service's card, no answers."""
        field = self.query_one(Input)
        field.value = ""
        self.show_results("")  # at once, not on the next Changed message
        self.query_one(OrientationCard).answers = Answers()
        field.focus()

    def select_service(self, service_id: str) -> None:
        """Show ``service_id`` (from the command palette) as if it had been typed and chosen."""
        service = self.services.service(service_id)
        field = self.query_one(Input)
        field.value = service.title
        self.show_results(service.title)
        for position, hit in enumerate(self.hits):
            if hit.service.id == service_id:
                self.query_one("#results", OptionList).highlighted = position
        self._choose()

    # -- card ------------------------------------------------------------------------
    @on(OrientationCard.Answered)
    def _answered(self, event: OrientationCard.Answered) -> None:
        """An answer on the card the agent is reading changes what the person is told (the reception log)."""
        if self.focused is self.query_one(OrientationCard) or isinstance(self.app.screen, ModalScreen):
            consulted(self, event.service, event.advice)

    @on(OrientationCard.EmergencyRequested)
    def _ask_emergency(self) -> None:
        from guichet.ui.screens.emergency import EmergencyScreen

        card = self.query_one(OrientationCard)
        question = EmergencyScreen(card.answers.emergency)

        def chosen(emergency: Emergency | None) -> None:
            if not question.cancelled:  # Échap leaves the question as it was (not asked stays not asked)
                card.set_emergency(emergency)
                if emergency is not None:
                    noted(self, Outcome.SOCIAL_EMERGENCY, emergency.value)
            card.focus()

        self.app.push_screen(question, chosen)
