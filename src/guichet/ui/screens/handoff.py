"""Passage de relais: the structured message to a social worker, qualified live."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, Static, TextArea

from guichet.domain.followup import HandoffRecord
from guichet.domain.handoff import (
    LIFE_EVENT_LABELS,
    Contact,
    HandoffDraft,
    Specificity,
)
from guichet.domain.models import LifeEvent, Service
from guichet.domain.orientation import Answers, Emergency
from guichet.domain.rights import BENEFIT_LABELS
from guichet.errors import InvalidInput
from guichet.services import Services
from guichet.ui.messages import WorkerFailed
from guichet.ui.screens.fresh import FreshStart
from guichet.ui.widgets.counter_header import header_for
from guichet.ui.widgets.keystrip import KeyStrip
from guichet.ui.workers import WRITE, report

_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
DATE_FIELDS = {
    "event-date": "Date de l'événement",
    "rights-opened": "Ouverture des droits",
    "non-payment-since": "Début du non-paiement",
    "period-start": "Début de période",
    "period-end": "Fin de période",
}
PHONE_PLACEHOLDER = "10 chiffres"  # never a number anyone could take for data (the field is narrow)
CONSENT = [("Accord de la personne : oui", "yes"), ("La personne refuse", "no")]
YES_NO = [("oui", "yes"), ("non", "no")]  # a condition of the perimeter; blank: not asked


def _yes_no(value: bool | None) -> str | object:
    """The Select value of an answer: "yes", "no", or blank (not asked)."""
    return Select.NULL if value is None else ("yes" if value else "no")


def _answer(value: object) -> bool | None:
    return None if value is Select.NULL else value == "yes"


def parse_day(text: str) -> date | None:
    """``JJ/MM/AAAA`` or ``AAAA-MM-JJ``; None when empty; ValueError when impossible."""
    text = text.strip()
    if not text:
        return None
    found = _DATE.match(text)
    if found:
        day, month, year = (int(g) for g in found.groups())
        return date(year, month, day)
    return date.fromisoformat(text)


def _row(label: str, widget: Widget) -> Iterator[Widget]:
    """A label and its field on one line."""
    row = Horizontal(Label(label, classes="field-label"), widget, classes="field-row")
    yield row


class HandoffScreen(FreshStart, Screen[HandoffRecord | None]):
    """The handoff form on the left, the rules' verdict and the message on the right."""

    CSS_PATH = "handoff.tcss"
    # Focused first, directly: Textual's default focuses the first focusable widget (the form's
    # scroll container), and each focus change restyles the whole form (issue 16: the open's cost).
    AUTO_FOCUS = "#name"

    BINDINGS = [
        Binding("escape", "leave", "Retour", id="handoff.back"),
        Binding("ctrl+s", "save", "Enregistrer", id="handoff.save"),
        Binding("ctrl+y", "copy", "Copier le message", id="handoff.copy"),
    ]

    def __init__(self, services: Services, service: Service | None = None, answers: Answers | None = None,
                 *, cursor_blink: bool = True) -> None:
        super().__init__()
        self.services = services
        self.service = service
        self.answers = answers or Answers()
        self.cursor_blink = cursor_blink
        self.message: str | None = None
        self._leave_armed = False
        self._saving = False
        self._written: HandoffRecord | None = None  # saved while another screen was shown

    def compose(self) -> ComposeResult:
        service = self.service
        event = service.life_event if service and service.life_event else LifeEvent.AUTRE
        benefits = set(service.benefits) if service else set()
        yield header_for(self.services)
        with Horizontal(id="handoff-body"):
            with VerticalScroll(id="handoff-form"):
                yield Label("[b]Personne[/b]")
                yield from _row("Nom", Input(id="name", placeholder="Nom et prénom", max_length=80, compact=True))
                yield from _row("N° allocataire", Input(id="file-number", placeholder="7 chiffres", max_length=9,
                                                        compact=True))
                yield from _row("Téléphone", Input(id="phone", placeholder=PHONE_PLACEHOLDER, max_length=20,
                                                   compact=True))
                yield from _row("Contact", Select([(c.label, c.value) for c in Contact], value=Contact.TELEPHONE.value,
                                                  allow_blank=False, id="contact", compact=True))
                # Asked first: without the person's agreement there is no handoff (004, annex 1).
                yield Label("[b]Consentement[/b]")
                yield Select(CONSENT, id="consent", prompt="Consentement : à demander", compact=True)
                yield Label("[b]Événement[/b]")
                events = [(LIFE_EVENT_LABELS[e], e.value) for e in LifeEvent]
                yield from _row("Événement", Select(events, value=event.value, allow_blank=False, id="life-event",
                                                    compact=True))
                yield from _row("Date", Input(id="event-date", placeholder="JJ/MM/AAAA", max_length=10, compact=True))
                yield Label("[b]Motif(s) de la demande[/b]")
                yield Input(id="motifs", placeholder="Non-paiement, demande d'explication…", max_length=300,
                            value="Non-paiement" if service and service.urgency_hint else "", compact=True)
                yield Label("[b]Prestation(s) concernée(s)[/b]")
                yield SelectionList[str](*[(f"{code} — {label}", code, code in benefits)
                                           for code, label in BENEFIT_LABELS.items()], id="benefits", compact=True)
                yield Checkbox("AAH ou RSA interrompu ou en forte baisse", id="sharp-drop", compact=True)
                yield Label("[b]Commentaire[/b] (contexte et question précise)")
                yield TextArea(id="comment", soft_wrap=True, compact=True)
                yield Label("[b]Spécificité(s) de la personne[/b]")
                yield SelectionList[str](*[(s.label, s.value) for s in Specificity], id="specificities", compact=True)
                yield from _row("Autre", Input(id="specificity-other", placeholder="autre spécificité", max_length=200,
                                               compact=True))
                yield Label("[b]Dates[/b]")
                for field_id, label in DATE_FIELDS.items():
                    if field_id != "event-date":
                        field = Input(id=field_id, placeholder="JJ/MM/AAAA", max_length=10, compact=True)
                        yield from _row(label, field)
                yield Label("[b]Destination[/b]")
                yield from _row("Urgence sociale", Select(
                    [(e.label.capitalize(), e.value) for e in Emergency], id="emergency", prompt="non",
                    allow_blank=True, compact=True,
                    value=self.answers.emergency.value if self.answers.emergency else Select.NULL))
                # The perimeter's conditions (social_work.toml): blank = not asked, to be checked. Here, after
                # the message's fields, so that Tab from the date still reaches the motif.
                yield from _row("Parent seul", Select(YES_NO, id="single-parent", prompt="non demandé", compact=True,
                                                      value=_yes_no(self.answers.single_parent)))
                yield from _row("Enfant", Select(YES_NO, id="family", prompt="à charge ou à naître ?", compact=True,
                                                 value=_yes_no(self.answers.family)))
                yield Checkbox("Déjà suivie par un travailleur social", id="already-followed",
                               value=bool(self.answers.already_followed), compact=True)
                yield Checkbox("Peu ou plus de liens avec ce travailleur social", id="few-links",
                               value=bool(self.answers.few_links), compact=True)
                yield Checkbox("Personne non autonome dans sa demande", id="not-autonomous",
                               value=bool(self.answers.not_autonomous), compact=True)
                yield Checkbox("Accompagnement Caf déjà clôturé", id="caf-closed",
                               value=bool(self.answers.caf_closed), compact=True)
                yield from _row("Référent", Input(id="referent", placeholder="travailleur social qui suit la personne",
                                                  max_length=120, compact=True))
                yield from _row("Partenaire", Input(id="partner", placeholder="si orientation vers un partenaire",
                                                    max_length=120, compact=True))
                yield Checkbox("Documents à adresser au professionnel", id="documents", compact=True)
            with VerticalScroll(id="handoff-preview"):
                yield Static("", id="handoff-verdict")
                yield Static("", id="handoff-message", markup=False)
        yield KeyStrip()

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.cursor_blink
        self.query_one(TextArea).cursor_blink = self.cursor_blink
        self.query_one("#name", Input).focus()
        self.refresh_preview()

    # -- the draft -------------------------------------------------------------------
    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def draft(self) -> tuple[HandoffDraft, list[str]]:
        """The draft from the form, and the date fields that cannot be read."""
        bad: list[str] = []
        dates: dict[str, date | None] = {}
        for field_id, label in DATE_FIELDS.items():
            try:
                dates[field_id] = parse_day(self._value(field_id))
            except ValueError:
                dates[field_id] = None
                bad.append(f"{label} : date impossible (format JJ/MM/AAAA).")
        emergency = self.query_one("#emergency", Select).value
        consent = self.query_one("#consent", Select).value
        draft = HandoffDraft(
            name=self._value("name"),
            life_event=LifeEvent(str(self.query_one("#life-event", Select).value)),
            motifs=self._value("motifs"),
            comment=self.query_one(TextArea).text,
            benefits=tuple(self.query_one("#benefits", SelectionList).selected),
            file_number=self._value("file-number") or None,
            phone=self._value("phone") or None,
            contact=Contact(str(self.query_one("#contact", Select).value)),
            event_date=dates["event-date"],
            specificities=tuple(Specificity(s) for s in self.query_one("#specificities", SelectionList).selected),
            specificity_other=self._value("specificity-other"),
            rights_opened=dates["rights-opened"],
            non_payment_since=dates["non-payment-since"],
            period_start=dates["period-start"],
            period_end=dates["period-end"],
            sharp_drop=self.query_one("#sharp-drop", Checkbox).value,
            emergency=Emergency(str(emergency)) if emergency is not Select.NULL else None,
            already_followed=self.query_one("#already-followed", Checkbox).value,
            referent=self._value("referent"),
            partner=self._value("partner"),
            documents_to_professional=self.query_one("#documents", Checkbox).value,
            consent=None if consent is Select.NULL else consent == "yes",
            service_id=self.service.id if self.service else None,
            caf_closed=self.query_one("#caf-closed", Checkbox).value,
            few_links=self.query_one("#few-links", Checkbox).value,
            not_autonomous=self.query_one("#not-autonomous", Checkbox).value,
            single_parent=_answer(self.query_one("#single-parent", Select).value),
            family=_answer(self.query_one("#family", Select).value),
        )
        return draft, bad

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(SelectionList.SelectedChanged)
    @on(TextArea.Changed)
    def _changed(self) -> None:
        self._leave_armed = False
        self.refresh_preview()

    def refresh_preview(self) -> None:
        """Urgency, destination, warnings and the message, recomputed on every change (pure).

        The rules' texts may quote what was typed or the data files: each goes in as a template
        variable (``$text``), which Textual shows literally, never as markup."""
        draft, bad = self.draft()
        try:
            preview = self.services.handoffs.preview(draft)
        except InvalidInput as exc:  # a validator refused a value: show it like a problem
            self.message = None
            self.query_one("#handoff-verdict", Static).update(
                Content.from_markup("[b $error]$text[/]", text=str(exc)))
            return
        q = preview.qualification
        lines: list[Content] = []
        if q.urgent:  # the message carries the keyword (access to rights, to the CAF social service)
            lines.append(Content.from_markup("[b reverse $error] URGENCE DEFINIE [/]"))
        elif q.rights_urgency:
            lines.append(Content.from_markup("[b $error]Urgence d'accès aux droits[/] (sans mot clé ici)"))
        lines += [Content(f"  {r}") for r in q.urgency_reasons]
        lines.append(Content.from_markup("[b]Destination :[/b] $text", text=q.destination_label))
        if q.forward_to_caf:
            lines.append(Content("  Première demande : le Département relaie la demande de rendez-vous au service "
                                 "social de la Caf."))
        lines += [Content.from_markup("[$warning]⚠ $text[/]", text=w) for w in q.warnings]
        lines += [Content(f"  {line}") for line in q.to_check]
        problems = [*bad, *preview.problems]
        if draft.consent is False:
            lines.append(Content.from_markup("[b]Refus de la personne :[/b] seul le refus sera enregistré, "
                                             "sans message."))
        if problems:
            lines.append(Content.from_markup("[b]À compléter :[/b]"))
            lines += [Content(f"  • {p}") for p in problems]
        self.message = preview.message if not bad else None
        self.query_one("#handoff-verdict", Static).update(Content("\n").join(lines))
        self.query_one("#handoff-message", Static).update(self.message or "")

    # -- actions ---------------------------------------------------------------------
    def action_save(self) -> None:
        draft, bad = self.draft()
        if bad:
            self.notify(bad[0], severity="error")
            return
        if self._saving:
            return
        self._saving = True
        self._save(draft)

    @work(thread=True, group=WRITE)
    def _save(self, draft: HandoffDraft) -> None:
        try:
            record = self.services.handoffs.create(draft)
        except Exception as exc:  # told to the screen as a WorkerFailed
            report(self, exc, write=True)
        else:
            self.app.call_from_thread(self._saved, record)

    def on_worker_failed(self, event: WorkerFailed) -> None:
        """Nothing saved: the form stays as typed, to correct and save again."""
        self._saving = False
        self.notify(event.text, severity="error", timeout=8, markup=False)

    def _saved(self, record: HandoffRecord) -> None:
        from guichet.domain.passage import Outcome
        from guichet.ui.reception import noted

        noted(self, Outcome.HANDOFF, record.id)  # the reception log: its id, nothing about the person
        if record.urgent:
            noted(self, Outcome.URGENCE_DEFINIE)
        if record.draft.emergency is not None:
            noted(self, Outcome.SOCIAL_EMERGENCY, record.draft.emergency.value)
        if record.message is None:
            self.notify(f"Refus de la personne enregistré (n° {record.id}).")
        else:
            self._copy(record.message, f"Passage de relais n° {record.id} enregistré. Message :")
        if self.is_current:
            self.dismiss(record)
        else:  # the agent switched screens meanwhile (F2…): leave theirs alone, close when shown again
            self._written = record

    def on_screen_resume(self) -> None:
        if self._written is not None:
            self.dismiss(self._written)

    def action_copy(self) -> None:
        if self.message is None:
            self.notify("Le message n'est pas complet : voyez « À compléter ».", severity="warning")
            return
        self._copy(self.message, "Message :")

    def _copy(self, text: str, before: str) -> None:
        """The system clipboard if there is one, always a file; the message says which (ui/clipboard.py)."""
        from guichet.ui.clipboard import copy_text

        copy_text(self.app, text, self.services.settings.paths.exports_dir, before=before)

    def unsaved_work(self) -> str | None:
        """What Ctrl+Q or Ctrl+N would lose here (COMMON contract): None once saved or when empty."""
        if self._saving or self._written is not None:  # being written, or written: it closes by itself
            return None
        return "un passage de relais en cours de saisie" if self._typed() else None

    def _typed(self) -> bool:
        """Whether the agent typed something (the motif pre-filled from the card does not count)."""
        return any(f.value.strip() for f in self.query(Input) if f.id != "motifs") or bool(
            self.query_one(TextArea).text.strip())

    def action_leave(self) -> None:
        """Leave; when something was typed, a second Escape confirms that it is dropped."""
        if self._saving:  # the screen closes by itself once the handoff is written
            self.notify("Passage de relais en cours d'enregistrement : un instant.", severity="warning")
            return
        if self._typed() and not self._leave_armed:
            self._leave_armed = True
            self.notify("Saisie en cours : Échap encore pour l'abandonner.", severity="warning")
            return
        self.dismiss(None)
