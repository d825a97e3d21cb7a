"""Writing what the booking screen (screens/booking.py) chose: Ctrl+S checks the fields and books
the chosen slot (or moves the appointment to it), asks first when the person already has an
appointment to come, tells a race lost to another counter or a refused write, and shows the
confirmation. :class:`BookingWrites` is a mixin that :class:`~guichet.ui.screens.booking.BookingScreen`
inherits; the slot list, the filters and the fields stay on the screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.content import Content
from textual.widgets import Input, Static

from guichet.domain import fr
from guichet.domain.models import Appointment, Service
from guichet.domain.slots import Slot
from guichet.services import Services
from guichet.services.appointments import BookingRequest, SlotTaken
from guichet.ui.messages import WorkerFailed
from guichet.ui.screens.booking_parts import (
    FIELD_ORDER,
    SlotTable,
    duplicate_question,
    errors_text,
    lost_race_text,
    slot_key,
)
from guichet.ui.workers import WRITE, report

if TYPE_CHECKING:
    from textual.screen import Screen

    _ScreenBase = Screen[Appointment | None]
else:
    _ScreenBase = object  # at run time a plain mixin: BookingScreen's other base is Screen itself


class BookingWrites(_ScreenBase):
    """Ctrl+S and what follows it, for :class:`~guichet.ui.screens.booking.BookingScreen`."""

    # the screen's state (set in BookingScreen.__init__)
    services: Services
    service: Service | None
    rescheduling: Appointment | None
    chosen_slot: Slot | None
    slots: list[Slot]
    _booking: bool
    _written: Appointment | None
    _note: Content | None
    _generation: int  # of the latest slot search
    _shown_generation: int  # of the slot list on screen

    if TYPE_CHECKING:  # the screen's own methods
        def describe(self, slot: Slot) -> str: ...
        def load_slots(self, note: Content | None = None) -> None: ...
        def _agency_name(self, agency_id: str) -> str: ...
        def _check_field(self, field_id: str) -> str | None: ...
        def _clear_choice(self) -> None: ...

    def action_book(self) -> None:
        if self._booking:
            return
        slot = self.chosen_slot
        message = self.query_one("#booking-message", Static)
        if slot is None:
            message.update(Content.from_markup(
                "[b $error]Choisissez d'abord un créneau : Entrée sur un créneau de la liste.[/]"))
            self.query_one(SlotTable).focus()
            return
        errors = {field_id: error for field_id in FIELD_ORDER if (error := self._check_field(field_id))}
        if errors:  # every error at once, each under its field
            first = next(iter(errors))
            message.update(Content.from_markup("[b $error]$text[/]", text=errors_text(errors)))
            self.query_one(f"#{first}", Input).focus()
            return
        self._booking = True
        if self.rescheduling is not None:
            message.update("Déplacement en cours…")
            self._move(self.rescheduling.id, slot)
            return
        values = {field.id: field.value for field in self.query(Input)}
        request = BookingRequest(
            agency_id=slot.agency_id, kind=slot.kind, channel=slot.channel, start=slot.start,
            name=values["name"] or "", file_number=values["file-number"], phone=values["phone"],
            service_id=self.service.id if self.service else None, objective=values["objective"] or "",
        )
        message.update("Réservation en cours…")
        self._book(request, slot, check_person=True)

    @work(thread=True, group=WRITE)
    def _book(self, request: BookingRequest, slot: Slot, check_person: bool) -> None:
        appointments = self.services.appointments
        try:
            if check_person:  # the same person already booked: the agent decides
                already = appointments.active_for_person(request.file_number, request.name, request.phone)
                if already:
                    self.app.call_from_thread(self._ask_anyway, request, slot, already)
                    return
            booked = appointments.book(request)
        except SlotTaken as exc:  # another counter took the last seat: nothing was written
            self.app.call_from_thread(self._lost_race, slot, exc.alternatives)
        except Exception as exc:  # told to the screen as a WorkerFailed
            report(self, exc, write=True)
        else:
            self.app.call_from_thread(self._booked, booked)

    @work(thread=True, group=WRITE)
    def _move(self, appointment_id: int, slot: Slot) -> None:
        try:
            moved = self.services.appointments.reschedule(appointment_id, slot.start, slot.agency_id)
        except SlotTaken as exc:
            self.app.call_from_thread(self._lost_race, slot, exc.alternatives)
        except Exception as exc:  # told to the screen as a WorkerFailed
            report(self, exc, write=True)
        else:
            self.app.call_from_thread(self._booked, moved)

    def _ask_anyway(self, request: BookingRequest, slot: Slot, already: list[Appointment]) -> None:
        """The person already has an appointment to come: show it, book only if the agent says so."""
        from guichet.ui.screens.ask import AskScreen

        self._booking = False
        question = duplicate_question(request.name, already, self._agency_name)
        message = self.query_one("#booking-message", Static)
        message.update(Content.from_markup("[b $warning]Cette personne a déjà un rendez-vous à venir.[/]"))

        def answered(yes: bool | None) -> None:
            if not yes:
                message.update("Rien n'a été réservé : la personne garde son rendez-vous.")
            elif self._booking:
                return
            elif self.chosen_slot is None or slot_key(self.chosen_slot) != slot_key(slot):
                message.update(Content.from_markup("[b $error]Le créneau choisi a changé : rien n'a été réservé.[/]"))
            else:
                self._booking = True
                message.update("Réservation en cours…")
                self._book(request, slot, check_person=False)

        self.app.push_screen(AskScreen(question, title="Déjà un rendez-vous"), answered)

    def _lost_race(self, slot: Slot, alternatives: list[Slot]) -> None:
        """Another counter took the chosen slot: say so with the next free ones, choose again."""
        self._booking = False
        self._clear_choice()
        text = lost_race_text(self.describe(slot),
                              [f"{fr.day_time(s.start)} ({self._agency_name(s.agency_id)})" for s in alternatives[:3]])
        self.query_one(SlotTable).focus()
        self.load_slots(note=Content.from_markup("[b $error]$text[/]", text=text))

    def on_worker_failed(self, event: WorkerFailed) -> None:
        """A failed read leaves an empty list; a refused booking can be corrected and sent again."""
        if event.write:
            self._booking = False
        else:  # the latest search has answered, with an error: keys typed ahead may go (ui/typeahead.py)
            self.slots, self._note, self._shown_generation = [], None, self._generation
            self.query_one(SlotTable).set_rows([])
        if event.lost_race:  # the appointment or the slot changed meanwhile: choose again on a fresh list
            self._clear_choice()
            self.query_one(SlotTable).focus()
            self.load_slots(note=event.content)
        else:
            self.query_one("#booking-message", Static).update(event.content)

    def _booked(self, booked: Appointment) -> None:
        from guichet.domain.passage import Outcome
        from guichet.ui.reception import noted
        from guichet.ui.screens.confirmation import ConfirmationScreen

        noted(self, Outcome.APPOINTMENT, booked.id)  # booked or moved: the reception log counts it

        self._booking = False
        self.chosen_slot = None
        for field in self.query(Input):
            field.value = ""
        if self.is_current:
            self.app.switch_screen(ConfirmationScreen(self.services, booked))
        else:  # the agent switched screens meanwhile (F2…): theirs stays; F4 shows the confirmation
            self._written = booked
            self.notify(f"Rendez-vous n° {booked.id} enregistré : F4 pour sa confirmation.", markup=False)

