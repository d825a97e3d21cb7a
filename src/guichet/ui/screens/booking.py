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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from guichet.domain import fr, person
from guichet.domain.appointment import booking_defaults, offers
from guichet.domain.clock import utc
from guichet.domain.models import Appointment, Channel, Kind
from guichet.domain.slots import DayPart, Slot
from guichet.errors import InvalidInput
from guichet.services import Services
from guichet.services.appointments import BookingRequest, SlotTaken
from guichet.ui.choices import BookingChoice
from guichet.ui.messages import WorkerFailed
from guichet.ui.widgets.counter_header import header_for
from guichet.ui.widgets.keystrip import KeyStrip
from guichet.ui.widgets.rowlist import Column, RowList
from guichet.ui.workers import READ, WRITE, deliver, report

SLOT_COLUMNS = (Column("Jour", 20), Column("Heure", 5), Column("Agence", 18), Column("Places", 14))
SLOTS_SHOWN = 40  # the list draws only its visible lines, so a long one costs nothing more
REFRESH_SECONDS = 20.0  # other counters book the same slots (shared database)
PHONE_PLACEHOLDER = "10 chiffres : 0X XX XX XX XX"  # a pattern, never mistaken for a real number
PERSON_FIELDS = ("name", "file-number", "phone")  # what the agent types about the person
FIELD_ORDER = (*PERSON_FIELDS, "objective")
FIELD_LABELS = {"name": "Nom", "file-number": "N° allocataire", "phone": "Téléphone", "objective": "Objet"}
UNSAVED = "un rendez-vous en cours de saisie"

SlotKey = tuple[datetime, str, Kind, Channel]


def slot_key(slot: Slot) -> SlotKey:
    """What identifies a slot across reloads: its instant (UTC), agency, kind and channel."""
    return (utc(slot.start), slot.agency_id, slot.kind, slot.channel)


def places(slot: Slot) -> str:
    """``2 libres sur 3``: the seats still free, out of the slot's seats."""
    return f"{slot.free} {'libres' if slot.free > 1 else 'libre'} sur {slot.desks}"


