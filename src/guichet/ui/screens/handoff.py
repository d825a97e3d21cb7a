"""Passage de relais: the structured message to a social worker, qualified live."""

from __future__ import annotations

import asyncio
import re
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
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
from guichet.ui.widgets.lazy_select import LazySelect
from guichet.ui.widgets.static_text import set_text
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
CONDITIONS = (("already-followed", "Déjà suivie par un travailleur social"),
              ("few-links", "Peu ou plus de liens avec ce travailleur social"),
              ("not-autonomous", "Personne non autonome dans sa demande"),
              ("caf-closed", "Accompagnement Caf déjà clôturé"))
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


def _rows(*rows: tuple[str, Widget]) -> Grid:
    """Labels and their fields, one per line: one grid for a group of lines (a row container per
    line would be one more widget each to mount when the form opens, issue 16)."""
    cells: list[Widget] = []
    for label, widget in rows:
        cells += [Label(label, classes="field-label"), widget]
    return Grid(*cells, classes="field-grid")


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
        self.complete = False  # the form's tail is mounted (after the first frame)
        self.completed = asyncio.Event()  # set with it: what tests and the bench wait for
        a = self.answers
        # What the tail's fields start with: the card's answers (read by draft() until they are mounted).
        self._starting: dict[str, object] = {
            "emergency": a.emergency.value if a.emergency else Select.NULL,
            "single-parent": _yes_no(a.single_parent), "family": _yes_no(a.family),
            "already-followed": bool(a.already_followed), "few-links": bool(a.few_links),
            "not-autonomous": bool(a.not_autonomous), "caf-closed": bool(a.caf_closed), "documents": False,
        }

    def compose(self) -> ComposeResult:
        service = self.service
        event = service.life_event if service and service.life_event else LifeEvent.AUTRE
        benefits = set(service.benefits) if service else set()
        yield header_for(self.services)
        with Horizontal(id="handoff-body"):
            with VerticalScroll(id="handoff-form"):
                yield Label("[b]Personne[/b]")
                contacts = [(c.label, c.value) for c in Contact]
                yield _rows(
                    ("Nom", Input(id="name", placeholder="Nom et prénom", max_length=80, compact=True)),
                    ("N° allocataire", Input(id="file-number", placeholder="7 chiffres", max_length=9, compact=True)),
                    ("Téléphone", Input(id="phone", placeholder=PHONE_PLACEHOLDER, max_length=20, compact=True)),
                    ("Contact", LazySelect(contacts, value=Contact.TELEPHONE.value, allow_blank=False, id="contact",
                                           compact=True)))
                # Asked first: without the person's agreement there is no handoff (004, annex 1).
                yield Label("[b]Consentement[/b]")
                yield LazySelect(CONSENT, id="consent", prompt="Consentement : à demander", compact=True)
                yield Label("[b]Événement[/b]")
                events = [(LIFE_EVENT_LABELS[e], e.value) for e in LifeEvent]
                yield _rows(
                    ("Événement", LazySelect(events, value=event.value, allow_blank=False, id="life-event",
                                             compact=True)),
                    ("Date", Input(id="event-date", placeholder="JJ/MM/AAAA", max_length=10, compact=True)))
                yield Label("[b]Motif(s) de la demande[/b]")
                yield Input(id="motifs", placeholder="Non-paiement, demande d'explication…", max_length=300,
                            value="Non-paiement" if service and service.urgency_hint else "", compact=True)
                yield Label("[b]Prestation(s) concernée(s)[/b]")
                yield SelectionList[str](*[(f"{code} — {label}", code, code in benefits)
                                           for code, label in BENEFIT_LABELS.items()], id="benefits", compact=True)
                yield Checkbox("AAH ou RSA interrompu ou en forte baisse", id="sharp-drop", compact=True)
            with VerticalScroll(id="handoff-preview"):
                yield Static("", id="handoff-verdict")
                yield Static("", id="handoff-message", markup=False)
        yield KeyStrip()

    def _tail(self) -> list[Widget]:
        """The form below its first screenful: mounted once the first frame is out (issue 16)."""
        start = self._starting
        return [
            Label("[b]Commentaire[/b] (contexte et question précise)"),
            TextArea(id="comment", soft_wrap=True, compact=True),
            Label("[b]Spécificité(s) de la personne[/b]"),
            SelectionList[str](*[(s.label, s.value) for s in Specificity], id="specificities", compact=True),
            _rows(("Autre", Input(id="specificity-other", placeholder="autre spécificité", max_length=200,
                                  compact=True))),
            Label("[b]Dates[/b]"),
            _rows(*[(label, Input(id=field_id, placeholder="JJ/MM/AAAA", max_length=10, compact=True))
                    for field_id, label in DATE_FIELDS.items() if field_id != "event-date"]),
            Label("[b]Destination[/b]"),
            # The perimeter's conditions (social_work.toml): blank = not asked, to be checked. Here, after
            # the message's fields, so that Tab from the date still reaches the motif.
            _rows(("Urgence sociale", LazySelect([(e.label.capitalize(), e.value) for e in Emergency], id="emergency",
                                                 prompt="non", allow_blank=True, compact=True,
                                                 value=start["emergency"])),
                  ("Parent seul", LazySelect(YES_NO, id="single-parent", prompt="non demandé", compact=True,
                                             value=start["single-parent"])),
                  ("Enfant", LazySelect(YES_NO, id="family", prompt="à charge ou à naître ?", compact=True,
                                        value=start["family"]))),
            *[Checkbox(label, id=box_id, value=bool(start[box_id]), compact=True) for box_id, label in CONDITIONS],
            _rows(("Référent", Input(id="referent", placeholder="travailleur social qui suit la personne",
                                     max_length=120, compact=True)),
                  ("Partenaire", Input(id="partner", placeholder="si orientation vers un partenaire", max_length=120,
                                       compact=True))),
            Checkbox("Documents à adresser au professionnel", id="documents", compact=True),
        ]

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()
        self._blink()
        self.refresh_preview()
        self.call_after_refresh(self._complete_form)

    async def _complete_form(self) -> None:
        """The rest of the form, under the first screenful; keys typed meanwhile wait (``takes_key``)."""
        await self.query_one("#handoff-form").mount_all(self._tail())
        self._blink()
        self.complete = True
        self.completed.set()
        self.refresh_preview()

    def takes_key(self, _key: str) -> bool:
        """Keys typed ahead wait for the whole form (ui/typeahead.py): Tab then reaches the field it should."""
        return self.complete

    def _blink(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.cursor_blink
        for area in self.query(TextArea):
            area.cursor_blink = self.cursor_blink

    # -- the draft -------------------------------------------------------------------
    def _value(self, widget_id: str) -> str:
        """A text field's value; empty, as it starts, while the form's tail is not mounted."""
        found = self.query(f"#{widget_id}")
        return found.first(Input).value if found else ""

    def _choice(self, widget_id: str) -> object:
        found = self.query(f"#{widget_id}")
        return found.first(Select).value if found else self._starting[widget_id]

    def _checked(self, widget_id: str) -> bool:
        found = self.query(f"#{widget_id}")
        return found.first(Checkbox).value if found else bool(self._starting[widget_id])

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
        emergency = self._choice("emergency")
        consent = self.query_one("#consent", Select).value
        draft = HandoffDraft(
            name=self._value("name"),
            life_event=LifeEvent(str(self.query_one("#life-event", Select).value)),
            motifs=self._value("motifs"),
            comment="\n".join(area.text for area in self.query(TextArea)),
            benefits=tuple(self.query_one("#benefits", SelectionList).selected),
            file_number=self._value("file-number") or None,
            phone=self._value("phone") or None,
            contact=Contact(str(self.query_one("#contact", Select).value)),
            event_date=dates["event-date"],
            specificities=tuple(Specificity(s) for listed in self.query("#specificities").results(SelectionList)
                                for s in listed.selected),
            specificity_other=self._value("specificity-other"),
            rights_opened=dates["rights-opened"],
            non_payment_since=dates["non-payment-since"],
            period_start=dates["period-start"],
            period_end=dates["period-end"],
            sharp_drop=self.query_one("#sharp-drop", Checkbox).value,
            emergency=Emergency(str(emergency)) if emergency is not Select.NULL else None,
            already_followed=self._checked("already-followed"),
            referent=self._value("referent"),
            partner=self._value("partner"),
            documents_to_professional=self._checked("documents"),
            consent=None if consent is Select.NULL else consent == "yes",
            service_id=self.service.id if self.service else None,
            caf_closed=self._checked("caf-closed"),
            few_links=self._checked("few-links"),
            not_autonomous=self._checked("not-autonomous"),
            single_parent=_answer(self._choice("single-parent")),
            family=_answer(self._choice("family")),
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
            set_text(self.query_one("#handoff-verdict", Static),
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
        set_text(self.query_one("#handoff-verdict", Static), Content("\n").join(lines))
        set_text(self.query_one("#handoff-message", Static), self.message or "")

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
        return any(f.value.strip() for f in self.query(Input) if f.id != "motifs") or any(
            area.text.strip() for area in self.query(TextArea))

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
