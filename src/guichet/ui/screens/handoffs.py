"""Passages de relais: the list by status, to follow them up; the ones late for their answer first."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from guichet.domain.followup import HandoffRecord, due_note, short_due_note
from guichet.domain.handoff import LIFE_EVENT_LABELS, HandoffStatus, can_move
from guichet.services import Services
from guichet.ui.messages import WorkerFailed
from guichet.ui.screens.fresh import FreshStart
from guichet.ui.widgets.counter_header import header_for
from guichet.ui.widgets.keystrip import KeyStrip
from guichet.ui.widgets.rowlist import Column, RowList
from guichet.ui.workers import READ, WRITE, deliver, report

FILTERS: list[tuple[str, tuple[HandoffStatus, ...]]] = [
    ("en cours", (HandoffStatus.A_TRANSMETTRE, HandoffStatus.TRANSMISE, HandoffStatus.PRISE_EN_CHARGE)),
    ("à transmettre", (HandoffStatus.A_TRANSMETTRE,)),
    ("transmises", (HandoffStatus.TRANSMISE,)),
    ("prises en charge", (HandoffStatus.PRISE_EN_CHARGE,)),
    ("clôturées", (HandoffStatus.CLOTUREE,)),
    ("refusées", (HandoffStatus.REFUSEE,)),
    ("expirées", (HandoffStatus.EXPIREE,)),
    ("toutes", ()),
]
REFRESH_SECONDS = 15.0
# « Réponse »: the answer's due date, or how late it is (domain.followup.short_due_note). The day of creation
# without its time leaves room for it at 80 columns.
COLUMNS = (Column("N°", 5), Column("Urgence", 7), Column("Statut", 15), Column("Réponse", 14), Column("Date", 6),
           Column("Nom", 16), Column("Événement", 16), Column("Destination", 40))
PAGE = 100  # late first, then urgent then newest first; the whole history through `guichet handoff list`
NO_NAME = "—"  # a refusal keeps no name (domain.handoff.refusal_minimum)


EMPTY_REASON = "Indiquez le motif du refus, ou Échap pour annuler."


class ReasonScreen(ModalScreen[str | None]):
    """Ask why a handoff is refused. Stays open until a reason is given (Entrée) or the refusal is
    cancelled (Échap): an empty Entrée says so in the box, and what is typed next stays in the box."""

    CSS_PATH = "handoffs.tcss"

    BINDINGS = [Binding("escape", "cancel", "Annuler", id="reason.cancel")]

    def __init__(self, handoff_id: int | None = None) -> None:
        super().__init__()
        self.handoff_id = handoff_id

    def compose(self) -> ComposeResult:
        title = "Motif du refus" + (f" du relais n° {self.handoff_id}" if self.handoff_id is not None else "")
        with Vertical(classes="dialog"):
            yield Static(title, classes="screen-title")
            yield Input(id="reason", placeholder="Pourquoi ce relais est refusé", max_length=300)
            yield Static("", id="reason-error", markup=False)
            yield Static("Entrée : refuser le relais · Échap : annuler", classes="muted")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_blink = bool(getattr(self.app, "cursor_blink", True))
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        reason = event.value.strip()
        if not reason:  # the box stays: a refusal needs its reason (or Échap)
            self.query_one("#reason-error", Static).update(EMPTY_REASON)
            self.query_one(Input).focus()
            return
        self.dismiss(reason)

    def on_input_changed(self, _event: Input.Changed) -> None:
        self.query_one("#reason-error", Static).update("")

    def action_cancel(self) -> None:
        self.dismiss(None)


class HandoffsScreen(FreshStart, Screen[None]):
    """Handoffs by status; keys move the highlighted one along its follow-up."""

    CSS_PATH = "handoffs.tcss"

    BINDINGS = [
        Binding("escape", "app.back", "Retour", id="handoffs.back"),
        Binding("f", "cycle_filter", "Filtre", id="handoffs.filter"),
        Binding("t", "move('transmise')", "Transmise", id="handoffs.sent"),
        Binding("p", "move('prise_en_charge')", "Prise en charge", id="handoffs.taken"),
        Binding("l", "move('cloturee')", "Clôturée", id="handoffs.closed"),
        Binding("x", "refuse", "Refusée", id="handoffs.refused"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.filter = 0
        self.records: list[HandoffRecord] = []
        self._shown: str | None = None
        self._empty = ""  # the detail pane's text when no handoff is highlighted (none, or a failed read)
        self._today = services.now().date()

    def compose(self) -> ComposeResult:
        yield header_for(self.services)
        with Vertical(id="handoffs-body"):
            yield Static("", id="handoffs-title", classes="screen-title")
            yield RowList(COLUMNS, id="handoffs-table")
            yield Static("", id="handoffs-detail", markup=False)
        yield KeyStrip()

    def on_mount(self) -> None:
        self.reload()
        self.set_interval(REFRESH_SECONDS, self.reload)  # other counters log handoffs too
        self.query_one(RowList).focus()

    def on_screen_resume(self) -> None:
        self.reload()  # back from another screen: show what other counters did meanwhile

    def reload(self) -> None:
        label, statuses = FILTERS[self.filter]
        self.query_one("#handoffs-title", Static).update(f"Passages de relais — {label} (f : changer de filtre)")
        self._fetch(statuses)

    @work(thread=True, exclusive=True, group=READ)
    def _fetch(self, statuses: tuple[HandoffStatus, ...]) -> None:
        try:
            records = self.services.handoffs.listing(statuses, limit=PAGE)
        except Exception as exc:  # told to the screen as a WorkerFailed
            report(self, exc, write=False)
        else:
            deliver(self.app, self._show, records)

    def _show(self, records: list[HandoffRecord], message: str = "") -> None:
        self.records = records
        self._empty = message or "Aucun passage de relais."
        self._today = self.services.now().date()  # the injected clock
        self.query_one(RowList).set_rows([
            (str(r.id), "URGENCE" if r.urgent else "", r.status.label, short_due_note(r, self._today),
             r.created_at.strftime("%d/%m"), r.draft.name or NO_NAME, LIFE_EVENT_LABELS[r.draft.life_event],
             r.destination_label)
            for r in records
        ])
        self._detail()

    def on_row_list_highlighted(self, _event: RowList.Highlighted) -> None:
        self._detail()

    def _current(self) -> HandoffRecord | None:
        table = self.query_one(RowList)
        if not self.records or not 0 <= table.cursor_row < len(self.records):
            return None
        return self.records[table.cursor_row]

    def _detail(self) -> None:
        # The list posts Highlighted even when emptied: the empty list's text must survive it.
        record = self._current()
        text = self._empty
        if record is not None:
            text = record.message or f"Refus de la personne : aucun message. {record.status_reason}"
            if record.status is HandoffStatus.EXPIREE:
                text = f"Expiré : {record.status_reason}\n\n{text}"
            if note := due_note(record, self._today):  # « En retard depuis 3 jours. », above the message
                text = f"{note[0].upper()}{note[1:]}.\n\n{text}"
        if text != self._shown:  # a refresh that leaves the highlighted handoff as it was repaints nothing
            self._shown = text
            self.query_one("#handoffs-detail", Static).update(text)

    def action_cycle_filter(self) -> None:
        self.filter = (self.filter + 1) % len(FILTERS)
        self.reload()

    def _allowed(self, record: HandoffRecord, target: HandoffStatus) -> bool:
        """The follow-up's rule (domain.handoff), checked here first: a move it forbids is told at
        once, before anything is asked (the service checks it again against the status now)."""
        if can_move(record.status, target):
            return True
        self.notify(f"Le passage de relais n° {record.id} est « {record.status.label} » : "
                    f"impossible de le passer à « {target.label} ».", severity="warning", markup=False)
        return False

    def action_move(self, status: str, reason: str = "") -> None:
        record = self._current()
        if record is not None and self._allowed(record, HandoffStatus(status)):
            self._change(record.id, HandoffStatus(status), reason)

    def action_refuse(self) -> None:
        record = self._current()
        if record is None or not self._allowed(record, HandoffStatus.REFUSEE):
            return

        def chosen(reason: str | None) -> None:
            if reason:
                self._change(record.id, HandoffStatus.REFUSEE, reason)

        self.app.push_screen(ReasonScreen(record.id), chosen)

    @work(thread=True, group=WRITE)
    def _change(self, handoff_id: int, status: HandoffStatus, reason: str) -> None:
        try:
            self.services.handoffs.set_status(handoff_id, status, reason)
        except Exception as exc:  # told to the screen as a WorkerFailed
            report(self, exc, write=True)
        else:
            self.app.call_from_thread(self.reload)

    def on_worker_failed(self, event: WorkerFailed) -> None:
        """A failed read leaves an empty list; a refused move is told, then the list shows the current state."""
        if event.write:
            self.notify(event.text, severity="error", markup=False)
            self.reload()
        else:
            self._show([], event.text)  # the detail pane shows its text literally (markup=False)