class SlotTable(RowList):
    """The slot list: ←/→ change the day, ↑/↓ the time, Entrée chooses."""

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

    def __init__(self, services: Services, choice: BookingChoice | None = None, *, cursor_blink: bool = True,
                 reschedule: Appointment | None = None) -> None:
        super().__init__()
        self.services = services
        self.rescheduling = reschedule  # the appointment being moved, or None for a new booking
        if reschedule is not None:
            self.kind, self.channel = reschedule.kind, reschedule.channel
            self.service = services.catalog.service(reschedule.service_id) if reschedule.service_id else None
        else:
            choice = choice or BookingChoice()
            self.kind, self.channel = booking_defaults(services.agencies, choice.kind, choice.channel)
            self.service = choice.service
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

    def compose(self) -> ComposeResult:
        yield header_for(self.services)
        with Vertical(id="booking-body"):
            yield Static("", id="booking-filters")
            yield SlotTable(SLOT_COLUMNS, id="slots")
            yield Static("", id="booking-chosen")
            with Vertical(id="person-form"):
                placeholders = {"name": "Nom et prénom", "file-number": "7 chiffres (facultatif)",
                                "phone": PHONE_PLACEHOLDER, "objective": "Objet du rendez-vous (facultatif)"}
                lengths = {"name": 80, "file-number": 9, "phone": 20, "objective": 300}
                for field_id in FIELD_ORDER:
                    with Horizontal(classes="booking-row"):
                        yield Label(FIELD_LABELS[field_id], classes="booking-label")
                        yield Input(id=field_id, placeholder=placeholders[field_id], max_length=lengths[field_id])
                    yield Static("", id=f"{field_id}-error", classes="field-error")
            yield Static("", id="booking-message")
        yield KeyStrip()

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.cursor_blink
        old = self.rescheduling
        if old is not None:  # the person's details are those of the appointment: shown, not typed
            values = {"name": old.name, "file-number": old.file_number or "",
                      "phone": person.spoken_phone(old.phone) if old.phone else "", "objective": old.objective}
            for field_id, value in values.items():
                field = self.query_one(f"#{field_id}", Input)
                field.value = value
                field.disabled = True
        elif self.service is not None:
            self.query_one("#objective", Input).value = self.service.title[:300]
        self._show_choice()
        self.load_slots()
        self.set_interval(REFRESH_SECONDS, self._refresh_if_browsing)
        self.query_one(SlotTable).focus()

    def _refresh_if_browsing(self) -> None:
        """Reload the free slots while the agent is choosing one (not while typing details)."""
        if self.focused is self.query_one(SlotTable) and not self._booking:
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
        part = {None: "toute la journée", DayPart.MATIN: "le matin", DayPart.APRES_MIDI: "l'après-midi"}[self.part]
        motif = f" · motif : {self.service.title}" if self.service else ""
        return Content.from_markup("[b]$choice[/b] · $rest", choice=f"{self.kind.label} {self.channel.label}",
                                   rest=f"{agency} · {part} · à partir du {fr.day(self.day_from)}{motif}")

    def _show_choice(self) -> None:
        """The line above the form: the chosen slot in words (or how to choose one)."""
        slot, old = self.chosen_slot, self.rescheduling
        if old is not None:
            moved = f"Déplacer le RDV n° {old.id} du {fr.day_time(old.start)} — {self._agency_name(old.agency_id)}"
            text = (Content.from_markup("$moved → [b]$slot[/b] · Ctrl+S : déplacer", moved=moved,
                                        slot=self.describe(slot)) if slot is not None
                    else Content(f"{moved} : choisissez le nouveau créneau (Entrée)."))
        elif slot is not None:
            text = Content.from_markup("Créneau choisi : [b]$slot[/b]", slot=self.describe(slot))
        else:
            text = Content("Aucun créneau choisi : Entrée sur un créneau de la liste pour le choisir.")
        chosen = self.query_one("#booking-chosen", Static)
        chosen.update(text)
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
        try:
            slots = self.services.appointments.find_slots(kind, channel, agency_id, date_from=day_from, part=part,
                                                     limit=SLOTS_SHOWN)
        except Exception as exc:  # told to the screen as a WorkerFailed, which keeps the screen usable
            report(self, exc, write=False)
        else:
            deliver(self.app, self._show_slots, slots, generation)

    def _show_slots(self, slots: list[Slot], generation: int) -> None:
        if generation != self._generation:  # a newer search (other filters) is under way
            return
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
        self.query_one("#booking-message", Static).update(
            note or (f"{len(slots)} créneaux · ←/→ jour · ↑/↓ heure · Entrée : choisir" if slots
                     else "Aucun créneau libre avec ces critères.")
        )

    def _matches_filters(self, slot: Slot) -> bool:
        return (slot.kind is self.kind and slot.channel is self.channel
                and self.agency_id in (None, slot.agency_id)
                and (self.part is None or self.part.contains(slot.start)) and slot.start.date() >= self.day_from)

    def _choice_lost(self, chosen: Slot, note: Content | None) -> None:
        """The chosen slot is not in the list any more: clear the choice, say why, back to the list."""
        self._clear_choice()
        if self._matches_filters(chosen):
            text = (f"Le créneau choisi ({self.describe(chosen)}) n'est plus libre : il vient sans doute "
                    "d'être pris par un autre guichet. Choisissez-en un autre.")
        else:
            text = (f"Le créneau choisi ({self.describe(chosen)}) n'est plus dans la liste avec ces critères : "
                    "choisissez-en un autre.")
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
        """F7's order: this counter's agency, the others alphabetically, then all agencies; only
        those offering the kind and channel chosen."""
        from guichet.domain.search import fold

        offering = [a for a in self.services.agencies if a.schedule(self.kind, self.channel) is not None]
        home = self.services.home_agency
        first = [home.id] if home is not None and any(a.id == home.id for a in offering) else []
        others = sorted((a for a in offering if a.id not in first), key=lambda a: (fold(a.name), a.id))
        return [*first, *(a.id for a in others), None]

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
    def _field_check(self, field_id: str) -> Callable[[str], object] | None:
        checks: dict[str, Callable[[str], object]] = {
            "name": person.name,
            "file-number": person.file_number,
            "phone": lambda value: person.phone(value, required=self.channel is Channel.TELEPHONE),
            "objective": lambda value: person.note(value, label="L'objet du rendez-vous"),
        }
        return checks.get(field_id)

    def _check_field(self, field_id: str) -> str | None:
        """Check one field and show its error under it (or clear it); the error, or None."""
        field = self.query_one(f"#{field_id}", Input)
        check = self._field_check(field_id)
        error: str | None = None
        if check is not None and not field.disabled:
            try:
                check(field.value)
            except InvalidInput as exc:
                error = str(exc)
        label = self.query_one(f"#{field_id}-error", Static)
        label.update(Content(error or ""))  # may quote what was typed: literally
        label.set_class(error is not None, "-shown")
        field.set_class(error is not None, "-invalid")
        return error

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

    # -- booking ---------------------------------------------------------------------
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
            text = (errors[first] if len(errors) == 1
                    else "À corriger : " + ", ".join(FIELD_LABELS[f] for f in errors) + " (voir sous chaque champ).")
            message.update(Content.from_markup("[b $error]$text[/]", text=text))
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
        held = "; ".join(f"{fr.day_time(a.start)} — {self._agency_name(a.agency_id)}, "
                         f"{a.kind.label} {a.channel.label} (RDV n° {a.id})" for a in already)
        count = "un rendez-vous" if len(already) == 1 else f"{len(already)} rendez-vous"
        name = " ".join(request.name.split())
        question = f"{name} a déjà {count} : {held}. Réserver quand même ?"
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
        offer = "; ".join(f"{fr.day_time(s.start)} ({self._agency_name(s.agency_id)})" for s in alternatives[:3])
        text = f"Ce créneau vient d'être pris par un autre guichet ({self.describe(slot)}). "
        text += f"Prochains créneaux libres : {offer}." if offer else "Aucun autre créneau libre."
        self.query_one(SlotTable).focus()
        self.load_slots(note=Content.from_markup("[b $error]$text[/]", text=text))

    def on_worker_failed(self, event: WorkerFailed) -> None:
        """A failed read leaves an empty list; a refused booking can be corrected and sent again."""
        if event.write:
            self._booking = False
        else:
            self.slots, self._note = [], None
            self.query_one(SlotTable).set_rows([])
        if event.lost_race:  # the appointment or the slot changed meanwhile: choose again on a fresh list
            self._clear_choice()
            self.query_one(SlotTable).focus()
            self.load_slots(note=event.content)
        else:
            self.query_one("#booking-message", Static).update(event.content)

    def _booked(self, booked: Appointment) -> None:
        from guichet.ui.screens.confirmation import ConfirmationScreen

        self._booking = False
        self.chosen_slot = None
        for field in self.query(Input):
            field.value = ""
        if self.is_current:
            self.app.switch_screen(ConfirmationScreen(self.services, booked))
        else:  # the agent switched screens meanwhile (F2…): theirs stays; F4 shows the confirmation
            self._written = booked
            self.notify(f"Rendez-vous n° {booked.id} enregistré : F4 pour sa confirmation.", markup=False)

    def on_screen_resume(self) -> None:
        if self._written is not None:
            from guichet.ui.screens.confirmation import ConfirmationScreen

            booked, self._written = self._written, None
            self.app.switch_screen(ConfirmationScreen(self.services, booked))

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
