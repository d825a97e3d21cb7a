"""The orientation card: where to send the person for the chosen service, and what next."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from guichet.domain.models import Desk, Service
from guichet.domain.orientation import Advice, Answers, Emergency, orient
from guichet.domain.perimeter import EMPTY, Perimeter
from guichet.ui.widgets.static_text import set_text

CATEGORY_LABELS = {
    "prestation": "prestation",
    "demarche": "démarche",
    "evenement": "événement de vie",
    "besoin": "besoin spécifique",
    "partenaire": "partenaire",
}


NOT_ASKED = "non demandé"


def _answer(asked: bool, text: str) -> tuple[str, str]:
    """An answer, or « non demandé » (dim) while the agent has not asked the question."""
    return (text, "bold") if asked else (NOT_ASKED, "dim italic")


def _question(key: str, label: str, asked: bool, text: str) -> Content:
    return Content.assemble("  ", (key, "bold"), f" · {label} : ", _answer(asked, text))


# The card's yes/no questions: the key that toggles each, and its label (the emergency's is chosen in a list).
QUESTION_KEYS = {
    "already_followed": ("s", "Suivi social en cours"),
    "few_links": ("l", "Peu ou plus de liens"),
    "not_autonomous": ("a", "Personne non autonome"),
    "emergency": ("u", "Urgence sociale"),
    "caf_closed": ("c", "Suivi Caf déjà clôturé"),
    "out_of_window": ("d", ""),  # the window's own words: « Événement > 2 ans », « Enfant > 1 an »
    "single_parent": ("p", "Parent seul"),
    "family": ("e", "Enfant à charge/attendu"),  # « enfant à charge ou à naître », in 43 columns
}
URGENCE_DEFINIE_HINT = ("[b $warning]⚠ Peut relever de l'URGENCE DEFINIE[/] (accès aux droits) : AAH ou RSA "
                        "interrompu ou en forte baisse, ou autre prestation interrompue depuis 3 mois.")


def _questions(advice: Advice, answers: Answers) -> list[Content]:
    lines = [Content.from_markup("[b]Questions à poser[/b]")]
    for question in advice.questions:
        key, label = QUESTION_KEYS[question]
        if question == "out_of_window":
            label = advice.entry.window.question if advice.entry else "Hors délai"
        if question == "emergency":
            text = answers.emergency.label if answers.emergency else "non"
        else:
            text = "oui" if getattr(answers, question) else "non"
        lines.append(_question(key, label, answers.is_asked(question), text))
    return lines


def card_parts(service: Service, advice: Advice, answers: Answers) -> tuple[Content, Content, Content, Content]:
    """The card's four blocks (pure, so that tests can read them): the verdict, the questions (right
    under it: their answers change the verdict, and at 80×24 they must be in view), why (the rules'
    reasons, in the sources' words), and what to bring (empty when nothing).

    Titles, summaries, destinations, reasons and the things to bring come from the data files:
    each goes in as plain text or a template variable (``$text``), never read as markup."""
    head = [
        Content.from_markup("[b]$title[/b]  [dim]$category[/dim]", title=service.title,
                            category=CATEGORY_LABELS.get(service.category, service.category)),
        Content(service.summary),
        Content(""),
        Content.from_markup("[b reverse] $destination [/]$channel", destination=advice.destination,
                            channel=f"  {advice.channel.label}" if advice.channel else ""),
    ]
    why = [Content(f"• {reason}") for reason in advice.reasons]
    if advice.urgency_hint:  # access to rights only (004 §I.2): never on a social emergency
        why.append(Content.from_markup(URGENCE_DEFINIE_HINT))
    if service.social_work_event:
        verdict = "oui" if advice.social_work_eligible else "non (hors périmètre)"
        why.append(Content(f"Travail social Caf : {verdict}"))

    questions = _questions(advice, answers)

    bring: list[Content] = []
    if service.bring:
        bring.append(Content.from_markup("[b]À apporter ou vérifier[/b]"))
        bring += [Content(f"  • {item}") for item in service.bring]
    newline = Content("\n")
    return newline.join(head), newline.join(questions), newline.join(why), newline.join(bring)


def card_text(service: Service, advice: Advice, answers: Answers) -> Content:
    """The whole card as one text (pure, so that tests can read it)."""
    return Content("\n\n").join(part for part in card_parts(service, advice, answers) if part)


class OrientationCard(Widget, can_focus=True):
    """Shows the advice for ``service``; letters answer the questions and run the actions.

    A focusable scrolling container: at 80×24 a long card goes below the fold, so ↑ ↓, Page préc.,
    Page suiv., Début and Fin scroll it while it has the focus. They never reach the search
    screen (whose ↑ ↓ move the result list): scrolling never changes the service, nor the answers."""

    DEFAULT_CSS = """
    OrientationCard {
        width: 1fr;
        height: 1fr;
        layout: vertical;
        padding: 0 1;
        border: round $primary-darken-2;
        border-subtitle-color: $text-muted;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    OrientationCard:focus { border: round $accent; }
    OrientationCard > Static { width: 1fr; height: auto; }
    OrientationCard > #card-questions, OrientationCard > #card-why, OrientationCard > #card-bring { margin-top: 1; }
    OrientationCard > .-empty { display: none; }
    """

    BINDINGS = [
        Binding("s", "toggle_followed", "Déjà suivi", id="card.followed"),
        Binding("u", "emergency", "Urgence sociale", id="card.emergency"),
        Binding("d", "toggle_old", "Hors délai", id="card.old"),
        Binding("c", "answer('caf_closed')", "Suivi Caf clôturé", id="card.closed", show=False),
        Binding("l", "answer('few_links')", "Peu de liens", id="card.links", show=False),
        Binding("a", "answer('not_autonomous')", "Non autonome", id="card.autonomy", show=False),
        Binding("p", "answer('single_parent')", "Parent seul", id="card.single", show=False),
        Binding("e", "answer('family')", "Enfant à charge", id="card.family", show=False),
        Binding("h", "request('hours')", "Horaires", id="card.hours"),
        Binding("r", "request('book')", "Rendez-vous", id="card.book"),
        Binding("t", "request('handoff')", "Relais social", id="card.handoff"),
        # The card's own scrolling: never Textual's scroll_* actions, which step aside when there is
        # nothing to scroll and would let ↓ reach the search screen (the next service, answers lost).
        Binding("up", "scroll_lines(-1)", "Remonter", id="card.up", show=False),
        Binding("down", "scroll_lines(1)", "Descendre", id="card.down", show=False),
        Binding("pageup", "scroll_pages(-1)", "Page précédente", id="card.pageup", show=False),
        Binding("pagedown", "scroll_pages(1)", "Page suivante", id="card.pagedown", show=False),
        Binding("home", "scroll_top", "Début de la fiche", id="card.home", show=False),
        Binding("end", "scroll_bottom", "Fin de la fiche", id="card.end", show=False),
    ]

    service: reactive[Service | None] = reactive(None)
    answers: reactive[Answers] = reactive(Answers)

    def __init__(self, *, perimeter: Perimeter = EMPTY, id: str | None = None) -> None:
        super().__init__(id=id)
        self.perimeter = perimeter  # the CAF social service's perimeter (social_work.toml)

    @dataclass
    class ActionRequested(Message):
        """The agent asked for an action of the card (``hours``, ``book``, ``handoff``)."""

        action: str
        service: Service
        advice: Advice
        answers: Answers

    @dataclass
    class Answered(Message):
        """An answer changed the card's verdict (the screen tells the reception log)."""

        service: Service
        advice: Advice

    @dataclass
    class EmergencyRequested(Message):
        """The agent wants to qualify a social emergency (the screen asks which)."""

    def compose(self) -> ComposeResult:
        yield Static("Choisissez un service dans la liste.", id="card-head")
        yield Static("", id="card-questions", classes="-empty")
        yield Static("", id="card-why", classes="-empty")
        yield Static("", id="card-bring", classes="-empty")

    def on_mount(self) -> None:
        self._render_card()

    def watch_service(self, _service: Service | None) -> None:
        self.answers = Answers()
        self._render_card()
        self.scroll_to(y=0, animate=False)  # another service: its card from the top

    def watch_answers(self, _answers: Answers) -> None:
        self._render_card()
        advice = self.advice
        if self.service is not None and advice is not None:
            self.post_message(self.Answered(self.service, advice))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._more_hint()

    @property
    def advice(self) -> Advice | None:
        return orient(self.service, self.answers, self.perimeter) if self.service else None

    def _render_card(self) -> None:
        if not self.is_mounted:
            return
        advice = self.advice
        if self.service is None or advice is None:
            parts = (Content("Choisissez un service dans la liste."), Content(""), Content(""), Content(""))
        else:
            parts = card_parts(self.service, advice, self.answers)
        for widget_id, part in zip(("card-head", "card-questions", "card-why", "card-bring"), parts, strict=True):
            block = self.query_one(f"#{widget_id}", Static)
            set_text(block, part)
            block.set_class(not part, "-empty")
        if self.has_focus:  # the footer shows the card's keys only while it has the focus
            self.refresh_bindings()
        self.call_after_refresh(self._more_hint)

    def _more_hint(self) -> None:
        """Say, on the border, that the card goes on below (the scrollbar alone is easy to miss)."""
        below = self.max_scroll_y > 0 and self.scroll_y < self.max_scroll_y
        if not below:
            self.border_subtitle = ""
        else:  # from the search field or the list, Entrée gives the card the focus (and its keys)
            self.border_subtitle = "▼ suite : ↓ ou Page suiv." if self.has_focus else "▼ suite : Entrée puis ↓"

    def on_resize(self) -> None:
        self.call_after_refresh(self._more_hint)

    def on_focus(self) -> None:
        self.refresh_bindings()
        self.call_after_refresh(self._more_hint)  # has_focus is set by Widget's own handler, after this one

    def on_blur(self) -> None:
        self.call_after_refresh(self._more_hint)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        advice = self.advice
        if advice is None:
            return action not in {"toggle_followed", "emergency", "toggle_old", "answer", "request"}
        if action == "toggle_followed":
            return "already_followed" in advice.questions
        if action == "toggle_old":
            return "out_of_window" in advice.questions
        if action == "answer":
            return parameters[0] in advice.questions
        if action == "request" and parameters == ("handoff",):
            return advice.offers_handoff
        return True

    # -- scrolling (never skipped: the key stops here even when there is nothing to scroll) -------
    def action_scroll_lines(self, step: int) -> None:
        self.scroll_relative(y=step, animate=False)

    def action_scroll_pages(self, step: int) -> None:
        self.scroll_relative(y=step * max(1, self.scrollable_content_region.height - 1), animate=False)

    def action_scroll_top(self) -> None:
        self.scroll_to(y=0, animate=False)

    def action_scroll_bottom(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False)

    # -- the questions and actions ----------------------------------------------------------------
    def action_toggle_followed(self) -> None:
        self.answers = replace(self.answers, already_followed=not self.answers.already_followed)

    def action_toggle_old(self) -> None:
        self.answers = replace(self.answers, out_of_window=not self.answers.out_of_window)

    def action_answer(self, question: str) -> None:
        """A yes/no question of :data:`QUESTION_KEYS`: not asked → oui → non → oui…"""
        if question in QUESTION_KEYS and question != "emergency":
            changes: dict[str, Any] = {question: not getattr(self.answers, question)}
            self.answers = replace(self.answers, **changes)

    def action_emergency(self) -> None:
        self.post_message(self.EmergencyRequested())

    def set_emergency(self, emergency: Emergency | None) -> None:
        """The answer to the emergency question: one emergency, or None for "no emergency"."""
        self.answers = replace(self.answers, emergency=emergency, emergency_asked=True)


    def action_request(self, action: str) -> None:
        advice = self.advice
        if self.service is not None and advice is not None:
            self.post_message(self.ActionRequested(action, self.service, advice, self.answers))


def desk_short(desk: Desk) -> str:
    """A few letters for the result list: where the service sends the person."""
    return {
        Desk.ACCUEIL: "accueil",
        Desk.CSU: "RDV CSU",
        Desk.GCA: "RDV GCA",
        Desk.TRAVAILLEUR_SOCIAL: "trav. social",
        Desk.PARTENAIRE: "partenaire",
        Desk.EN_LIGNE: "en ligne",
    }[desk]
