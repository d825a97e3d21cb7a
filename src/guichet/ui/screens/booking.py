"""Prendre rendez-vous: the next free slots across agencies, then the person's details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.validation import ValidationResult, Validator
from textual.widgets import Footer, Input, Label, Static

from guichet.domain import fr, person
from guichet.domain.appointment import booking_defaults, offers
from guichet.domain.clock import utc
from guichet.domain.models import Appointment, Channel, Kind
from guichet.domain.slots import DayPart, Slot
from guichet.errors import InvalidInput
from guichet.services import Services
from guichet.services.appointments import BookingRequest
from guichet.ui.choices import BookingChoice
from guichet.ui.messages import WorkerFailed
from guichet.ui.widgets.counter_header import header_for
from guichet.ui.widgets.rowlist import Column, RowList
from guichet.ui.workers import READ, WRITE, deliver, report

SLOT_COLUMNS = (Column("Jour", 20), Column("Heure", 5), Column("Agence", 18), Column("Places", 6))
SLOTS_SHOWN = 40  # the list draws only its visible lines, so a long one costs nothing more
REFRESH_SECONDS = 20.0  # other counters book the same slots (shared database)


class FrenchCheck(Validator):
    """Wraps one of :mod:`guichet.domain.person`'s validators for inline validation."""

    def __init__(self, check: object) -> None:
        super().__init__()
        self.check = check

    def validate(self, value: str) -> ValidationResult:
        try:
            self.check(value)  # type: ignore[operator]
        except InvalidInput as exc:
            return self.failure(str(exc))
        return self.success()


class SlotTable(RowList):
    """The slot list: ←/→ change the day, ↑/↓ the time."""

    BINDINGS = [
        Binding("left", "day(-1)", "Jour précédent", id="slots.prev_day"),
        Binding("right", "day(1)", "Jour suivant", id="slots.next_day"),
    ]

    @dataclass
    class DayChanged(Message):
        """The agent asked for the previous (-1) or next (+1) day."""

        step: int

    def action_day(self, step: int) -> None:
        self.post_message(self.DayChanged(step))


