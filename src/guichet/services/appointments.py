"""Booking appointments: find free slots, book, cancel, reschedule, check in, day sheet.

Every write runs in one transaction (``BEGIN IMMEDIATE`` on SQLite) with its journal entry;
the database's unique index on active seats is the last word on double booking, so a lost
race surfaces as :class:`SlotTaken`, never as a second person in the same seat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from guichet import logs
from guichet.domain import fr, person
from guichet.domain.clock import PARIS, to_paris
from guichet.domain.models import Agency, Appointment, Channel, Kind, Status
from guichet.domain.slots import DayPart, Slot, SlotQuery, find_free, slot_at, window
from guichet.errors import InvalidInput, LostRace
from guichet.services.exports import to_csv

log = logs.get("booking")

if TYPE_CHECKING:
    from sqlmodel import Session

    from guichet.services import Services
    from guichet.store.tables import AppointmentRow


class SlotTaken(LostRace):
    """The slot has no free seat left: carries the next free slots to offer instead."""

    def __init__(self, slot_start: datetime, alternatives: list[Slot], names: dict[str, str]) -> None:
        self.alternatives = alternatives
        offer = "; ".join(f"{fr.day_time(s.start)} ({names.get(s.agency_id, s.agency_id)})"
                          for s in alternatives[:3])
        text = f"Le créneau du {fr.day_time(slot_start)} vient d'être pris."
        text += f" Prochains créneaux libres : {offer}." if offer else " Aucun autre créneau libre."
        super().__init__(text)


@dataclass(frozen=True, slots=True)
class BookingRequest:
    """What the agent typed to book a slot (validated by :meth:`Booking.book`)."""

    agency_id: str
    kind: Kind
    channel: Channel
    start: datetime
    name: str
    file_number: str | None = None
    phone: str | None = None
    service_id: str | None = None
    objective: str = ""


_TRANSITIONS = {
    Status.SEEN: {Status.BOOKED, Status.NOSHOW},  # a late arrival is still seen
    Status.NOSHOW: {Status.BOOKED},
    Status.EXCUSED: {Status.BOOKED},
    Status.REVOKED: {Status.BOOKED},
}


class Booking:
    """The appointment half of the services."""

    def __init__(self, services: Services) -> None:
        self.services = services

    # -- reading ---------------------------------------------------------------------
    def offering(self, agency: Agency, kind: Kind, channel: Channel) -> None:
        """:class:`InvalidInput` when ``agency`` does not offer ``kind`` on ``channel``."""
        if agency.schedule(kind, channel) is None:
            raise InvalidInput(f"{agency.name} ne propose pas de rendez-vous {kind.label} {channel.label}.")

    def find_slots(self, kind: Kind, channel: Channel, agency_id: str | None = None, *,
                   date_from: date | None = None, date_to: date | None = None,
                   part: DayPart | None = None, limit: int = 20) -> list[Slot]:
        """The earliest free slots, across all agencies or in ``agency_id``."""
        from guichet.store import appointments as repos
        from guichet.store.engine import read_session

        services = self.services
        if agency_id:
            agency = services.agency(agency_id)
            self.offering(agency, kind, channel)
            agencies: tuple[Agency, ...] = (agency,)
        else:
            agencies = services.agencies
        query = SlotQuery(kind, channel, date_from, date_to, part, services.notice, services.horizon)
        home = services.home_agency
        with read_session(services.engine) as session:

            def taken(ids: Sequence[str], lo: datetime, hi: datetime) -> dict[tuple[str, datetime], int]:
                return repos.taken_counts(session=session, agency_ids=list(ids), kind=kind,
                                          channel=channel, start=lo, end=hi)

            return find_free(agencies, query, services.now(), taken, limit,
                             first=home.id if home else None)

    def get(self, appointment_id: int) -> Appointment:
        from guichet.store import appointments as repos
        from guichet.store.engine import read_session

        with read_session(self.services.engine) as session:
            found = repos.get_appointment(session=session, appointment_id=appointment_id)
        if found is None:
            raise InvalidInput(f"Rendez-vous n° {appointment_id} introuvable.")
        return found

    def day_sheet(self, agency_id: str, day: date | None = None) -> list[Appointment]:
        """The appointments of one agency on one day (default: today), by time."""
        from guichet.store import appointments as repos
        from guichet.store.engine import read_session

        agency = self.services.agency(agency_id)
        day = day or self.services.now().date()
        start = datetime.combine(day, time(0), PARIS)
        with read_session(self.services.engine) as session:
            return repos.day_appointments(session=session, agency_id=agency.id, start=start,
                                          end=start + timedelta(days=1))

    # -- writing ---------------------------------------------------------------------
    def _validate(self, request: BookingRequest) -> tuple[Agency, Slot, BookingRequest]:
        services = self.services
        agency = services.agency(request.agency_id)
        self.offering(agency, request.kind, request.channel)
        start = to_paris(request.start)
        slot = slot_at(agency, request.kind, request.channel, start)
        if slot is None:
            raise InvalidInput(f"Pas de créneau {request.kind.label} {request.channel.label} à {agency.name} "
                               f"le {fr.day_time(start)}.")
        earliest, latest = window(SlotQuery(request.kind, request.channel, notice=services.notice,
                                            horizon=services.horizon), services.now())
        if slot.start < earliest:
            raise InvalidInput(f"Le créneau du {fr.day_time(slot.start)} est passé ou trop proche "
                               f"(délai minimal : {int(services.notice.total_seconds() // 60)} minutes).")
        if slot.start >= latest:
            raise InvalidInput(f"Le créneau du {fr.day_time(slot.start)} est au-delà de l'horizon de réservation.")
        if request.service_id is not None:
            services.service(request.service_id)
        clean = BookingRequest(
            agency_id=agency.id, kind=request.kind, channel=request.channel, start=slot.start,
            name=person.name(request.name),
            file_number=person.file_number(request.file_number),
            phone=person.phone(request.phone, required=request.channel is Channel.TELEPHONE),
            service_id=request.service_id,
            objective=person.note(request.objective, label="L'objet du rendez-vous"),
        )
        return agency, slot, clean

    def book(self, request: BookingRequest) -> Appointment:
        """Book the first free seat of the slot; :class:`SlotTaken` if none is left."""
        _agency, slot, clean = self._validate(request)
        booked = self._take_seat(slot, clean)
        if booked is None:
            log.info("slot taken: %s %s/%s %s", slot.agency_id, slot.kind, slot.channel, slot.start.isoformat())
            raise self._slot_taken(slot)
        log.info("appointment %d booked: %s %s/%s %s seat %d", booked.id, booked.agency_id, booked.kind,
                 booked.channel, booked.start.isoformat(), booked.seat)
        return booked

    def _take_seat(self, slot: Slot, request: BookingRequest, *, replacing: int | None = None) -> Appointment | None:
        """Insert the appointment on the lowest free seat (and free ``replacing`` in the same
        transaction); None when every seat is held."""
        from sqlalchemy.exc import IntegrityError

        from guichet.store import appointments as repos
        from guichet.store.engine import write_session
        from guichet.store.tables import AppointmentRow

        services = self.services
        # Each lost race means another counter took one seat: at most ``desks`` losses.
        for _attempt in range(slot.desks + 1):
            try:
                with write_session(services.engine) as session:
                    now = services.now()
                    if replacing is not None:
                        old = self._row_for_change(session, replacing, Status.EXCUSED)
                        old.status = Status.EXCUSED.value
                        old.updated_at = repos.to_db(now)
                        session.flush()  # free the old seat before taking the new one
                    held = repos.seats_held(session=session, agency_id=slot.agency_id, kind=slot.kind,
                                            channel=slot.channel, start=slot.start)
                    free = [seat for seat in range(1, slot.desks + 1) if seat not in held]
                    if not free:
                        session.rollback()
                        return None
                    row = AppointmentRow(
                        agency=slot.agency_id, kind=slot.kind.value, channel=slot.channel.value,
                        start=repos.to_db(slot.start), end=repos.to_db(slot.end), seat=free[0],
                        service_id=request.service_id, file_number=request.file_number,
                        name=request.name, phone=request.phone, objective=request.objective,
                        status=Status.BOOKED.value, booked_by=services.agent,
                        created_at=repos.to_db(now), updated_at=repos.to_db(now),
                        rescheduled_from=replacing,
                    )
                    booked = repos.add_appointment(session=session, row=row)
                    repos.journal(session=session, at=now, actor=services.agent,
                                  action="appointment.booked", record_type="appointment",
                                  record_id=booked.id)
                    if replacing is not None:
                        repos.journal(session=session, at=now, actor=services.agent,
                                      action="appointment.rescheduled", record_type="appointment",
                                      record_id=replacing)
                    return booked
            except IntegrityError:
                continue  # another counter took that seat between our read and our insert
        return None

    def _slot_taken(self, slot: Slot) -> SlotTaken:
        alternatives = self.find_slots(slot.kind, slot.channel, limit=3)
        names = {a.id: a.name for a in self.services.agencies}
        return SlotTaken(slot.start, alternatives, names)

    def _row_for_change(self, session: Session, appointment_id: int, target: Status) -> AppointmentRow:
        from guichet.store import appointments as repos

        row = repos.get_row(session=session, appointment_id=appointment_id)
        if row is None:
            raise InvalidInput(f"Rendez-vous n° {appointment_id} introuvable.")
        current = Status(row.status)
        if current not in _TRANSITIONS[target]:
            raise InvalidInput(f"Le rendez-vous n° {appointment_id} est « {current.label} » : "
                               f"impossible de le passer à « {target.label} ».")
        return row

    def set_status(self, appointment_id: int, target: Status) -> Appointment:
        """Cancel (excused/revoked), check in (seen) or mark absent (noshow)."""
        from guichet.store import appointments as repos
        from guichet.store.engine import write_session

        services = self.services
        with write_session(services.engine) as session:
            row = self._row_for_change(session, appointment_id, target)
            now = services.now()
            start = repos.from_db(row.start)
            if target is Status.SEEN and start.date() != now.date():
                raise InvalidInput(f"Le rendez-vous n° {appointment_id} est prévu le {fr.day_time(start)} : "
                                   "l'arrivée se note le jour même.")
            if target is Status.NOSHOW and now < start:
                raise InvalidInput(f"Le rendez-vous n° {appointment_id} n'a pas encore commencé "
                                   f"({fr.day_time(start)}) : impossible de noter une absence.")
            row.status = target.value
            row.updated_at = repos.to_db(now)
            if target is Status.SEEN:
                row.checked_in_at = repos.to_db(now)
            session.flush()
            repos.journal(session=session, at=now, actor=services.agent,
                          action=f"appointment.{target.value}", record_type="appointment",
                          record_id=appointment_id)
            log.info("appointment %d: %s", appointment_id, target.value)
            return repos.appointment(row)

    def reschedule(self, appointment_id: int, start: datetime, agency_id: str | None = None) -> Appointment:
        """Move an appointment: the new seat is taken and the old one freed, or nothing changes."""
        old = self.get(appointment_id)
        if old.status is not Status.BOOKED:
            raise InvalidInput(f"Le rendez-vous n° {appointment_id} est « {old.status.label} » : "
                               "seul un rendez-vous réservé peut être déplacé.")
        request = BookingRequest(
            agency_id=agency_id or old.agency_id, kind=old.kind, channel=old.channel, start=start,
            name=old.name, file_number=old.file_number, phone=old.phone,
            service_id=old.service_id, objective=old.objective,
        )
        _agency, slot, clean = self._validate(request)
        if slot.start == old.start and slot.agency_id == old.agency_id:
            raise InvalidInput("Le nouveau créneau est identique à l'ancien.")
        booked = self._take_seat(slot, clean, replacing=appointment_id)
        if booked is None:
            raise self._slot_taken(slot)
        log.info("appointment %d rescheduled as %d", appointment_id, booked.id)
        return booked

    # -- wording ---------------------------------------------------------------------
    def confirmation(self, appointment: Appointment) -> str:
        """The French confirmation to read out or print."""
        services = self.services
        agency = services.agency(appointment.agency_id)
        lines = [f"Rendez-vous n° {appointment.id} — {appointment.kind.label}",
                 f"Le {fr.day_time(appointment.start, year=True)} (durée "
                 f"{int((appointment.end - appointment.start).total_seconds() // 60)} minutes)."]
        if appointment.channel is Channel.TELEPHONE and appointment.phone:
            lines.append(f"Nous vous appellerons au {person.spoken_phone(appointment.phone)}.")
        else:
            place = f"{agency.name}, {agency.address}" if agency.address else f"agence de {agency.name}"
            lines.append(f"À l'accueil de la Caf : {place}.")
        bring: tuple[str, ...] = ("Votre numéro allocataire", "Une pièce d'identité")
        if appointment.service_id:
            service = services.catalog.service(appointment.service_id)
            if service is not None:
                lines.insert(1, f"Objet : {service.title}.")
                bring = service.bring or bring
        lines.append("À préparer : " + " ; ".join(bring) + ".")
        lines.append("En cas d'empêchement, prévenez la Caf au 3230 ou sur caf.fr.")
        return "\n".join(lines)


CSV_COLUMNS = ("id", "heure", "fin", "type", "canal", "siege", "statut", "nom", "numero_allocataire",
               "telephone", "service", "objet")


def day_sheet_csv(appointments: list[Appointment]) -> str:
    """The day sheet as CSV (UTF-8, ``;`` separated as French spreadsheets expect)."""
    return to_csv(CSV_COLUMNS, (
        (a.id, fr.hhmm(a.start), fr.hhmm(a.end), a.kind.value, a.channel.value, a.seat, a.status.value, a.name,
         a.file_number, a.phone, a.service_id, a.objective)
        for a in appointments
    ))
