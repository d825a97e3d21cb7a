"""Rendez-vous du jour: one agency's appointments of one day, to check people in.

The counter's own agency first (F7 goes through the others, `d` opens any date); the title
always says which agency and which day, and says so when it is not the counter's agency. With
no agency set for this counter the screen asks which one, never showing another silently.

Arrived (`a`, counted as a person received) and absent (`x`) are written at once and undone the
same day with `z`; a cancellation (`c` by the person, `C` by the Caf) cannot, so it asks first.
Every change is conditional on the status the agent saw: another counter's change is told.
"""

from __future__ import annotations

from datetime import date, timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from guichet.domain import fr
from guichet.domain.appointment import short_status, status_text
from guichet.domain.models import Agency, Appointment, Status
from guichet.domain.passage import Outcome
from guichet.services import Services
from guichet.ui.messages import WorkerFailed
from guichet.ui.reception import noted
from guichet.ui.screens.day_pickers import DayPromptScreen
from guichet.ui.screens.fresh import FreshStart
from guichet.ui.widgets.counter_header import header_for
from guichet.ui.widgets.keystrip import KeyStrip
from guichet.ui.widgets.rowlist import Column, RowList
from guichet.ui.widgets.static_text import set_text
from guichet.ui.workers import READ, WRITE, deliver, report

REFRESH_SECONDS = 15.0
HINT_SECONDS = 8.0  # how long « … : z pour revenir en arrière » stays before the counts come back
# 80 columns exactly: one leading space, one between columns.
COLUMNS = (Column("Heure", 5), Column("N°", 5), Column("Type", 4), Column("Canal", 9), Column("Statut", 19),
           Column("Nom", 17), Column("Téléphone", 14))
_CHANNEL_SHORT = {"agence": "agence", "telephone": "téléphone"}

# What each move is called once done, and whether `z` can take it back.
_DONE = {Status.SEEN: "arrivée notée", Status.NOSHOW: "absence notée", Status.BOOKED: "remis en attente",
         Status.EXCUSED: "annulé par la personne", Status.REVOKED: "annulé par la Caf"}
_CANCELS = {Status.EXCUSED: "par la personne", Status.REVOKED: "par la Caf"}
# A name changed by hand in the database could hold a control character: never sent to the terminal.
_CONTROLS = dict.fromkeys((*range(0x00, 0x20), *range(0x7F, 0xA0)), "\N{REPLACEMENT CHARACTER}")


def _printable(text: str) -> str:
    return text.translate(_CONTROLS)


