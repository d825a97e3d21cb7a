"""A passage: one person received at a counter or on the phone, counted without keeping who (issue 17).

The agencies' plan measures its reception in people received per half-day (000: « environ 70
allocataires accueillis par demi-journée à Châtenay-Malabry et 90 à Nanterre »). A passage holds
what the counter did, never who it did it for: the agency, the workstation, the agent's login, the
channel, when it started and ended, the services whose card was read, and the outcomes (an
appointment's or a handoff's id, a partner's name from the catalog). No name, no file number, no
phone, no free text typed by the agent.

Life of a passage (``services.passages``): it opens with the first action about a person after
Ctrl+N (or at start), collects the services and outcomes, and closes at the next Ctrl+N, after an
idle delay (its end is then the last action, not the moment the delay ran out), or when guichet
quits. A quick question (one key, no search) is a passage of its own, opened and closed at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from guichet.domain.clock import to_paris, utc
from guichet.domain.models import Desk, Service

# Morning and afternoon as the agencies open them (walk-in 8h30/9h–12h30, 13h30–16h30; 000 p.5):
# a passage started before 13:00 (Paris) belongs to the morning.
AFTERNOON_FROM = time(13, 0)


class PassageChannel(StrEnum):
    """Where the person was received."""

    GUICHET = "guichet"
    TELEPHONE = "telephone"

    @property
    def label(self) -> str:
        return "au guichet" if self is PassageChannel.GUICHET else "au téléphone"

    @property
    def short(self) -> str:
        return "guichet" if self is PassageChannel.GUICHET else "téléphone"

    def other(self) -> PassageChannel:
        return PassageChannel.TELEPHONE if self is PassageChannel.GUICHET else PassageChannel.GUICHET


class Half(StrEnum):
    """A half-day, the agencies' unit of reception."""

    MATIN = "matin"
    APRES_MIDI = "apres_midi"

    @property
    def label(self) -> str:
        return "matin" if self is Half.MATIN else "après-midi"


def half_day(moment: datetime) -> tuple[date, Half]:
    """The Paris day and half-day of ``moment``."""
    local = to_paris(moment)
    return local.date(), Half.MATIN if local.time() < AFTERNOON_FROM else Half.APRES_MIDI


class Outcome(StrEnum):
    """What was done for the person. ``ref`` says which record or which partner, never who."""

    SERVICE = "service"  # a service's card was read (ref: the service id); not an outcome, what was consulted
    INFORMED = "renseigne"  # informed at the counter (the card sent to the reception or a desk, nothing booked)
    SELF_SERVICE = "libre_service"  # sent to the self-service area: caf.fr, Mon Compte, the 3230 server
    APPOINTMENT = "rendez_vous"  # an appointment booked or moved (ref: its id)
    CHECKED_IN = "arrivee"  # a person who came for their appointment, marked arrived (ref: its id)
    HANDOFF = "relais"  # a handoff to a social worker logged (ref: its id)
    PARTNER = "partenaire"  # sent to a partner (ref: which one, from the catalog)
    DEPARTEMENT = "departement"  # sent to the Département's social service (ref: which reception)
    URGENCE_DEFINIE = "urgence_definie"  # a handoff flagged URGENCE DEFINIE (access to rights, 004 §I.2)
    SOCIAL_EMERGENCY = "urgence_sociale"  # a social emergency qualified (ref: which one)
    QUICK_QUESTION = "question_rapide"  # a quick question answered, no search (one key)

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.SERVICE: "fiche consultée",
    Outcome.INFORMED: "renseigné",
    Outcome.SELF_SERVICE: "orienté vers le libre-service (caf.fr, 3230)",
    Outcome.APPOINTMENT: "rendez-vous réservé",
    Outcome.CHECKED_IN: "arrivée à un rendez-vous",
    Outcome.HANDOFF: "passage de relais enregistré",
    Outcome.PARTNER: "orienté vers un partenaire",
    Outcome.DEPARTEMENT: "orienté vers le Département",
    Outcome.URGENCE_DEFINIE: "URGENCE DEFINIE signalée",
    Outcome.SOCIAL_EMERGENCY: "urgence sociale qualifiée",
    Outcome.QUICK_QUESTION: "question rapide",
}
# The outcomes that say what the person left with: when one of them happened, the card last read
# (« orienté vers… ») is not counted as well.
ACTED = frozenset({Outcome.APPOINTMENT, Outcome.CHECKED_IN, Outcome.HANDOFF, Outcome.QUICK_QUESTION})
# Their ref is a record's id: grouped by kind only in the statistics (an id says nothing counted).
REF_IS_ID = frozenset({Outcome.APPOINTMENT, Outcome.CHECKED_IN, Outcome.HANDOFF})
REF_MAX = 120  # a ref is an id, a service id or a partner's name from the catalog


class ClosedHow(StrEnum):
    """Why a passage ended."""

    SUIVANT = "suivant"  # Ctrl+N: the next person
    INACTIF = "inactif"  # nothing done for the idle delay: ended at the last action
    FIN = "fin"  # guichet quit
    RAPIDE = "rapide"  # a quick question: opened and closed at once (no duration counted)


@dataclass(frozen=True, slots=True)
class Item:
    """One thing a passage holds: a service read, or an outcome."""

    kind: Outcome
    ref: str = ""

    def __post_init__(self) -> None:
        if len(self.ref) > REF_MAX or not self.ref.isprintable():
            raise ValueError("a passage's ref is an id or a catalog name, on one line")


def card_outcome(service: Service, desk: Desk, destination: str) -> Item:
    """What reading a card tells the person, as an outcome: the card's verdict (``desk`` and
    ``destination`` of :class:`~guichet.domain.orientation.Advice`)."""
    from guichet.domain.orientation import DEPARTEMENT, DEPARTEMENT_URGENCE

    if destination in (DEPARTEMENT, DEPARTEMENT_URGENCE):
        return Item(Outcome.DEPARTEMENT, destination)
    if desk is Desk.PARTENAIRE:
        return Item(Outcome.PARTNER, (service.orientation.partner or destination)[:REF_MAX])
    if desk is Desk.EN_LIGNE:
        return Item(Outcome.SELF_SERVICE)
    return Item(Outcome.INFORMED)


def duration_seconds(started: datetime, ended: datetime) -> int:
    """A passage's length in whole seconds (real time: across a change of hour too), never negative."""
    return max(0, int((utc(ended) - utc(started)).total_seconds()))  # through UTC: Paris minus Paris is wall clock
