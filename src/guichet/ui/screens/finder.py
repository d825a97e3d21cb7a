"""Retrouver un rendez-vous: a person's appointments by file number, name or phone, across agencies.

The first thing asked when a person calls back. The search runs in a read worker (it queries the
database) as the agent types: 7 digits are a file number, 10 a phone (both exact), letters a name
(typos, accents and case tolerated). Upcoming appointments first, then those of the last 30 days.
From a result: r moves it (the booking screen's slot picker), c / v cancel it (by the person / by
the Caf, after a question), a notes the arrival, Entrée or l reads the confirmation again.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static

from guichet.domain import fr, person
from guichet.domain.appointment import check_move, check_reschedulable
from guichet.domain.models import Appointment, Channel, Status
from guichet.errors import InvalidInput
from guichet.services import Services
from guichet.services.appointments import FoundAppointments
from guichet.ui.messages import WorkerFailed
from guichet.ui.screens.fresh import FreshStart
from guichet.ui.widgets.counter_header import header_for
from guichet.ui.widgets.keystrip import KeyStrip
from guichet.ui.widgets.rowlist import Column, RowList
from guichet.ui.workers import READ, WRITE, deliver, report

COLUMNS = (Column("Date", 16), Column("Agence", 12), Column("Type", 10), Column("Statut", 13), Column("Nom", 13),
           Column("N° alloc.", 9))
SHORT_DAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
SHORT_STATUS = {Status.EXCUSED: "annulé (pers)", Status.REVOKED: "annulé (Caf)"}
HINT = "Tapez un n° allocataire (7 chiffres), un téléphone (10 chiffres) ou un nom (2 lettres ou plus)."
KEYS = "r : déplacer · c : annulé (personne) · v : annulé (Caf) · a : arrivé · Entrée : confirmation"


def short_moment(appointment: Appointment) -> str:
    """``lun. 23/11 10:00``."""
    start = appointment.start
    return f"{SHORT_DAYS[start.weekday()]} {start.day:02d}/{start.month:02d} {fr.hhmm(start)}"


def searchable(text: str) -> bool:
    """Whether ``text`` is enough to search: a whole file number or phone, or 2 letters of a name."""
    compact = "".join(c for c in text if c not in " .-()")
    if compact.lstrip("+").isdigit():
        return len(compact) == 7 or len(compact) >= 10
    return sum(c.isalpha() for c in text) >= 2


class FinderTable(RowList):
    """The results; the keys act on the highlighted appointment."""

    BINDINGS = [
        Binding("r", "screen.reschedule", "Déplacer", id="finder.reschedule"),
        Binding("c", "screen.cancel('excused')", "Annulé pers.", id="finder.excused"),
        Binding("v", "screen.cancel('revoked')", "Annulé Caf", id="finder.revoked"),
        Binding("a", "screen.arrived", "Arrivé", id="finder.seen"),
        Binding("l", "screen.confirmation", "Relire", id="finder.confirmation"),
    ]


class FinderScreen(FreshStart, Screen[None]):
    """Find a person's appointments and act on one."""
    AUTO_FOCUS = "#finder-input"  # focused first, directly (issue 16: each focus change restyles)

    CSS_PATH = "finder.tcss"

    BINDINGS = [
        Binding("escape", "leave", "Retour", id="finder.back"),
        Binding("down", "results", "Résultats", id="finder.results", show=False),
    ]

    def __init__(self, services: Services, *, cursor_blink: bool = True) -> None:
        super().__init__()
        self.services = services
        self.cursor_blink = cursor_blink
        self.results: list[Appointment] = []
        self._searched = ""  # the text of the results shown
        self._note: Content | None = None  # what the last change did: said once the list is reloaded
        self._generation = 0  # of the latest search: the results of an older one are dropped
        self._shown_generation = 0  # of the results on screen

    def compose(self) -> ComposeResult:
        yield header_for(self.services)
        with Vertical(id="finder-body"):
            yield Static("Retrouver un rendez-vous", classes="screen-title")
            yield Input(id="finder-input", placeholder="N° allocataire, nom ou téléphone", max_length=80)
            yield FinderTable(COLUMNS, id="finder-results")
            yield Static("", id="finder-detail")
            yield Static(HINT, id="finder-message")
        yield KeyStrip()

    def on_mount(self) -> None:
        field = self.query_one("#finder-input", Input)
        field.cursor_blink = self.cursor_blink
        field.focus()

    def on_screen_resume(self) -> None:
        """Back from a move or a confirmation: show the appointments as they are now."""
        if self._searched:
            self.search(self._searched)

    def unsaved_work(self) -> str | None:
        """A search holds nothing that would be lost."""
        return None

    # -- searching ----------------------------------------------------------------------------
    @on(Input.Changed, "#finder-input")
    def _typed(self, event: Input.Changed) -> None:
        if event.value.strip():
            from guichet.ui.reception import touched

            touched(self)  # looking up a person's appointment: they are being received
        self.search(event.value)

    @on(Input.Submitted, "#finder-input")
    def _submitted(self) -> None:
        self.action_results()

    def action_results(self) -> None:
        if self.results:
            self.query_one(FinderTable).focus()

    def search(self, text: str) -> None:
        self._generation += 1
        if not searchable(text):
            self._searched = ""
            self._show(FoundAppointments([]), "", self._generation)
            self._say(HINT)
            return
        self._searched = text
        self._say("Recherche…")
        self._fetch(text, self._generation)

    @work(thread=True, exclusive=True, group=READ)
    def _fetch(self, text: str, generation: int) -> None:
        try:
            found = self.services.appointments.find_person(text)
        except Exception as exc:  # told to the screen as a WorkerFailed
            report(self, exc, write=False)
        else:
            deliver(self.app, self._show, found, text, generation)

    def takes_key(self, key: str) -> bool:
        """Typeahead (ui/typeahead.py): an Entrée typed ahead waits for the results it goes to."""
        return key != "enter" or self._shown_generation == self._generation

    def _show(self, found: FoundAppointments, text: str, generation: int) -> None:
        if generation != self._generation:  # a newer search is under way: its results will come
            return
        self._shown_generation = generation
        table = self.query_one(FinderTable)
        current = self.current
        self.results = found.appointments
        names = {a.id: a.name for a in self.services.agencies}
        table.set_rows([
            (short_moment(a), names.get(a.agency_id, a.agency_id),
             f"{a.kind.value.upper()} {'tél.' if a.channel is Channel.TELEPHONE else 'agence'}",
             SHORT_STATUS.get(a.status, a.status.label), a.name, a.file_number or "")
            for a in self.results
        ])
        if current is not None:  # the same appointment stays highlighted after a reload
            ids = [a.id for a in self.results]
            if current.id in ids:
                table.move_cursor(ids.index(current.id))
        if not text:
            return
        note, self._note = self._note, None
        if note is not None:
            self._say(note)
        elif not self.results:
            self._say("Aucun rendez-vous trouvé (à venir, ou des 30 derniers jours).")
        else:
            limited = "" if found.complete else " (recherche limitée : précisez le nom)"
            self._say(f"{len(self.results)} rendez-vous{limited} · {KEYS}")
        self._detail()

    @on(RowList.Highlighted, "#finder-results")
    def _highlighted(self) -> None:
        self._detail()

    def _detail(self) -> None:
        """The highlighted appointment in full (the columns cut it short)."""
        a = self.current
        detail = self.query_one("#finder-detail", Static)
        if a is None:
            detail.update("")
            return
        status = a.status.label
        if a.status is Status.MOVED and a.moved_to_start is not None:
            status = f"déplacé au {fr.day_time(a.moved_to_start)}"
        parts = [f"RDV n° {a.id}", f"{fr.day_time(a.start)} — {self._agency_name(a.agency_id)}",
                 f"{a.kind.label} {a.channel.label}", status, a.name]
        if a.file_number:
            parts.append(f"n° {a.file_number}")
        if a.phone:
            parts.append(person.spoken_phone(a.phone))
        detail.update(Content(" · ".join(parts)))  # names from people: literally

    def _agency_name(self, agency_id: str) -> str:
        found = self.services.catalog.agency(agency_id)
        return found.name if found is not None else agency_id

    def _say(self, text: str | Content) -> None:
        self.query_one("#finder-message", Static).update(text if isinstance(text, Content) else Content(text))

    def _refuse(self, text: str) -> None:
        self._say(Content.from_markup("[b $error]$text[/]", text=text))

    @property
    def current(self) -> Appointment | None:
        table = self.query_one(FinderTable)
        if not self.results or not 0 <= table.cursor_row < len(self.results):
            return None
        return self.results[table.cursor_row]

    # -- acting on one ---------------------------------------------------------------------------
    def action_reschedule(self) -> None:
        from guichet.ui.screens.booking import BookingScreen

        a = self.current
        if a is None:
            return
        try:
            check_reschedulable(a)
        except InvalidInput as exc:
            self._refuse(str(exc))
            return
        self.app.push_screen(BookingScreen(self.services, cursor_blink=self.cursor_blink, reschedule=a))

    def action_cancel(self, status: str) -> None:
        from guichet.ui.screens.ask import AskScreen

        a = self.current
        if a is None:
            return
        target = Status(status)
        try:
            check_move(a, target, self.services.now())  # an impossible move is refused before asking
        except InvalidInput as exc:
            self._refuse(str(exc))
            return
        by = "à la demande de la personne" if target is Status.EXCUSED else "par la Caf"
        question = (f"Annuler {by} le rendez-vous n° {a.id} de {a.name} : {fr.day_time(a.start)} — "
                    f"{self._agency_name(a.agency_id)} ? Le créneau sera libéré.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._say("Enregistrement…")
                self._change(a.id, target)

        self.app.push_screen(AskScreen(question, yes="Annuler le RDV", no="Garder", title="Annuler un rendez-vous"),
                             answered)

    def action_arrived(self) -> None:
        a = self.current
        if a is None:
            return
        try:
            check_move(a, Status.SEEN, self.services.now())
        except InvalidInput as exc:
            self._refuse(str(exc))
            return
        self._change(a.id, Status.SEEN)

    @work(thread=True, group=WRITE)
    def _change(self, appointment_id: int, target: Status) -> None:
        try:
            changed = self.services.appointments.set_status(appointment_id, target)
        except Exception as exc:  # told to the screen as a WorkerFailed
            report(self, exc, write=True)
        else:
            self.app.call_from_thread(self._changed, changed)

    def _changed(self, changed: Appointment) -> None:
        if changed.status is Status.SEEN:  # a person came for their appointment: received at this counter
            from guichet.domain.passage import Outcome
            from guichet.ui.reception import noted

            noted(self, Outcome.CHECKED_IN, changed.id)
        self._note = Content(f"Rendez-vous n° {changed.id} : {changed.status.label}.")
        self.search(self._searched)

    def on_worker_failed(self, event: WorkerFailed) -> None:
        """A refused change is told and the list reloaded; a failed search leaves no results."""
        if event.write and self._searched:
            self._note = event.content
            self.search(self._searched)
            return
        if not event.write:
            self._show(FoundAppointments([]), "", self._generation)
            self.query_one("#finder-detail", Static).update("")
        self._say(event.content)

    def action_confirmation(self) -> None:
        from guichet.ui.screens.confirmation import ConfirmationScreen

        a = self.current
        if a is None:
            return
        if a.status not in (Status.BOOKED, Status.SEEN):
            self._refuse(f"Le rendez-vous n° {a.id} est « {a.status.label} » : pas de confirmation à relire.")
            return
        self.app.push_screen(ConfirmationScreen(self.services, a))

    @on(RowList.Selected, "#finder-results")
    def _selected(self) -> None:
        self.action_confirmation()

    def action_leave(self) -> None:
        """Escape: from the results back to the search field, then out of the screen."""
        if self.focused is self.query_one(FinderTable):
            self.query_one("#finder-input", Input).focus()
        else:
            self.dismiss(None)
