"""Appointments: find free slots, book, cancel, reschedule, check in, the day sheet.

Every write runs in one transaction (``BEGIN IMMEDIATE`` on SQLite) with its journal entry.
The database's unique index on active seats is the last word on double booking, so a lost
race surfaces as :class:`SlotTaken`, never as a second person in the same seat; a change of an
existing appointment is made only if it is still in the status it was read in, so a second
counter's change surfaces as :class:`~guichet.errors.LostRace`, never as a lost update.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from guichet import logs
from guichet.domain import fr, person
from guichet.domain.appointment import check_move, check_reschedulable
from guichet.domain.clock import PARIS, to_paris, utc
from guichet.domain.models import Agency, Appointment, Channel, Kind, Status
from guichet.domain.offer import empty_reason, not_offered
from guichet.domain.slots import DayPart, Slot, SlotQuery, find_free, slot_at, window
from guichet.errors import InvalidInput, LostRace, NotFound
from guichet.services import exports
from guichet.services.context import Context

log = logs.get("appointments")


class SlotTaken(LostRace):
    """The slot has no free seat left: carries the next free slots to offer instead."""

    def __init__(self, slot_start: datetime, alternatives: list[Slot], names: dict[str, str]) -> None:
        self.alternatives = alternatives
        offer = "; ".join(f"{fr.day_time(s.start)} ({names.get(s.agency_id, s.agency_id)})"
                          for s in alternatives[:3])
        text = f"Le créneau du {fr.day_time(slot_start)} vient d'être pris."
        text += f" Prochains créneaux libres : {offer}." if offer else " Aucun autre créneau libre."
        super().__init__(text)


PERSON_LIMIT = 50  # appointments shown for one search: a person has a handful, a common name more
RECENT_DAYS = 30  # the finder looks back this far (a person calls back about a recent appointment)
# The finder matches names in Python over the appointments of its window (30 days back, and every
# one to come: at most the booking horizon, 12 weeks by default), read as (id, name) pairs through
# ix_appointment_day. A department's agencies hold a few thousand there. Measured on SQLite (a
# loaded 2-core machine): 5,000 in the window, a name search takes about 0.1 s (read ~45 ms, match
# ~35 ms, the matches ~10 ms); 15,000, about 0.3 s. Past this many the latest ones are left out
# and the screen says so; a file number or a phone is an indexed exact match (under 20 ms).
NAME_WINDOW = 20_000


@dataclass(frozen=True, slots=True)
class FoundAppointments:
    """What :meth:`Appointments.find_person` found; ``complete`` is False when the name search
    scanned only the first :data:`NAME_WINDOW` appointments of its window."""

    appointments: list[Appointment]
    complete: bool = True


def _lenient(check: Callable[[str | None], str | None], value: str | None) -> str | None:
    """``check(value)``, or None when it is not valid."""
    try:
        return check(value)
    except InvalidInput:
        return None


@dataclass(frozen=True, slots=True)
class BookingRequest:
    """What the agent typed to book a slot (validated by :meth:`Appointments.book`)."""

    agency_id: str
    kind: Kind
    channel: Channel
    start: datetime
    name: str
    file_number: str | None = None
    phone: str | None = None
    service_id: str | None = None
    objective: str = ""


class Appointments:
    """The appointment use cases, on one workstation's context."""

    def __init__(self, context: Context) -> None:
        self.context = context

    # -- reading ---------------------------------------------------------------------
    def offering(self, agency: Agency | None, kind: Kind, channel: Channel) -> None:
        """:class:`InvalidInput` when ``agency`` (None: any agency) does not offer ``kind`` on
        ``channel``, saying which agencies do and on which days."""
        ctx = self.context
        why = not_offered(ctx.catalog.agencies, kind, channel, agency, ctx.now().date())
        if why is not None:
            raise InvalidInput(why)

    def empty_reason(self, kind: Kind, channel: Channel, agency_id: str | None = None, *,
                     date_from: date | None = None, date_to: date | None = None,
                     part: DayPart | None = None) -> str:
        """Why :meth:`find_slots` with the same criteria found nothing: closed those days, or all taken
        (offered nowhere is :meth:`find_slots`'s own error)."""
        ctx = self.context
        agency = ctx.agency(agency_id) if agency_id else None
        self.offering(agency, kind, channel)
        query = SlotQuery(kind, channel, date_from, date_to, part, ctx.notice, ctx.horizon)
        return empty_reason(ctx.catalog.agencies, query, ctx.now(), agency)

    def find_slots(self, kind: Kind, channel: Channel, agency_id: str | None = None, *,
                   date_from: date | None = None, date_to: date | None = None,
                   part: DayPart | None = None, limit: int = 20) -> list[Slot]:
        """The earliest free slots, across all agencies or in ``agency_id``; :class:`InvalidInput`
        when ``kind`` on ``channel`` is offered there by no agency."""
        from guichet.store import appointments as store
        from guichet.store.engine import read_session

        ctx = self.context
        agency = ctx.agency(agency_id) if agency_id else None
        self.offering(agency, kind, channel)  # offered nowhere: say so, not "no free slot"
        agencies = (agency,) if agency is not None else ctx.catalog.agencies
        query = SlotQuery(kind, channel, date_from, date_to, part, ctx.notice, ctx.horizon)
        home = ctx.home_agency
        with read_session(ctx.engine) as session:

            def taken(ids: Sequence[str], lo: datetime, hi: datetime) -> dict[tuple[str, datetime], int]:
                return store.taken_counts(session=session, agency_ids=list(ids), kind=kind,
                                          channel=channel, start=lo, end=hi)

            return find_free(agencies, query, ctx.now(), taken, limit, first=home.id if home else None)

    def get(self, appointment_id: int) -> Appointment:
        """The appointment ``appointment_id``; :class:`NotFound` otherwise."""
        from guichet.store import appointments as store
        from guichet.store.engine import read_session

        with read_session(self.context.engine) as session:
            found = store.get(session=session, appointment_id=appointment_id)
        if found is None:
            raise NotFound(f"Rendez-vous n° {appointment_id} introuvable.")
        return found

    def day_sheet(self, agency_id: str, day: date | None = None) -> list[Appointment]:
        """The appointments of one agency on one day (default: today), by time."""
        from guichet.store import appointments as store
        from guichet.store.engine import read_session

        agency = self.context.agency(agency_id)
        day = day or self.context.now().date()
        start = datetime.combine(day, time(0), PARIS)
        with read_session(self.context.engine) as session:
            return store.day_appointments(session=session, agency_id=agency.id, start=start,
                                          end=start + timedelta(days=1))

    # -- finding a person's appointments ------------------------------------------------
    def active_for_person(self, file_number: str | None, name: str | None, phone: str | None,
                          ) -> list[Appointment]:
        """The person's booked appointments still to come, across agencies, by time: those held for
        the same file number, and those held for the same phone under the same name (accents, case
        and word order ignored). Identifiers that are not valid are ignored (the booking refuses them)."""
        from guichet.store import appointments as store
        from guichet.store.engine import read_session

        wanted_file = _lenient(person.file_number, file_number)
        wanted_phone = _lenient(person.phone, phone)
        key = person.name_key(name or "")
        if wanted_file is None and (wanted_phone is None or not key):
            return []
        ctx = self.context
        with read_session(ctx.engine) as session:
            found = store.for_person_since(
                session=session, since=ctx.now(), agency_ids=[a.id for a in ctx.catalog.agencies],
                file_number=wanted_file, phone=wanted_phone if key else None, status=Status.BOOKED,
                limit=PERSON_LIMIT)
        return [a for a in found
                if (wanted_file is not None and a.file_number == wanted_file)
                or (a.phone == wanted_phone and person.name_key(a.name) == key)]

    def find_person(self, text: str, *, limit: int = PERSON_LIMIT) -> FoundAppointments:
        """A person's appointments across agencies, from 30 days ago onward: by file number (7
        digits) or phone (exact, normalised), or by name (typos tolerated). Upcoming ones first
        (soonest first), then the past ones (latest first)."""
        from guichet.store import appointments as store
        from guichet.store.engine import read_session

        ctx = self.context
        now = ctx.now()
        since = datetime.combine(now.date() - timedelta(days=RECENT_DAYS), time(0), PARIS)
        agency_ids = [a.id for a in ctx.catalog.agencies]
        query = " ".join(text.split())
        compact = re.sub(r"[\s.\-()]", "", query)
        complete = True
        with read_session(ctx.engine) as session:
            if compact and (compact.isdigit() or (compact.startswith("+") and compact[1:].isdigit())):
                if len(compact) == 7 and compact.isdigit():
                    found = store.for_person_since(session=session, since=since, agency_ids=agency_ids,
                                                   file_number=compact, limit=limit)
                else:
                    try:
                        wanted = person.phone(compact)
                    except InvalidInput:
                        raise InvalidInput("Tapez les 7 chiffres du numéro allocataire, les 10 du téléphone, "
                                           "ou un nom.") from None
                    found = store.for_person_since(session=session, since=since, agency_ids=agency_ids,
                                                   phone=wanted, limit=limit)
            else:
                candidates = store.names_since(session=session, since=since, agency_ids=agency_ids,
                                               limit=NAME_WINDOW + 1)
                complete = len(candidates) <= NAME_WINDOW
                matches = person.match_names(query, candidates[:NAME_WINDOW], limit)
                found = store.by_ids(session=session, ids=[found_id for found_id, _score in matches])
        upcoming = sorted((a for a in found if utc(a.end) > utc(now)), key=lambda a: (utc(a.start), a.id))
        past = sorted((a for a in found if utc(a.end) <= utc(now)), key=lambda a: (utc(a.start), a.id),
                      reverse=True)
        return FoundAppointments(upcoming + past, complete)

    # -- writing ---------------------------------------------------------------------
    def _validate(self, request: BookingRequest) -> tuple[Slot, BookingRequest]:
        ctx = self.context
        agency = ctx.agency(request.agency_id)
        self.offering(agency, request.kind, request.channel)
        start = to_paris(request.start)
        slot = slot_at(agency, request.kind, request.channel, start)
        if slot is None:
            raise InvalidInput(f"Pas de créneau {request.kind.label} {request.channel.label} à {agency.name} "
                               f"le {fr.day_time(start)}.")
        earliest, latest = window(SlotQuery(request.kind, request.channel, notice=ctx.notice,
                                            horizon=ctx.horizon), ctx.now())
        if utc(slot.start) < utc(earliest):  # instants, not wall clocks (the autumn night has two 02:30)
            raise InvalidInput(f"Le créneau du {fr.day_time(slot.start)} est passé ou trop proche "
                               f"(délai minimal : {int(ctx.notice.total_seconds() // 60)} minutes).")
        if utc(slot.start) >= utc(latest):
            raise InvalidInput(f"Le créneau du {fr.day_time(slot.start)} est au-delà de l'horizon de réservation.")
        if request.service_id is not None:
            ctx.service(request.service_id)
        clean = BookingRequest(
            agency_id=agency.id, kind=request.kind, channel=request.channel, start=slot.start,
            name=person.name(request.name),
            file_number=person.file_number(request.file_number),
            phone=person.phone(request.phone, required=request.channel is Channel.TELEPHONE),
            service_id=request.service_id,
            objective=person.note(request.objective, label="L'objet du rendez-vous"),
        )
        return slot, clean

    def book(self, request: BookingRequest) -> Appointment:
        """Book the first free seat of the slot; :class:`SlotTaken` if none is left."""
        slot, clean = self._validate(request)
        booked = self._take_seat(slot, clean)
        if booked is None:
            log.info("slot taken: %s %s/%s %s", slot.agency_id, slot.kind, slot.channel, slot.start.isoformat())
            raise self._slot_taken(slot)
        log.info("appointment %d booked: %s %s/%s %s seat %d", booked.id, booked.agency_id, booked.kind,
                 booked.channel, booked.start.isoformat(), booked.seat)
        return booked

    def _take_seat(self, slot: Slot, request: BookingRequest, *,
                   replacing: Appointment | None = None) -> Appointment | None:
        """Insert the appointment on the lowest free seat (and free ``replacing`` in the same
        transaction); None when every seat is held."""
        from guichet.store import appointments as store
        from guichet.store import journal
        from guichet.store.engine import write_session

        ctx = self.context
        # Each lost race means another counter took one seat: at most ``desks`` losses.
        for _attempt in range(slot.desks + 1):
            try:
                with write_session(ctx.engine) as session:
                    now = ctx.now()
                    if replacing is not None:  # free the old seat before taking the new one
                        moved = store.change_status(session=session, appointment_id=replacing.id,
                                                    expected=Status.BOOKED, target=Status.MOVED, at=now)
                        if moved is None:
                            raise _changed_meanwhile(replacing.id, store.get(session=session,
                                                                             appointment_id=replacing.id))
                    held = store.seats_held(session=session, agency_id=slot.agency_id, kind=slot.kind,
                                            channel=slot.channel, start=slot.start)
                    free = [seat for seat in range(1, slot.desks + 1) if seat not in held]
                    if not free:
                        session.rollback()
                        return None
                    booked = store.insert(
                        session=session, agency_id=slot.agency_id, kind=slot.kind, channel=slot.channel,
                        start=slot.start, end=slot.end, seat=free[0], name=request.name, booked_by=ctx.agent,
                        booked_by_name=ctx.settings.agent_name,
                        at=now, file_number=request.file_number, phone=request.phone,
                        service_id=request.service_id, objective=request.objective,
                        rescheduled_from=replacing.id if replacing is not None else None,
                    )
                    journal.record(session=session, at=now, actor=ctx.agent, action="appointment.booked",
                                   record_type="appointment", record_id=booked.id)
                    if replacing is not None:
                        journal.record(session=session, at=now, actor=ctx.agent, action="appointment.rescheduled",
                                       record_type="appointment", record_id=replacing.id)
                    return booked
            except store.SeatTaken:
                continue  # another counter took that seat between our read and our insert
        return None

    def _slot_taken(self, slot: Slot) -> SlotTaken:
        alternatives = self.find_slots(slot.kind, slot.channel, limit=3)
        names = {a.id: a.name for a in self.context.catalog.agencies}
        return SlotTaken(slot.start, alternatives, names)

    def set_status(self, appointment_id: int, target: Status, *, expected: Status | None = None) -> Appointment:
        """Cancel (excused/revoked), check in (seen), mark absent (noshow), or undo a mistaken check-in
        or absence the same day (booked). Journalled as ``appointment.<status>``, the undo as
        ``appointment.reopened`` (``appointment.booked`` is the booking itself).

        ``expected``: the status the agent saw; when the appointment is no longer in it (another
        counter changed it), :class:`LostRace` and nothing changes."""
        from guichet.store import appointments as store
        from guichet.store import journal
        from guichet.store.engine import write_session

        ctx = self.context
        with write_session(ctx.engine) as session:
            current = store.get(session=session, appointment_id=appointment_id)
            if current is None:
                raise NotFound(f"Rendez-vous n° {appointment_id} introuvable.")
            if expected is not None and current.status is not expected:
                raise _changed_meanwhile(appointment_id, current)
            now = ctx.now()
            check_move(current, target, now)
            changed = store.change_status(session=session, appointment_id=appointment_id,
                                          expected=current.status, target=target, at=now)
            if changed is None:
                raise _changed_meanwhile(appointment_id, store.get(session=session, appointment_id=appointment_id))
            action = "appointment.reopened" if target is Status.BOOKED else f"appointment.{target.value}"
            journal.record(session=session, at=now, actor=ctx.agent, action=action,
                           record_type="appointment", record_id=appointment_id)
        log.info("appointment %d: %s", appointment_id, target.value)
        return changed

    def reschedule(self, appointment_id: int, start: datetime, agency_id: str | None = None) -> Appointment:
        """Move an appointment: the new seat is taken and the old one freed (« déplacé », its
        successor's ``rescheduled_from`` pointing at it), or nothing changes."""
        old = self.get(appointment_id)
        check_reschedulable(old)
        request = BookingRequest(
            agency_id=agency_id or old.agency_id, kind=old.kind, channel=old.channel, start=start,
            name=old.name, file_number=old.file_number, phone=old.phone,
            service_id=old.service_id, objective=old.objective,
        )
        slot, clean = self._validate(request)
        if utc(slot.start) == utc(old.start) and slot.agency_id == old.agency_id:
            raise InvalidInput("Le nouveau créneau est identique à l'ancien.")
        booked = self._take_seat(slot, clean, replacing=old)
        if booked is None:
            raise self._slot_taken(slot)
        log.info("appointment %d rescheduled as %d", appointment_id, booked.id)
        return booked

    def export_day_sheet(self, agency_id: str, day: date) -> Path:
        """Write the day sheet as CSV in the exports folder (owner-only, atomically); its path.

        The retention purge deletes it once its day is past the appointments' retention."""
        from guichet.paths import ensure_private_dir, write_private

        sheet = self.day_sheet(agency_id, day)
        folder = ensure_private_dir(self.context.settings.paths.exports_dir)
        target = folder / f"rendez-vous-{agency_id}-{day.isoformat()}.csv"
        names = {a.id: a.name for a in self.context.catalog.agencies}
        write_private(target, exports.day_sheet_csv(sheet, names), encoding="utf-8-sig")
        log.info("day sheet exported: %s %s, %d appointments", agency_id, day.isoformat(), len(sheet))
        return target

    # -- wording ---------------------------------------------------------------------
    def confirmation(self, appointment: Appointment) -> str:
        """The French confirmation to read out or print."""
        ctx = self.context
        service = ctx.catalog.service(appointment.service_id) if appointment.service_id else None
        return exports.confirmation(appointment, ctx.agency(appointment.agency_id), service)


def _changed_meanwhile(appointment_id: int, current: Appointment | None) -> LostRace:
    """The error for a change lost to another counter, with the appointment's state now."""
    if current is None:
        return LostRace(f"Rendez-vous n° {appointment_id} introuvable : il vient d'être supprimé.")
    return LostRace(f"Le rendez-vous n° {appointment_id} a déjà été modifié par un autre guichet : "
                    f"il est maintenant « {current.status.label} ». Rien n'a été changé.")
