"""Prendre rendez-vous: the next free slots across agencies, then the person's details.

The slot is chosen explicitly: Entrée on the list *chooses* the highlighted slot, which the line
above the form names in words, and Ctrl+S books that slot and no other. The list reloads (every
20 s while the agent browses it, after a filter change, after a lost race) without ever moving the
choice: when the chosen slot is no longer in the list, the choice is cleared, the agent is told why,
the focus goes back to the list, and Ctrl+S refuses until a slot is chosen again.

The same screen moves an existing appointment (``reschedule=``): same kind and channel, the
person's details shown and read-only, Ctrl+S moves it to the chosen slot.
"""

from __future__ import annotations

from datetime import date, timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static

from guichet.domain import fr
from guichet.domain.appointment import booking_defaults, offers
from guichet.domain.models import Appointment, Channel, Kind
from guichet.domain.slots import DayPart, Slot
from guichet.services import Services
from guichet.ui.choices import BookingChoice
from guichet.ui.screens.booking_parts import (
    FIELD_ORDER,
    PERSON_FIELDS,
    SLOT_COLUMNS,
    SlotTable,
    agency_cycle,
    check_field,
    choice_lost_text,
    choice_text,
    filters_text,
    person_form,
    places,
    shown_details,
    slot_key,
)
from guichet.ui.screens.booking_writes import BookingWrites
from guichet.ui.screens.fresh import FreshStart
from guichet.ui.widgets.counter_header import header_for
from guichet.ui.widgets.keystrip import KeyStrip
from guichet.ui.widgets.rowlist import RowList
from guichet.ui.widgets.static_text import set_text
from guichet.ui.workers import READ, deliver, report

SLOTS_SHOWN = 40  # the list draws only its visible lines, so a long one costs nothing more
REFRESH_SECONDS = 20.0  # other counters book the same slots (shared database)
UNSAVED = "un rendez-vous en cours de saisie"


