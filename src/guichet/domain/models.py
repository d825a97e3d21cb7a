"""Frozen domain objects shared by every layer.

They carry data only; the rules that use them live in the sibling modules. Nothing here
imports the UI or the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from guichet.domain.perimeter import EMPTY, Perimeter
from guichet.domain.perimeter import LifeEvent as LifeEvent  # re-exported: its home for every layer


class Kind(StrEnum):
    """Who receives the person at an appointment."""

    GCA = "gca"  # gestionnaire-conseil allocataire: in-depth study of the file
    CSU = "csu"  # conseiller service à l'usager: help with an online procedure

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


class Channel(StrEnum):
    """Where an appointment takes place."""

    AGENCE = "agence"
    TELEPHONE = "telephone"

    @property
    def label(self) -> str:
        return _CHANNEL_LABELS[self]


_KIND_LABELS = {Kind.GCA: "gestionnaire-conseil (GCA)", Kind.CSU: "conseiller (CSU)"}
_CHANNEL_LABELS = {Channel.AGENCE: "en agence", Channel.TELEPHONE: "par téléphone"}


@dataclass(frozen=True, slots=True)
class Schedule:
    """When one kind of appointment runs on one channel in one agency."""

    kind: Kind
    channel: Channel
    opening_hours: str  # OpenStreetMap opening_hours syntax, e.g. "Tu 09:00-12:00; PH off"
    desks: int  # agents serving it: a slot has seats 1..desks
    slot_minutes: int = 30
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Closure:
    """An exceptional closure of a whole agency, from ``start`` to ``end`` inclusive."""

    start: date
    end: date
    reason: str

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Agency:
    """One CAF agency with its walk-in hours and its appointment schedules.

    ``address`` is where the public is received (None: not known, and guichet says so);
    ``postal_address`` is for mail only (a Cedex), never shown as a place to go."""

    id: str
    name: str
    address: str | None
    walk_in: str | None  # opening_hours of the walk-in reception; None: no walk-in at all
    walk_in_volume: int | None = None  # people received per half-day, when the sources say
    schedules: tuple[Schedule, ...] = ()
    closures: tuple[Closure, ...] = ()
    notes: tuple[str, ...] = ()
    postal_address: str | None = None

    def schedule(self, kind: Kind, channel: Channel) -> Schedule | None:
        """The schedule for ``kind`` on ``channel``, or None when the agency does not offer it."""
        for sched in self.schedules:
            if sched.kind is kind and sched.channel is channel:
                return sched
        return None

    def closed_on(self, day: date) -> Closure | None:
        """The exceptional closure covering ``day``, if any."""
        for closure in self.closures:
            if closure.covers(day):
                return closure
        return None


class Desk(StrEnum):
    """Where the first-level reception sends a person for a service."""

    ACCUEIL = "accueil"  # walk-in reception, self-service area
    CSU = "csu"  # appointment with a CSU
    GCA = "gca"  # appointment with a GCA
    TRAVAILLEUR_SOCIAL = "travailleur_social"  # CAF social worker
    PARTENAIRE = "partenaire"  # a partner (Département, CCAS, CIDFF, MDPH…)
    EN_LIGNE = "en_ligne"  # caf.fr / Mon Compte / 3230 self-service

    @property
    def label(self) -> str:
        return _DESK_LABELS[self]


_DESK_LABELS = {
    Desk.ACCUEIL: "Accueil sans rendez-vous",
    Desk.CSU: "Rendez-vous avec un conseiller (CSU)",
    Desk.GCA: "Rendez-vous avec un gestionnaire-conseil (GCA)",
    Desk.TRAVAILLEUR_SOCIAL: "Travailleur social de la Caf",
    Desk.PARTENAIRE: "Partenaire",
    Desk.EN_LIGNE: "En autonomie : caf.fr, Mon Compte ou 3230",
}


@dataclass(frozen=True, slots=True)
class Orientation:
    """Where a service sends the person by default, before the agent's answers."""

    desk: Desk
    channel: str | None = None  # "agence" | "telephone" for appointments; None otherwise
    partner: str | None = None  # for Desk.PARTENAIRE: who ("Département (EDS)", "CIDFF"…)
    note: str | None = None  # one line the agent reads out


@dataclass(frozen=True, slots=True)
class Service:
    """One entry of the service catalog: a benefit, a procedure, a life event, a need, a partner."""

    id: str
    title: str
    category: str
    summary: str
    orientation: Orientation
    source: str
    keywords: tuple[str, ...] = ()
    phrasings: tuple[str, ...] = ()  # everyday words of the person ("mon copain me tape"), searched
    bring: tuple[str, ...] = ()  # what to bring or check
    benefits: tuple[str, ...] = ()  # benefit codes concerned (APL, RSA, AAH…)
    life_event: LifeEvent | None = None
    social_work_event: bool = False  # a life event the CAF social service may take (see the perimeter)
    urgency_hint: bool = False  # may be an URGENCE DEFINIE of access to rights (004 §I.2), never a social emergency
    popularity: int = 0  # 0-100, orders the list shown for an empty query


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything loaded from the data files."""

    agencies: tuple[Agency, ...]
    services: tuple[Service, ...] = ()
    sources: tuple[str, ...] = field(default=())  # the files loaded, for `guichet info`
    perimeter: Perimeter = EMPTY  # the CAF social service's perimeter (social_work.toml)

    def agency(self, agency_id: str) -> Agency | None:
        for agency in self.agencies:
            if agency.id == agency_id:
                return agency
        return None

    def service(self, service_id: str) -> Service | None:
        for service in self.services:
            if service.id == service_id:
                return service
        return None


class Status(StrEnum):
    """The life of an appointment."""

    BOOKED = "booked"  # réservé
    SEEN = "seen"  # venu / reçu
    NOSHOW = "noshow"  # absent
    EXCUSED = "excused"  # annulé par la personne
    REVOKED = "revoked"  # annulé par la Caf
    MOVED = "moved"  # déplacé: replaced by another appointment (reached only by rescheduling)

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def holds_seat(self) -> bool:
        return self in (Status.BOOKED, Status.SEEN, Status.NOSHOW)


_STATUS_LABELS = {
    Status.BOOKED: "réservé",
    Status.SEEN: "reçu",
    Status.NOSHOW: "absent",
    Status.EXCUSED: "annulé par la personne",
    Status.REVOKED: "annulé par la Caf",
    Status.MOVED: "déplacé",
}


@dataclass(frozen=True, slots=True)
class Appointment:
    """A booked appointment, as the UI and the CLI see it (times in Europe/Paris)."""

    id: int
    agency_id: str
    kind: Kind
    channel: Channel
    start: datetime
    end: datetime
    seat: int
    name: str
    status: Status
    booked_by: str
    created_at: datetime
    updated_at: datetime
    file_number: str | None = None
    phone: str | None = None
    service_id: str | None = None
    objective: str = ""
    rescheduled_from: int | None = None
    checked_in_at: datetime | None = None
    booked_by_name: str | None = None  # the agent's name set in the settings (schema v4), beside the login
    # For a moved appointment: the one that replaced it (its number and start), when the store looked it up.
    moved_to: int | None = None
    moved_to_start: datetime | None = None
    moved_to_agency: str | None = None