class BookingScreen(Screen[Appointment | None]):
    """Choose a slot, type the person's details, book; shows the confirmation."""

    CSS_PATH = "booking.tcss"

    BINDINGS = [
        Binding("escape", "leave", "Retour", id="booking.back"),
        Binding("f5", "toggle_kind", "GCA/CSU", id="booking.kind"),
        Binding("f6", "toggle_channel", "Agence/Tél.", id="booking.channel"),
        Binding("f7", "cycle_agency", "Agence", id="booking.agency"),
        Binding("f8", "cycle_part", "Matin/AM", id="booking.part"),
        Binding("ctrl+s", "book", "Réserver", id="booking.book"),
    ]

    def __init__(self, services: Services, choice: BookingChoice | None = None, *, cursor_blink: bool = True) -> None:
        super().__init__()
        self.services = services
        choice = choice or BookingChoice()
        self.kind, self.channel = booking_defaults(services.agencies, choice.kind, choice.channel)
        self.service = choice.service
        self.cursor_blink = cursor_blink
        self.agency_id: str | None = None
        self.part: DayPart | None = None
        self.day_from: date = services.now().date()
        self.slots: list[Slot] = []
        self._leave_armed = False
        self._booking = False  # a booking is being written: a second Entrée must not book twice
        self._note: Content | None = None  # shown instead of the count once the list is reloaded

    def compose(self) -> ComposeResult:
        yield header_for(self.services)
        with Vertical(id="booking-body"):
            yield Static("", id="booking-filters")
            yield SlotTable(SLOT_COLUMNS, id="slots")
            with Grid(id="person-form"):
                yield Label("Nom")
                yield Input(id="name", placeholder="Nom et prénom", validators=[FrenchCheck(person.name)],
                            max_length=80)
                yield Label("N° allocataire")
                yield Input(id="file-number", placeholder="7 chiffres (facultatif)", max_length=9,
                            validators=[FrenchCheck(person.file_number)])
                yield Label("Téléphone")
                yield Input(id="phone", placeholder="06 12 34 56 78", max_length=20,
                            validators=[FrenchCheck(self._check_phone)])
                yield Label("Objet")
                yield Input(id="objective", placeholder="Objet du rendez-vous (facultatif)", max_length=300)
            yield Static("", id="booking-message")
        yield Footer()

    def _check_phone(self, value: str) -> None:
        person.phone(value, required=self.channel is Channel.TELEPHONE)

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.cursor_blink
        if self.service is not None:
            self.query_one("#objective", Input).value = self.service.title[:300]
        self.load_slots()
        self.set_interval(REFRESH_SECONDS, self._refresh_if_browsing)
        self.query_one(SlotTable).focus()

    def _refresh_if_browsing(self) -> None:
        """Reload the free slots while the agent is choosing one (not while typing details)."""
        if self.focused is self.query_one(SlotTable):
            self.load_slots()

    # -- filters and slots -------------------------------------------------------------
    def _filters_text(self) -> Content:
        """The criteria line; agency and service names come from the data files: shown literally."""
        agency = self.services.agency(self.agency_id).name if self.agency_id else "toutes les agences"
        part = {None: "toute la journée", DayPart.MATIN: "le matin", DayPart.APRES_MIDI: "l'après-midi"}[self.part]
        motif = f" · motif : {self.service.title}" if self.service else ""
        return Content.from_markup("[b]$choice[/b] · $rest", choice=f"{self.kind.label} {self.channel.label}",
                                   rest=f"{agency} · {part} · à partir du {fr.day(self.day_from)}{motif}")

    def load_slots(self, note: Content | None = None) -> None:
        """Ask for the free slots; ``note`` stays in the message line instead of the count."""
        self._note = note
        self.query_one("#booking-filters", Static).update(self._filters_text())
        self.query_one("#booking-message", Static).update(note or "Recherche des créneaux libres…")
        self._fetch(self.kind, self.channel, self.agency_id, self.part, self.day_from)

    @work(thread=True, exclusive=True, group=READ)
    def _fetch(self, kind: Kind, channel: Channel, agency_id: str | None, part: DayPart | None, day_from: date) -> None:
        try:
            slots = self.services.appointments.find_slots(kind, channel, agency_id, date_from=day_from, part=part,
                                                     limit=SLOTS_SHOWN)
        except Exception as exc:  # told to the screen as a WorkerFailed, which keeps the screen usable
            report(self, exc, write=False)
        else:
            deliver(self.app, self._show_slots, slots)

    def _show_slots(self, slots: list[Slot]) -> None:
        table = self.query_one(SlotTable)
        chosen = self.chosen
        self.slots = slots
        names = {a.id: a.name for a in self.services.agencies}
        table.set_rows([(fr.day(slot.start), fr.hhmm(slot.start), names.get(slot.agency_id, slot.agency_id),
                         f"{slot.free}/{slot.desks}") for slot in slots])
        if chosen is not None:  # keep the highlighted slot across a refresh when it is still free
            same = [i for i, s in enumerate(slots)
                    if (utc(s.start), s.agency_id) == (utc(chosen.start), chosen.agency_id)]  # instants
            if same:
                table.move_cursor(same[0])
        note, self._note = self._note, None
        self.query_one("#booking-message", Static).update(
            note or (f"{len(slots)} créneaux · ←/→ jour · ↑/↓ heure · Entrée : choisir" if slots
                     else "Aucun créneau libre avec ces critères.")
        )

    @on(SlotTable.DayChanged)
    def _day_changed(self, event: SlotTable.DayChanged) -> None:
        today = self.services.now().date()
        self.day_from = max(today, self.day_from + timedelta(days=event.step))
        self.load_slots()

    def action_toggle_kind(self) -> None:
        kind = Kind.CSU if self.kind is Kind.GCA else Kind.GCA
        self.kind, self.channel = booking_defaults(self.services.agencies, kind, self.channel)
        self._revalidate_phone()
        self.load_slots()

    def action_toggle_channel(self) -> None:
        channel = Channel.AGENCE if self.channel is Channel.TELEPHONE else Channel.TELEPHONE
        if not offers(self.services.agencies, self.kind, channel):
            self.notify(f"Aucune agence ne propose de rendez-vous {self.kind.label} {channel.label}.",
                        severity="warning", markup=False)
            return
        self.channel = channel
        self._revalidate_phone()
        self.load_slots()

    def _revalidate_phone(self) -> None:
        """The phone is required by phone only: check the field again when the channel changes."""
        self.query_one("#phone", Input).validate(self.query_one("#phone", Input).value)

    def action_cycle_agency(self) -> None:
        ids = [None, *(a.id for a in self.services.agencies)]
        self.agency_id = ids[(ids.index(self.agency_id) + 1) % len(ids)]
        self.load_slots()

    def action_cycle_part(self) -> None:
        parts = [None, DayPart.MATIN, DayPart.APRES_MIDI]
        self.part = parts[(parts.index(self.part) + 1) % len(parts)]
        self.load_slots()

    @on(RowList.Selected, "#slots")
    def _slot_chosen(self) -> None:
        if self.slots:
            self.query_one("#name", Input).focus()

    @property
    def chosen(self) -> Slot | None:
        table = self.query_one(SlotTable)
        if not self.slots or table.cursor_row < 0 or table.cursor_row >= len(self.slots):
            return None
        return self.slots[table.cursor_row]

    # -- booking ---------------------------------------------------------------------
    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        order = ["name", "file-number", "phone", "objective"]
        current = event.input.id or ""
        if current in order[:-1]:
            self.query_one(f"#{order[order.index(current) + 1]}", Input).focus()
        else:
            self.action_book()

    def action_book(self) -> None:
        if self._booking:
            return
        slot = self.chosen
        message = self.query_one("#booking-message", Static)
        if slot is None:
            message.update("[b $error]Choisissez d'abord un créneau dans la liste.[/]")
            self.query_one(SlotTable).focus()
            return
        values = {field.id: field.value for field in self.query(Input)}
        request = BookingRequest(
            agency_id=slot.agency_id, kind=slot.kind, channel=slot.channel, start=slot.start,
            name=values["name"] or "", file_number=values["file-number"], phone=values["phone"],
            service_id=self.service.id if self.service else None, objective=values["objective"] or "",
        )
        message.update("Réservation en cours…")
        self._booking = True
        self._book(request)

    @work(thread=True, group=WRITE)
    def _book(self, request: BookingRequest) -> None:
        try:
            booked = self.services.appointments.book(request)
        except Exception as exc:  # told to the screen as a WorkerFailed
            report(self, exc, write=True)
        else:
            self.app.call_from_thread(self._booked, booked)

    def on_worker_failed(self, event: WorkerFailed) -> None:
        """A failed read leaves an empty list; a refused booking can be corrected and sent again."""
        if event.write:
            self._booking = False
        else:
            self.slots, self._note = [], None
            self.query_one(SlotTable).set_rows([])
        if event.lost_race:  # the slot was just taken: the list shows what is still free
            self.load_slots(note=event.content)
        else:
            self.query_one("#booking-message", Static).update(event.content)

    def _booked(self, booked: Appointment) -> None:
        from guichet.ui.screens.confirmation import ConfirmationScreen

        for field in self.query(Input):
            field.value = ""
        self.app.switch_screen(ConfirmationScreen(self.services, booked))

    def action_leave(self) -> None:
        """Leave; when details were typed, a second Escape confirms that they are dropped."""
        if self._booking:  # the screen shows the confirmation (or the error) as soon as it is written
            self.notify("Réservation en cours d'enregistrement : un instant.", severity="warning")
            return
        typed = any(field.value.strip() for field in self.query(Input) if field.id != "objective")
        if typed and not self._leave_armed:
            self._leave_armed = True
            self.query_one("#booking-message", Static).update(
                "[b $warning]Saisie en cours : Échap encore pour l'abandonner, ou continuez.[/]"
            )
            return
        self.dismiss(None)
