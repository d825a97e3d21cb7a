"""The orientation card: where to send the person for the chosen service, and what next."""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from guichet.domain.models import Desk, Service
from guichet.domain.orientation import Advice, Answers, Emergency, orient

CATEGORY_LABELS = {
    "prestation": "prestation",
    "demarche": "démarche",
    "evenement": "événement de vie",
    "besoin": "besoin spécifique",
    "partenaire": "partenaire",
}


def _yes_no(value: bool | None) -> str:
    return "oui" if value else "non"


def card_text(service: Service, advice: Advice, answers: Answers) -> Content:
    """The card (pure, so that tests can read it).

    Titles, summaries, destinations, reasons and the things to bring come from the data files:
    each goes in as plain text or a template variable (``$text``), never read as markup."""
    lines = [
        Content.from_markup("[b]$title[/b]  [dim]$category[/dim]", title=service.title,
                            category=CATEGORY_LABELS.get(service.category, service.category)),
        Content(service.summary),
        Content(""),
        Content.from_markup("[b reverse] $destination [/]$channel", destination=advice.destination,
                            channel=f"  {advice.channel.label}" if advice.channel else ""),
    ]
    lines += [Content(f"  {reason}") for reason in advice.reasons]
    if advice.urgency_hint:
        lines.append(Content.from_markup(
            "[b $warning]⚠ Peut relever de l'URGENCE DEFINIE[/] : AAH ou RSA interrompu ou en "
            "forte baisse, ou autre prestation non versée depuis 3 mois."))
    if service.social_work_event:
        verdict = "oui" if advice.social_work_eligible else "non (hors périmètre)"
        lines.append(Content(f"Travail social Caf : {verdict}"))
    if service.bring:
        lines.append(Content(""))
        lines.append(Content.from_markup("[b]À apporter ou vérifier[/b]"))
        lines += [Content(f"  • {item}") for item in service.bring]
    lines.append(Content(""))
    lines.append(Content.from_markup("[b]Questions[/b]"))
    if "already_followed" in advice.questions:
        lines.append(Content.from_markup("  [b]s[/b] · Déjà suivie par un travailleur social : $answer",
                                         answer=_yes_no(answers.already_followed)))
    emergency = answers.emergency.label if answers.emergency else "non"
    lines.append(Content.from_markup("  [b]u[/b] · Urgence sociale : $answer", answer=emergency))
    if "event_over_two_years" in advice.questions:
        lines.append(Content.from_markup("  [b]d[/b] · Événement de plus de 2 ans : $answer",
                                         answer=_yes_no(answers.event_over_two_years)))
    return Content("\n").join(lines)


class OrientationCard(Static, can_focus=True):
    """Shows the advice for ``service``; letters answer the questions and run the actions."""

    DEFAULT_CSS = """
    OrientationCard {
        width: 1fr;
        height: 1fr;
        padding: 0 1;
        border: round $primary-darken-2;
        overflow-y: auto;
    }
    OrientationCard:focus { border: round $accent; }
    """

    BINDINGS = [
        Binding("s", "toggle_followed", "Déjà suivi", id="card.followed"),
        Binding("u", "emergency", "Urgence sociale", id="card.emergency"),
        Binding("d", "toggle_old", "Plus de 2 ans", id="card.old"),
        Binding("h", "request('hours')", "Horaires", id="card.hours"),
        Binding("r", "request('book')", "Rendez-vous", id="card.book"),
        Binding("t", "request('handoff')", "Relais social", id="card.handoff"),
    ]

    service: reactive[Service | None] = reactive(None)
    answers: reactive[Answers] = reactive(Answers)

    @dataclass
    class ActionRequested(Message):
        """The agent asked for an action of the card (``hours``, ``book``, ``handoff``)."""

        action: str
        service: Service
        advice: Advice
        answers: Answers

    @dataclass
    class EmergencyRequested(Message):
        """The agent wants to qualify a social emergency (the screen asks which)."""

    def watch_service(self, _service: Service | None) -> None:
        self.answers = Answers()
        self._render_card()

    def watch_answers(self, _answers: Answers) -> None:
        self._render_card()

    @property
    def advice(self) -> Advice | None:
        return orient(self.service, self.answers) if self.service else None

    def _render_card(self) -> None:
        advice = self.advice
        if self.service is None or advice is None:
            self.update("Choisissez un service dans la liste.")
        else:
            self.update(card_text(self.service, advice, self.answers))
        if self.has_focus:  # the footer shows the card's keys only while it has the focus
            self.refresh_bindings()

    def on_focus(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        advice = self.advice
        if advice is None:
            return action not in {"toggle_followed", "emergency", "toggle_old", "request"}
        if action == "toggle_followed":
            return "already_followed" in advice.questions
        if action == "toggle_old":
            return "event_over_two_years" in advice.questions
        if action == "request" and parameters == ("handoff",):
            return advice.offers_handoff
        return True

    def action_toggle_followed(self) -> None:
        self.answers = replace(self.answers, already_followed=not self.answers.already_followed)

    def action_toggle_old(self) -> None:
        self.answers = replace(self.answers, event_over_two_years=not self.answers.event_over_two_years)

    def action_emergency(self) -> None:
        self.post_message(self.EmergencyRequested())

    def set_emergency(self, emergency: Emergency | None) -> None:
        self.answers = replace(self.answers, emergency=emergency)

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