class DaySheetScreen(FreshStart, Screen[None]):
    """One agency's appointments of one day, with their statuses."""

    CSS_PATH = "daysheet.tcss"

    BINDINGS = [
        Binding("escape", "app.back", "Retour", id="day.back"),
        Binding("a", "status('seen')", "Arrivé", id="day.seen"),
        Binding("x", "status('noshow')", "Absent", id="day.noshow"),
        Binding("z", "undo", "En attente", id="day.undo"),
        Binding("c", "cancel('excused')", "Annulé (pers.)", id="day.excused"),
        Binding("C", "cancel('revoked')", "Annulé (Caf)", id="day.revoked", show=False),
        Binding("left", "day(-1)", "Veille", id="day.prev"),
        Binding("right", "day(1)", "Lendemain", id="day.next"),
        Binding("d", "pick_date", "Date", id="day.pick_date"),
        Binding("f7", "next_agency", "Agence", id="day.pick_agency"),
        Binding("e", "export", "Export CSV", id="day.export"),
    ]

    def __init__(self, services: Services, agency_id: str | None, day: date | None = None) -> None:
        super().__init__()
        self.services = services
        self.agency_id = agency_id
        self.day: date = day or services.now().date()
        self.rows: list[Appointment] = []
        self._keep_id: int | None = None  # the appointment the cursor stays on across reloads
        self._hint: str | None = None  # « … : z pour revenir en arrière », for a few seconds
        self._hint_timer: Timer | None = None

    # -- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield header_for(self.services)
        with Vertical(id="day-body"):
            yield Static("", id="day-title", classes="screen-title")
            yield Static("", id="day-notice")
            yield OptionList(*[Option(Content(a.name), id=a.id) for a in self.services.agencies_counter_first()],
                             id="day-agencies")
            yield RowList(COLUMNS, id="day-table")
            yield Static("", id="day-detail")
            yield Static("", id="day-message")
        yield KeyStrip()

    def on_mount(self) -> None:
        self.set_interval(REFRESH_SECONDS, self.reload)  # other counters book too (shared database)
        self._show_agency()

    def on_screen_resume(self) -> None:
        if self.agency_id is not None:
            self.reload()  # back from another screen: show what other counters did meanwhile

    _NEEDS_AGENCY = frozenset({"status", "undo", "cancel", "day", "pick_date", "export"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Before an agency is chosen, the sheet's own keys do nothing: F1 and the footer leave them out."""
        return not (self.agency_id is None and action in self._NEEDS_AGENCY)

    @property
    def agency(self) -> Agency | None:
        return self.services.agency(self.agency_id) if self.agency_id is not None else None

    def _show_agency(self) -> None:
        """With an agency: its sheet. Without: the question, and the list of agencies to choose from."""
        choosing = self.agency_id is None
        self.refresh_bindings()
        chooser = self.query_one("#day-agencies", OptionList)
        table = self.query_one(RowList)
        chooser.display = choosing
        table.display = not choosing
        self.query_one("#day-detail", Static).display = not choosing
        if choosing:
            self.query_one("#day-title", Static).update("Rendez-vous du jour — quelle agence ?")
            self._notice("Aucune agence n'est réglée pour ce guichet (F10 : Réglages). "
                         "Choisissez l'agence à afficher, puis Entrée.", warn=True)
            self.query_one("#day-message", Static).update("")
            chooser.focus()
            return
        table.focus()
        self.reload()

    @on(OptionList.OptionSelected, "#day-agencies")
    def _agency_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.agency_id = event.option.id
        self._show_agency()

    def _notice(self, text: str, *, warn: bool) -> None:
        notice = self.query_one("#day-notice", Static)
        set_text(notice, Content(text))  # an agency's name from a data file: literally
        notice.display = bool(text)
        notice.set_class(warn, "-warning")

    # -- reading -----------------------------------------------------------------------
    def title_text(self) -> str:
        """« Rendez-vous — Nanterre — lundi 23 novembre (aujourd'hui) »."""
        agency = self.agency
        today = self.services.now().date()
        when = fr.day(self.day, year=self.day.year != today.year)
        relative = fr.relative_day(self.day, today)
        if relative in ("aujourd'hui", "demain"):
            when += f" ({relative})"
        elif self.day == today - timedelta(days=1):
            when += " (hier)"
        return f"Rendez-vous — {agency.name if agency else '?'} — {when}"

    def reload(self) -> None:
        agency = self.agency
        if agency is None:
            return
        set_text(self.query_one("#day-title", Static), Content(self.title_text()))
        home = self.services.home_agency
        if home is None:
            self._notice("Aucune agence réglée pour ce guichet (F10 : Réglages) · F7 : changer", warn=True)
        elif home.id != agency.id:
            self._notice(f"Attention : autre agence que celle du guichet ({home.name}) · F7 : changer",
                         warn=True)
        else:
            self._notice("", warn=False)
        self._fetch(agency.id, self.day)

    @work(thread=True, exclusive=True, group=READ)
    def _fetch(self, agency_id: str, day: date) -> None:
        try:
            rows = self.services.appointments.day_sheet(agency_id, day)
        except Exception as exc:  # told to the screen as a WorkerFailed
            report(self, exc, write=False)
        else:
            deliver(self.app, self._show, rows)

    def _show(self, rows: list[Appointment]) -> None:
        from guichet.domain.person import spoken_phone

        table = self.query_one(RowList)
        keep = self._keep_id if self._keep_id is not None else self.highlighted_id
        self.rows = rows
        table.set_rows([
            (fr.hhmm(a.start), str(a.id), a.kind.value.upper(), _CHANNEL_SHORT.get(a.channel.value, a.channel.label),
             short_status(a), a.name, spoken_phone(a.phone) if a.phone else "")
            for a in rows
        ])
        ids = [a.id for a in rows]
        if keep in ids:  # the cursor stays on the same appointment when rows come or go
            table.move_cursor(ids.index(keep))
        self._keep_id = None
        self._show_detail()
        self._show_message()

    @property
    def highlighted(self) -> Appointment | None:
        table = self.query_one(RowList)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @property
    def highlighted_id(self) -> int | None:
        found = self.highlighted
        return found.id if found is not None else None

    @on(RowList.Highlighted, "#day-table")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(RowList.Selected, "#day-table")
    def _selected(self, event: RowList.Selected) -> None:
        """Entrée on a moved appointment: the day (and agency) of the one that replaced it."""
        event.stop()
        a = self.highlighted
        if a is None or a.moved_to is None or a.moved_to_start is None:
            return
        self.agency_id = a.moved_to_agency or self.agency_id
        self.day = a.moved_to_start.date()
        self._keep_id = a.moved_to
        self._set_hint(None)
        self.reload()

    def _show_detail(self) -> None:
        """The highlighted appointment in words: a moved one says where it went."""
        a = self.highlighted
        detail = self.query_one("#day-detail", Static)
        if a is None:
            set_text(detail, "")
            return
        parts = [f"n° {a.id}", f"{fr.hhmm(a.start)}–{fr.hhmm(a.end)}", a.kind.value.upper(), a.channel.label,
                 self._status_text(a)]
        if a.status is Status.MOVED:  # where it went matters more than what it was
            del parts[2:4]
        if a.status is Status.SEEN and a.checked_in_at is not None:
            parts[-1] += f" à {fr.hhmm(a.checked_in_at)}"
        if a.rescheduled_from is not None:
            parts.append(f"remplace le n° {a.rescheduled_from}")
        if a.moved_to is not None:
            parts.append("Entrée : y aller")
        set_text(detail, Content(" · ".join(parts)))

    def _status_text(self, a: Appointment) -> str:
        return status_text(a, {agency.id: agency.name for agency in self.services.agencies})

    def _show_message(self) -> None:
        message = self.query_one("#day-message", Static)
        if self._hint is not None:
            set_text(message, Content(self._hint))
            return
        if not self.rows:
            set_text(message, "Aucun rendez-vous ce jour-là · ←/→ veille, lendemain · d date · F7 agence")
            return
        waiting = sum(1 for a in self.rows if a.status is Status.BOOKED)
        set_text(message, f"{len(self.rows)} rendez-vous, {waiting} en attente · a arrivé · x absent · "
                       "z en attente · c/C annuler")

    def _set_hint(self, text: str | None) -> None:
        self._hint = text
        if self._hint_timer is not None:
            self._hint_timer.stop()
            self._hint_timer = None
        if text is not None:
            self._hint_timer = self.set_timer(HINT_SECONDS, lambda: self._set_hint(None))
        self._show_message()

    # -- moving around -----------------------------------------------------------------
    def action_day(self, step: int) -> None:
        self.day += timedelta(days=step)
        self._set_hint(None)
        self.reload()

    def action_pick_date(self) -> None:
        if self.agency_id is None:
            return

        def chosen(day: date | None) -> None:
            if day is not None:
                self.day = day
                self._set_hint(None)
                self.reload()

        self.app.push_screen(DayPromptScreen(self.services.now().date()), chosen)

    def action_next_agency(self) -> None:
        order = [a.id for a in self.services.agencies_counter_first()]
        if not order:
            return
        current = order.index(self.agency_id) if self.agency_id in order else -1
        was_choosing = self.agency_id is None
        self.agency_id = order[(current + 1) % len(order)]
        self._set_hint(None)
        if was_choosing:
            self._show_agency()
        else:
            self.query_one(RowList).move_cursor(0)
            self.reload()

    # -- changing a status -------------------------------------------------------------
    def action_status(self, status: str) -> None:
        """Arrived or absent: at once (`z` takes it back the same day)."""
        a = self.highlighted
        if a is not None:
            self._change(a, Status(status))

    def action_undo(self) -> None:
        """Back to « réservé »: a mistaken arrival or absence, the same day."""
        a = self.highlighted
        if a is None:
            return
        if a.status not in (Status.SEEN, Status.NOSHOW):
            self.notify(f"Le rendez-vous n° {a.id} est « {self._status_text(a)} » : rien à remettre en attente "
                        "(seuls une arrivée ou une absence se corrigent).", severity="warning", markup=False)
            return
        self._change(a, Status.BOOKED)

    def action_cancel(self, status: str) -> None:
        """A cancellation cannot be undone: ask first, naming the time and the person."""
        a = self.highlighted
        if a is None:
            return
        target = Status(status)
        if a.status is not Status.BOOKED:
            self.notify(f"Le rendez-vous n° {a.id} est « {self._status_text(a)} » : il ne peut plus être annulé.",
                        severity="warning", markup=False)
            return
        from guichet.ui.screens.ask import AskScreen

        question = (f"Annuler le rendez-vous n° {a.id} du {fr.day(a.start.date())} à {fr.hhmm(a.start)} : "
                    f"{_printable(a.name)} ?\nAnnulation {_CANCELS[target]}, définitive : "
                    "le créneau sera proposé à d'autres.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._change(a, target)

        self.app.push_screen(AskScreen(question, yes="Annuler le rendez-vous", no="Garder",
                                       title="Annuler un rendez-vous"), answered)

    def _change(self, appointment: Appointment, status: Status) -> None:
        self._keep_id = appointment.id
        self._write(appointment, status)

    @work(thread=True, group=WRITE)
    def _write(self, appointment: Appointment, status: Status) -> None:
        try:
            changed = self.services.appointments.set_status(appointment.id, status, expected=appointment.status)
        except Exception as exc:  # told to the screen as a WorkerFailed
            report(self, exc, write=True)
        else:
            self.app.call_from_thread(self._changed, changed)

    def _changed(self, changed: Appointment) -> None:
        if changed.status is Status.SEEN:  # a person came for their appointment: received at this counter
            noted(self, Outcome.CHECKED_IN, changed.id)
        what = f"{fr.hhmm(changed.start)} {_printable(changed.name)} (n° {changed.id}) : {_DONE[changed.status]}"
        if changed.status in (Status.SEEN, Status.NOSHOW):
            what += " · z pour revenir en arrière"
        self._keep_id = changed.id
        self._set_hint(what)
        self.reload()

    def on_worker_failed(self, event: WorkerFailed) -> None:
        """A failed read leaves an empty sheet; a refused change is told, and the sheet shows the current state."""
        if event.write:
            self.notify(event.text, severity="error", markup=False)
            self.reload()
        else:
            self._show([])
            self.query_one("#day-message", Static).update(event.content)

    # -- export ------------------------------------------------------------------------
    def action_export(self) -> None:
        if self.agency_id is not None:
            self._export(self.agency_id, self.day)

    @work(thread=True, group=WRITE)
    def _export(self, agency_id: str, day: date) -> None:
        try:
            target = self.services.appointments.export_day_sheet(agency_id, day)
        except OSError as exc:
            text = f"Export impossible : {exc.strerror or type(exc).__name__}. Rien n'a été écrit."
            self.app.call_from_thread(self.notify, text, severity="error", markup=False)
        except Exception as exc:  # told to the screen as a WorkerFailed
            report(self, exc, write=True)
        else:  # a path from the environment: shown literally
            self.app.call_from_thread(self.notify, f"Exporté : {target}", markup=False)
