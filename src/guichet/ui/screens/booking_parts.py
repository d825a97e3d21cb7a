"""The parts of the booking screen (screens/booking.py) that are not its flow: the slot list
widget (:class:`SlotTable`) and what identifies a slot across reloads, the person's fields (their
labels, placeholders, checks and the error shown under each), and the words of its messages (the
criteria line, the chosen slot, a lost slot or race, the duplicate-person question). Styled by
booking.tcss, with the screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, Static

from guichet.domain import fr, person
from guichet.domain.clock import utc
from guichet.domain.models import Appointment, Channel, Kind
from guichet.domain.slots import DayPart, Slot
from guichet.errors import InvalidInput
from guichet.ui.widgets.rowlist import Column, RowList

if TYPE_CHECKING:
    from textual.screen import Screen

    from guichet.services import Services

SLOT_COLUMNS = (Column("Jour", 20), Column("Heure", 5), Column("Agence", 18), Column("Places", 14))
PHONE_PLACEHOLDER = "10 chiffres : 0X XX XX XX XX"  # a pattern, never mistaken for a real number
PERSON_FIELDS = ("name", "file-number", "phone")  # what the agent types about the person
FIELD_ORDER = (*PERSON_FIELDS, "objective")
FIELD_LABELS = {"name": "Nom", "file-number": "N° allocataire", "phone": "Téléphone", "objective": "Objet"}
FIELD_PLACEHOLDERS = {"name": "Nom et prénom", "file-number": "7 chiffres (facultatif)",
                      "phone": PHONE_PLACEHOLDER, "objective": "Objet du rendez-vous (facultatif)"}
FIELD_LENGTHS = {"name": 80, "file-number": 9, "phone": 20, "objective": 300}
DAY_PARTS = {None: "toute la journée", DayPart.MATIN: "le matin", DayPart.APRES_MIDI: "l'après-midi"}

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


def agency_cycle(services: Services, kind: Kind, channel: Channel) -> list[str | None]:
    """F7's order: this counter's agency, the others alphabetically, then all agencies; only
    those offering ``kind`` and ``channel``."""
    return [*(a.id for a in services.agencies_counter_first() if a.schedule(kind, channel) is not None), None]


# -- the person's details --------------------------------------------------------------------
def person_form() -> ComposeResult:
    """The person's fields, each with its label and, under it, the line for its error."""
    with Vertical(id="person-form"):
        for field_id in FIELD_ORDER:
            with Horizontal(classes="booking-row"):
                yield Label(FIELD_LABELS[field_id], classes="booking-label")
                yield Input(id=field_id, placeholder=FIELD_PLACEHOLDERS[field_id], max_length=FIELD_LENGTHS[field_id])
            yield Static("", id=f"{field_id}-error", classes="field-error")


def shown_details(old: Appointment) -> dict[str, str]:
    """The fields of an appointment being moved: shown, not typed."""
    return {"name": old.name, "file-number": old.file_number or "",
            "phone": person.spoken_phone(old.phone) if old.phone else "", "objective": old.objective}


def field_check(field_id: str, channel: Channel) -> Callable[[str], object] | None:
    """The check of one field (the phone is required for a telephone appointment), or None."""
    checks: dict[str, Callable[[str], object]] = {
        "name": person.name,
        "file-number": person.file_number,
        "phone": lambda value: person.phone(value, required=channel is Channel.TELEPHONE),
        "objective": lambda value: person.note(value, label="L'objet du rendez-vous"),
    }
    return checks.get(field_id)


def check_field(screen: Screen[Appointment | None], field_id: str, channel: Channel) -> str | None:
    """Check one field of ``screen`` and show its error under it (or clear it); the error, or None."""
    field = screen.query_one(f"#{field_id}", Input)
    check = field_check(field_id, channel)
    error: str | None = None
    if check is not None and not field.disabled:
        try:
            check(field.value)
        except InvalidInput as exc:
            error = str(exc)
    label = screen.query_one(f"#{field_id}-error", Static)
    label.update(Content(error or ""))  # may quote what was typed: literally
    label.set_class(error is not None, "-shown")
    field.set_class(error is not None, "-invalid")
    return error


def errors_text(errors: dict[str, str]) -> str:
    """The message line when fields are wrong: the one error, or which fields to correct."""
    if len(errors) == 1:
        return next(iter(errors.values()))
    return "À corriger : " + ", ".join(FIELD_LABELS[f] for f in errors) + " (voir sous chaque champ)."


# -- the words of the messages ---------------------------------------------------------------
def filters_text(choice: str, agency: str, part: DayPart | None, day_from: date, motif: str | None) -> Content:
    """The criteria line; agency and service names come from the data files: shown literally."""
    shown = f" · motif : {motif}" if motif is not None else ""
    return Content.from_markup("[b]$choice[/b] · $rest", choice=choice,
                               rest=f"{agency} · {DAY_PARTS[part]} · à partir du {fr.day(day_from)}{shown}")


def choice_text(chosen: str | None, moved: str | None) -> Content:
    """The line above the form: the chosen slot in words (``chosen``, None if none), and which
    appointment is being moved (``moved``, None for a new booking)."""
    if moved is not None:
        return (Content.from_markup("$moved → [b]$slot[/b] · Ctrl+S : déplacer", moved=moved, slot=chosen)
                if chosen is not None else Content(f"{moved} : choisissez le nouveau créneau (Entrée)."))
    if chosen is not None:
        return Content.from_markup("Créneau choisi : [b]$slot[/b]", slot=chosen)
    return Content("Aucun créneau choisi : Entrée sur un créneau de la liste pour le choisir.")


def choice_lost_text(chosen: str, still_matches: bool) -> str:
    """Why the chosen slot (``chosen``, in words) left the list: taken, or out of the criteria."""
    if still_matches:
        return (f"Le créneau choisi ({chosen}) n'est plus libre : il vient sans doute "
                "d'être pris par un autre guichet. Choisissez-en un autre.")
    return (f"Le créneau choisi ({chosen}) n'est plus dans la liste avec ces critères : "
            "choisissez-en un autre.")


def lost_race_text(slot: str, offers: list[str]) -> str:
    """Another counter took ``slot`` (in words): say so, with the next free ones (``offers``)."""
    offer = "; ".join(offers)
    text = f"Ce créneau vient d'être pris par un autre guichet ({slot}). "
    text += f"Prochains créneaux libres : {offer}." if offer else "Aucun autre créneau libre."
    return text


def duplicate_question(name: str, already: list[Appointment], agency_name: Callable[[str], str]) -> str:
    """« … a déjà un rendez-vous : … Réserver quand même ? »: the person's appointments to come."""
    held = "; ".join(f"{fr.day_time(a.start)} — {agency_name(a.agency_id)}, "
                     f"{a.kind.label} {a.channel.label} (RDV n° {a.id})" for a in already)
    count = "un rendez-vous" if len(already) == 1 else f"{len(already)} rendez-vous"
    return f"{' '.join(name.split())} a déjà {count} : {held}. Réserver quand même ?"