class BookingScreen(FreshStart, BookingWrites, Screen[Appointment | None]):
    """Choose a slot, type the person's details, book; shows the confirmation."""
    AUTO_FOCUS = "SlotTable"  # focused first, directly (issue 16: each focus change restyles)

    CSS_PATH = "booking.tcss"

    BINDINGS = [
        Binding("escape", "leave", "Retour", id="booking.back"),
        Binding("f5", "toggle_kind", "GCA/CSU", id="booking.kind"),
        Binding("f6", "toggle_channel", "Agence/Tél.", id="booking.channel"),
        Binding("f7", "cycle_agency", "Agence", id="booking.agency"),
        Binding("f8", "cycle_part", "Matin/AM", id="booking.part"),
        Binding("ctrl+s", "book", "Réserver", id="booking.book"),
    ]

    def __init__(self, services: Services, choice: BookingChoice | None = None, *, cursor_blink: bool = True,
                 reschedule: Appointment | None = None) -> None:
        super().__init__()
        self.services = services
        self.rescheduling = reschedule  # the appointment being moved, or None for a new booking
        if reschedule is not None:
            self.kind, self.channel = reschedule.kind, reschedule.channel
            self.service = services.catalog.service(reschedule.service_id) if reschedule.service_id else None
        else:
            self._motif(choice or BookingChoice())
        self.cursor_blink = cursor_blink
        self.agency_id: str | None = None
        self.part: DayPart | None = None
        self.day_from: date = services.now().date()
        self.slots: list[Slot] = []
        self.chosen_slot: Slot | None = None  # what Ctrl+S books: chosen with Entrée, never implied
        self._leave_armed = False
        self._booking = False  # a booking is being written: a second Entrée must not book twice
        self._written: Appointment | None = None  # booked while another screen was shown
        self._note: Content | None = None  # shown instead of the count once the list is reloaded
        self._generation = 0  # of the latest slot search: an older one's list is dropped
        self._shown_generation = 0  # of the slot list on screen
        self._reload_when_shown = False  # the slots were searched while the screen was not shown

    def compose(self) -> ComposeResult:
        yield header_for(self.services)
        with Vertical(id="booking-body"):
            yield Static("", id="booking-filters")
            yield SlotTable(SLOT_COLUMNS, id="slots")
            yield Static("", id="booking-chosen")
            yield from person_form()
            yield Static("", id="booking-message")
        yield KeyStrip()

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.cursor_blink
        old = self.rescheduling
        if old is not None:  # the person's details are those of the appointment: shown, not typed
            for field_id, value in shown_details(old).items():
                field = self.query_one(f"#{field_id}", Input)
                field.value = value
                field.disabled = True
        elif self.service is not None:
            self.query_one("#objective", Input).value = self.service.title[:300]
        self._show_choice()
        self.load_slots()
        # Made ahead (ui/ahead.py): laid out with these slots, searched again as it is first shown.
        self._reload_when_shown = not self.is_current
        self.set_interval(REFRESH_SECONDS, self._refresh_if_browsing)
        self.query_one(SlotTable).focus()

    def take_choice(self, choice: BookingChoice) -> None:
        """The card's motif (kind, channel, service), given to a screen made ahead and never shown,
        just before it is: what a screen made with ``choice`` would show, with the slots searched
        again (the filters line and the message say so in the very first frame)."""
        self._motif(choice)
        self.query_one("#objective", Input).value = self.service.title[:300] if self.service else ""
        self._from_now()

    def _motif(self, choice: BookingChoice) -> None:
        """Kind, channel (those some agency offers) and service from the card's choice."""
        self.kind, self.channel = booking_defaults(self.services.agencies, choice.kind, choice.channel)
        self.service = choice.service

    def _from_now(self) -> None:
        """The slots from today on (a screen made ahead may have been made the day before), searched now."""
        self._reload_when_shown = False
        self.day_from = max(self.day_from, self.services.now().date())
        self.load_slots()

    def _refresh_if_browsing(self) -> None:
        """Reload the free slots while the agent is choosing one (not while typing details, nor while
        the screen is not shown: made ahead, or kept while the agent looks elsewhere)."""
        if self.is_current and self.focused is self.query_one(SlotTable) and not self._booking:
            self.load_slots()

    # -- what would be lost ----------------------------------------------------------------
    def unsaved_work(self) -> str | None:
        """What leaving now would drop (asked before quitting), or None."""
        if self._booking:
            return "un rendez-vous en cours d'enregistrement"
        if self.rescheduling is not None:
            return "un déplacement de rendez-vous en cours" if self.chosen_slot is not None else None
        if any(self.query_one(f"#{field_id}", Input).value.strip() for field_id in PERSON_FIELDS):
            return UNSAVED
        return None

    # -- filters and slots -------------------------------------------------------------
    def _agency_name(self, agency_id: str) -> str:
        found = self.services.catalog.agency(agency_id)
        return found.name if found is not None else agency_id

    def describe(self, slot: Slot) -> str:
        """``mardi 24 novembre, 10:00 — Nanterre``."""
        return f"{fr.day_time(slot.start)} — {self._agency_name(slot.agency_id)}"

    def _filters_text(self) -> Content:
        """The criteria line; agency and service names come from the data files: shown literally."""
        agency = self._agency_name(self.agency_id) if self.agency_id else "toutes les agences"
        return filters_text(f"{self.kind.label} {self.channel.label}", agency, self.part, self.day_from,
                            self.service.title if self.service else None)

    def _show_choice(self) -> None:
        """The line above the form: the chosen slot in words (or how to choose one)."""
        slot, old = self.chosen_slot, self.rescheduling
        moved = (f"Déplacer le RDV n° {old.id} du {fr.day_time(old.start)} — {self._agency_name(old.agency_id)}"
                 if old is not None else None)
        chosen = self.query_one("#booking-chosen", Static)
        chosen.update(choice_text(self.describe(slot) if slot is not None else None, moved))
        chosen.set_class(slot is not None, "-chosen")

    def load_slots(self, note: Content | None = None) -> None:
        """Ask for the free slots; ``note`` stays in the message line instead of the count."""
        self._note = note
        self._generation += 1
        self.query_one("#booking-filters", Static).update(self._filters_text())
        self.query_one("#booking-message", Static).update(note or "Recherche des créneaux libres…")
        self._fetch(self.kind, self.channel, self.agency_id, self.part, self.day_from, self._generation)

    @work(thread=True, exclusive=True, group=READ)
    def _fetch(self, kind: Kind, channel: Channel, agency_id: str | None, part: DayPart | None, day_from: date,
               generation: int) -> None:
        appointments = self.services.appointments
        try:  # offered nowhere is an error that says so (and who offers it), never an empty list
            slots = appointments.find_slots(kind, channel, agency_id, date_from=day_from, part=part,
                                            limit=SLOTS_SHOWN)
            # none: closed those days, or all taken (the message tells them apart)
            empty = None if slots else appointments.empty_reason(kind, channel, agency_id, date_from=day_from,
                                                                 part=part)
        except Exception as exc:  # told to the screen as a WorkerFailed, which keeps the screen usable
            report(self, exc, write=False)
        else:
            deliver(self.app, self._show_slots, slots, generation, empty)

    def takes_key(self, _key: str) -> bool:
        """Typeahead (ui/typeahead.py): keys typed on the slot list wait for the slots being fetched."""
        return self._shown_generation == self._generation or not isinstance(self.focused, SlotTable)

    def _show_slots(self, slots: list[Slot], generation: int, empty: str | None = None) -> None:
        if generation != self._generation:  # a newer search (other filters) is under way
            return
        self._shown_generation = generation
        table = self.query_one(SlotTable)
        highlighted = self.highlighted
        self.slots = slots
        names = {a.id: a.name for a in self.services.agencies}
        table.set_rows([(fr.day(slot.start), fr.hhmm(slot.start), names.get(slot.agency_id, slot.agency_id),
                         places(slot)) for slot in slots])
        keys = [slot_key(s) for s in slots]
        note, self._note = self._note, None
        chosen = self.chosen_slot
        if chosen is not None:
            if slot_key(chosen) in keys:  # still free: the highlight goes back to it, the choice stays
                index = keys.index(slot_key(chosen))
                self.chosen_slot = slots[index]
                table.move_cursor(index)
                self._show_choice()
            else:  # never carry the typed details over to another slot
                self._choice_lost(chosen, note)
                return
        elif highlighted is not None and slot_key(highlighted) in keys:
            table.move_cursor(keys.index(slot_key(highlighted)))
        set_text(self.query_one("#booking-message", Static),
                 note or (f"{len(slots)} créneaux · ←/→ jour · ↑/↓ heure · Entrée : choisir" if slots
                          else Content(empty or "Aucun créneau libre avec ces critères.")))

    def _matches_filters(self, slot: Slot) -> bool:
        return (slot.kind is self.kind and slot.channel is self.channel
                and self.agency_id in (None, slot.agency_id)
                and (self.part is None or self.part.contains(slot.start)) and slot.start.date() >= self.day_from)

    def _choice_lost(self, chosen: Slot, note: Content | None) -> None:
        """The chosen slot is not in the list any more: clear the choice, say why, back to the list."""
        self._clear_choice()
        text = choice_lost_text(self.describe(chosen), self._matches_filters(chosen))
        self.query_one("#booking-message", Static).update(
            note or Content.from_markup("[b $warning]$text[/]", text=text))
        self.query_one(SlotTable).focus()

    def _clear_choice(self) -> None:
        self.chosen_slot = None
        self._show_choice()

    @on(SlotTable.DayChanged)
    def _day_changed(self, event: SlotTable.DayChanged) -> None:
        today = self.services.now().date()
        self.day_from = max(today, self.day_from + timedelta(days=event.step))
        self.load_slots()

    def _fixed_in_reschedule(self) -> bool:
        if self.rescheduling is not None:
            self.notify("Déplacement : le type et le canal restent ceux du rendez-vous.", severity="warning")
        return self.rescheduling is not None

    def action_toggle_kind(self) -> None:
        if self._fixed_in_reschedule():
            return
        kind = Kind.CSU if self.kind is Kind.GCA else Kind.GCA
        self.kind, self.channel = booking_defaults(self.services.agencies, kind, self.channel)
        self._filters_changed()

    def action_toggle_channel(self) -> None:
        if self._fixed_in_reschedule():
            return
        channel = Channel.AGENCE if self.channel is Channel.TELEPHONE else Channel.TELEPHONE
        if not offers(self.services.agencies, self.kind, channel):
            self.notify(f"Aucune agence ne propose de rendez-vous {self.kind.label} {channel.label}.",
                        severity="warning", markup=False)
            return
        self.channel = channel
        self._filters_changed()

    def _filters_changed(self) -> None:
        """Kind or channel changed: an agency that does not offer it is dropped from the filter."""
        if self.agency_id is not None and self.agency_id not in self._agency_cycle():
            self.agency_id = None
        if self.query_one("#phone-error", Static).has_class("-shown"):  # required by phone only
            self._check_field("phone")
        self.load_slots()

    def _agency_cycle(self) -> list[str | None]:
        return agency_cycle(self.services, self.kind, self.channel)

    def action_cycle_agency(self) -> None:
        ids = self._agency_cycle()
        self.agency_id = ids[(ids.index(self.agency_id) + 1) % len(ids)] if self.agency_id in ids else ids[0]
        self.load_slots()

    def action_cycle_part(self) -> None:
        parts = [None, DayPart.MATIN, DayPart.APRES_MIDI]
        self.part = parts[(parts.index(self.part) + 1) % len(parts)]
        self.load_slots()

    @on(RowList.Selected, "#slots")
    def _slot_chosen(self) -> None:
        slot = self.highlighted
        if slot is None:
            return
        self.chosen_slot = slot
        self._leave_armed = False
        self._show_choice()
        if self.rescheduling is not None:
            self.query_one("#booking-message", Static).update("Ctrl+S : déplacer le rendez-vous sur ce créneau.")
        else:
            self.query_one("#booking-message", Static).update("Tapez les coordonnées, puis Ctrl+S pour réserver.")
            self.query_one("#name", Input).focus()

    @property
    def highlighted(self) -> Slot | None:
        """The slot under the list's cursor (not the chosen one: see :attr:`chosen_slot`)."""
        table = self.query_one(SlotTable)
        if not self.slots or table.cursor_row < 0 or table.cursor_row >= len(self.slots):
            return None
        return self.slots[table.cursor_row]

    # -- the person's details ------------------------------------------------------------
    def _check_field(self, field_id: str) -> str | None:
        """Check one field and show its error under it (or clear it); the error, or None."""
        return check_field(self, field_id, self.channel)

    @on(Input.Blurred)
    def _left_field(self, event: Input.Blurred) -> None:
        """Each field says what is wrong with it as soon as the agent leaves it."""
        if event.input.id in FIELD_ORDER and self.is_attached and not self._booking:
            self._check_field(event.input.id)

    @on(Input.Changed)
    def _field_changed(self, event: Input.Changed) -> None:
        """An error already shown follows the corrections (and goes once the field is right)."""
        field_id = event.input.id or ""
        if field_id in FIELD_ORDER and self.query_one(f"#{field_id}-error", Static).has_class("-shown"):
            self._check_field(field_id)

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        current = event.input.id or ""
        if current in FIELD_ORDER[:-1]:
            self.query_one(f"#{FIELD_ORDER[FIELD_ORDER.index(current) + 1]}", Input).focus()
        else:
            self.action_book()

    def on_screen_resume(self) -> None:
        if self._written is not None:
            from guichet.ui.screens.confirmation import ConfirmationScreen

            booked, self._written = self._written, None
            self.app.switch_screen(ConfirmationScreen(self.services, booked))
        elif self._reload_when_shown and self.is_current:  # made ahead: other counters booked since
            self._from_now()

    def action_leave(self) -> None:
        """Leave; when details were typed, a second Escape confirms that they are dropped."""
        if self._booking:  # the screen shows the confirmation (or the error) as soon as it is written
            self.notify("Réservation en cours d'enregistrement : un instant.", severity="warning")
            return
        if self.unsaved_work() is not None and not self._leave_armed:
            self._leave_armed = True
            self.query_one("#booking-message", Static).update(
                "[b $warning]Saisie en cours : Échap encore pour l'abandonner, ou continuez.[/]"
            )
            return
        self.dismiss(None)
