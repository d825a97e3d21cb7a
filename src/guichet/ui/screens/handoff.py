"""Passage de relais: the structured message to a social worker, qualified live."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import TypeVar

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
from guichet.ui.screens.handoff_parts import (
    CONSENT,
    DATE_FIELDS,
    PHONE_PLACEHOLDER,
    answer,
    form_tail,
    parse_day,
    rows,
    starting_values,
)
from guichet.ui.widgets.counter_header import header_for
from guichet.ui.widgets.keystrip import KeyStrip
from guichet.ui.widgets.lazy_select import LazySelect
from guichet.ui.widgets.static_text import set_text
from guichet.ui.workers import WRITE, report

_W = TypeVar("_W", bound=Widget)


def _from_the_card(service: Service | None) -> tuple[LifeEvent, str, set[str]]:
    """What the card's service starts the form with: the life event, the motif, the benefits concerned."""
    event = service.life_event if service and service.life_event else LifeEvent.AUTRE
    motifs = "Non-paiement" if service and service.urgency_hint else ""
    return event, motifs, set(service.benefits) if service else set()


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
        self.completed = asyncio.Event()  # the form's tail is mounted (after the first frame): tests wait for it
        self._by_id: dict[str, Widget] = {}
        self._previewed: tuple[HandoffDraft, list[str]] | None = None  # the draft the preview shows
        # What the tail's fields start with: the card's answers (read by draft() until they are mounted).
        self._starting = starting_values(self.answers)

    def compose(self) -> ComposeResult:
        event, motifs, benefits = _from_the_card(self.service)
        yield header_for(self.services)
        with Horizontal(id="handoff-body"):
            with VerticalScroll(id="handoff-form"):
                yield Label("[b]Personne[/b]")
                contacts = [(c.label, c.value) for c in Contact]
                yield rows(
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
                yield rows(
                    ("Événement", LazySelect(events, value=event.value, allow_blank=False, id="life-event",
                                             compact=True)),
                    ("Date", Input(id="event-date", placeholder="JJ/MM/AAAA", max_length=10, compact=True)))
                yield Label("[b]Motif(s) de la demande[/b]")
                yield Input(id="motifs", placeholder="Non-paiement, demande d'explication…", max_length=300,
                            value=motifs, compact=True)
                yield Label("[b]Prestation(s) concernée(s)[/b]")
                yield SelectionList[str](*[(f"{code} — {label}", code, code in benefits)
                                           for code, label in BENEFIT_LABELS.items()], id="benefits", compact=True)
                yield Checkbox("AAH ou RSA interrompu ou en forte baisse", id="sharp-drop", compact=True)
            with VerticalScroll(id="handoff-preview"):
                yield Static("", id="handoff-verdict")
                yield Static("", id="handoff-message", markup=False)
        yield KeyStrip()

    def on_mount(self) -> None:
        self._index()
        self.query_one("#name", Input).focus()
        self._blink()
        self.refresh_preview()
        self.call_after_refresh(self._complete_form)

    async def _complete_form(self) -> None:
        """The rest of the form, under the first screenful; keys typed meanwhile wait (``takes_key``)."""
        await self.query_one("#handoff-form").mount_all(form_tail(self._starting))
        self._index()
        self._blink()
        self.completed.set()
        self.refresh_preview()

    @property
    def complete(self) -> bool:
        """Whether the whole form is mounted (the fields under its first screenful come after its first frame)."""
        return self.completed.is_set()

    def take_card(self, service: Service | None, answers: Answers | None) -> None:
        """The card's service and answers, given to a form made ahead (ui/ahead.py) and never shown,
        just before it is: every field as a form made with them starts, the verdict and the message
        computed now (its first frame shows them)."""
        self.service = service
        self.answers = answers or Answers()
        self._starting = starting_values(self.answers)
        event, motifs, benefits = _from_the_card(service)
        self._set_choice("life-event", event.value)
        if (field := self._get("motifs", Input)) is not None:
            field.value = motifs
        if (chosen := self._get("benefits", SelectionList)) is not None:
            chosen.deselect_all()
            for code in BENEFIT_LABELS:  # in the list's order, as a form made with them selects them
                if code in benefits:
                    chosen.select(code)
        for widget_id, value in self._starting.items():
            if (box := self._get(widget_id, Checkbox)) is not None:
                box.value = bool(value)
            else:
                self._set_choice(widget_id, value)
        self.refresh_preview()

    def _set_choice(self, widget_id: str, value: object) -> None:
        field = self._get(widget_id, Select)
        if field is not None:
            field.value = value

    def takes_key(self, _key: str) -> bool:
        """Keys typed ahead wait for the whole form (ui/typeahead.py): Tab then reaches the field it should."""
        return self.complete

    def _blink(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.cursor_blink
        for area in self.query(TextArea):
            area.cursor_blink = self.cursor_blink

    # -- the draft -------------------------------------------------------------------
    def _index(self) -> None:
        """The form's widgets by id: draft() reads them at every key, and a query walks the whole screen."""
        self._by_id = {widget.id: widget for widget in self.walk_children(Widget) if widget.id}

    def _get(self, widget_id: str, kind: type[_W]) -> _W | None:
        """The widget, or None while the form's tail is not mounted."""
        widget = self._by_id.get(widget_id)
        return widget if isinstance(widget, kind) else None

    def _value(self, widget_id: str) -> str:
        field = self._get(widget_id, Input)
        return field.value if field is not None else ""  # a text field starts empty

    def _choice(self, widget_id: str) -> object:
        field = self._get(widget_id, Select)
        return field.value if field is not None else self._starting.get(widget_id, Select.NULL)

    def _checked(self, widget_id: str) -> bool:
        field = self._get(widget_id, Checkbox)
        return field.value if field is not None else bool(self._starting.get(widget_id))

    def _selected(self, widget_id: str) -> list[str]:
        field = self._get(widget_id, SelectionList)
        return list(field.selected) if field is not None else []

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
        consent = self._choice("consent")
        draft = HandoffDraft(
            name=self._value("name"),
            life_event=LifeEvent(str(self._choice("life-event"))),
            motifs=self._value("motifs"),
            comment=comment.text if (comment := self._get("comment", TextArea)) is not None else "",
            benefits=tuple(self._selected("benefits")),
            file_number=self._value("file-number") or None,
            phone=self._value("phone") or None,
            contact=Contact(str(self._choice("contact"))),
            event_date=dates["event-date"],
            specificities=tuple(Specificity(s) for s in self._selected("specificities")),
            specificity_other=self._value("specificity-other"),
            rights_opened=dates["rights-opened"],
            non_payment_since=dates["non-payment-since"],
            period_start=dates["period-start"],
            period_end=dates["period-end"],
            sharp_drop=self._checked("sharp-drop"),
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
            single_parent=answer(self._choice("single-parent")),
            family=answer(self._choice("family")),
        )
        return draft, bad

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(SelectionList.SelectedChanged)
    @on(TextArea.Changed)
    def _changed(self) -> None:
        if not self._by_id:  # a field mounting before the form is (made ahead: its mount comes after)
            return  # on_mount reads the whole form
        self._leave_armed = False
        self.refresh_preview()

    def refresh_preview(self) -> None:
        """Urgency, destination, warnings and the message, recomputed on every change (pure).

        The rules' texts may quote what was typed or the data files: each goes in as a template
        variable (``$text``), which Textual shows literally, never as markup. A change that leaves the
        draft as it was (a field set to the value it had, as each Select does when mounted) is skipped."""
        draft, bad = self.draft()
        if self._previewed == (draft, bad):
            return
        self._previewed = (draft, bad)
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
