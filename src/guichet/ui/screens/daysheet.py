"""Rendez-vous du jour: the counter agency's appointments, to check people in."""

from __future__ import annotations

from datetime import date, timedelta

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from guichet.domain import fr
from guichet.domain.models import Appointment, Status
from guichet.services import Services
from guichet.ui.messages import WorkerFailed
from guichet.ui.widgets.counter_header import header_for
from guichet.ui.widgets.rowlist import Column, RowList
from guichet.ui.workers import READ, WRITE, deliver, report

REFRESH_SECONDS = 15.0
COLUMNS = (Column("Heure", 5), Column("N°", 5), Column("Type", 4), Column("Canal", 13), Column("Statut", 12),
           Column("Nom", 20), Column("Téléphone", 14))


class DaySheetScreen(Screen[None]):
    """One agency's appointments of one day, with their statuses."""

    CSS_PATH = "daysheet.tcss"

    BINDINGS = [
        Binding("escape", "app.back", "Retour", id="day.back"),
        Binding("a", "status('seen')", "Arrivé", id="day.seen"),
        Binding("x", "status('noshow')", "Absent", id="day.noshow"),
        Binding("c", "status('excused')", "Annulé (personne)", id="day.excused"),
        Binding("left", "day(-1)", "Veille", id="day.prev"),
        Binding("right", "day(1)", "Lendemain", id="day.next"),
        Binding("e", "export", "Export CSV", id="day.export"),
    ]

    def __init__(self, services: Services, agency_id: str) -> None:
        super().__init__()
        self.services = services
        self.agency_id = agency_id
        self.day: date = services.now().date()
        self.rows: list[Appointment] = []

    def compose(self) -> ComposeResult:
        yield header_for(self.services)
        with Vertical(id="day-body"):
            yield Static("", id="day-title", classes="screen-title")
            yield RowList(COLUMNS, id="day-table")
            yield Static("", id="day-message")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.set_interval(REFRESH_SECONDS, self.reload)  # other counters book too (shared database)
        self.query_one(RowList).focus()

    def on_screen_resume(self) -> None:
        self.reload()  # back from another screen: show what other counters did meanwhile

    def reload(self) -> None:
        agency = self.services.agency(self.agency_id)
        title = f"Rendez-vous du jour — {agency.name} — {fr.day(self.day, year=True)}"
        self.query_one("#day-title", Static).update(Content(title))  # a name from a data file: literally
        self._fetch(self.day)

    @work(thread=True, exclusive=True, group=READ)
    def _fetch(self, day: date) -> None:
        try:
            rows = self.services.appointments.day_sheet(self.agency_id, day)
        except Exception as exc:  # told to the screen as a WorkerFailed
            report(self, exc, write=False)
        else:
            deliver(self.app, self._show, rows)

    def _show(self, rows: list[Appointment]) -> None:
        from guichet.domain.person import spoken_phone

        self.rows = rows
        self.query_one(RowList).set_rows([
            (fr.hhmm(a.start), str(a.id), a.kind.value.upper(), a.channel.label, a.status.label, a.name,
             spoken_phone(a.phone) if a.phone else "")
            for a in rows
        ])
        waiting = sum(1 for a in rows if a.status is Status.BOOKED)
        self.query_one("#day-message", Static).update(
            f"{len(rows)} rendez-vous, {waiting} en attente · a : arrivé · x : absent · c : annulé"
            if rows else "Aucun rendez-vous ce jour-là."
        )

    def action_day(self, step: int) -> None:
        self.day += timedelta(days=step)
        self.reload()

    def action_status(self, status: str) -> None:
        table = self.query_one(RowList)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return
        self._change(self.rows[table.cursor_row].id, Status(status))

    @work(thread=True, group=WRITE)
    def _change(self, appointment_id: int, status: Status) -> None:
        try:
            self.services.appointments.set_status(appointment_id, status)
        except Exception as exc:  # told to the screen as a WorkerFailed
            report(self, exc, write=True)
        else:
            self.app.call_from_thread(self.reload)

    def on_worker_failed(self, event: WorkerFailed) -> None:
        """A failed read leaves an empty sheet; a refused change is told, and the sheet shows the current state."""
        if event.write:
            self.notify(event.text, severity="error", markup=False)
            self.reload()
        else:
            self._show([])
            self.query_one("#day-message", Static).update(event.content)

    def action_export(self) -> None:
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
