"""Where to send the person: the first-level orientation rules of DOMAIN.md as code.

Sources: 004_a86ec49ae4cb90e1.txt §I.1, §II.1 and annex 3 (convention CAF / Département).
- A question about CAF rights and benefits → a GCA, whether or not a social worker follows
  the person.
- A question about the Département's aid → its local social-action centre.
- Social support → a life event of the CAF perimeter (within 2 years) → CAF social service;
  otherwise the Département's generalist social service.
- Already followed by a social worker → that worker (continuity).
- Social emergencies (food, no housing, energy cut-off, child protection, domestic violence)
  → the Département's emergency reception, which forwards the request to the CAF social
  service: the CAF social service cannot receive in emergency someone it does not follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from guichet.domain.models import Channel, Desk, Kind, LifeEvent, Service

DEPARTEMENT = "Département : Espace départemental des solidarités (EDS)"
DEPARTEMENT_URGENCE = "Département : accueil d'urgence de l'Espace départemental des solidarités"
WINDOW_YEARS = 2  # CAF social work intervenes within 2 years of the event (004, annex 3)

# Life events the CAF social service offers support for (DOMAIN.md, "Social work").
CAF_PERIMETER = frozenset(
    {
        LifeEvent.SEPARATION,
        LifeEvent.DECES_CONJOINT,
        LifeEvent.DECES_ENFANT,
        LifeEvent.DECES_PARENT,
        LifeEvent.GROSSESSE_NAISSANCE,
        LifeEvent.IMPAYE_LOYER,
        LifeEvent.VIOLENCES,
        LifeEvent.HANDICAP_ENFANT,
        LifeEvent.BAISSE_RESSOURCES,
        LifeEvent.ACCES_DROITS_URGENCE,
    }
)
# Events whose 2-year window the convention states explicitly (separation, deaths).
WINDOWED = frozenset(
    {LifeEvent.SEPARATION, LifeEvent.DECES_CONJOINT, LifeEvent.DECES_ENFANT, LifeEvent.DECES_PARENT}
)


class Emergency(StrEnum):
    """The social emergencies handled by the Département's reception (004 §I.2)."""

    ALIMENTAIRE = "alimentaire"
    SANS_LOGEMENT = "sans_logement"
    ENERGIE = "energie"
    PROTECTION_ENFANCE = "protection_enfance"
    VIOLENCES = "violences"

    @property
    def label(self) -> str:
        return _EMERGENCY_LABELS[self]


_EMERGENCY_LABELS = {
    Emergency.ALIMENTAIRE: "aide alimentaire",
    Emergency.SANS_LOGEMENT: "absence de logement ou d'hébergement",
    Emergency.ENERGIE: "menace de coupure d'énergie",
    Emergency.PROTECTION_ENFANCE: "protection de l'enfance",
    Emergency.VIOLENCES: "violences conjugales",
}


QUESTIONS = ("already_followed", "emergency", "event_over_two_years")  # the keys of :class:`Answers`


@dataclass(frozen=True, slots=True)
class Answers:
    """What the agent answered on the card.

    None means "not asked yet", which the rules read as "no", but the card shows as not asked.
    An emergency is either one :class:`Emergency` or none: ``emergency_asked`` tells "no
    emergency" (asked, answered no) from "not asked yet"; naming an emergency answers the question.
    """

    already_followed: bool | None = None  # a social worker already follows the person
    emergency: Emergency | None = None  # a social emergency right now
    event_over_two_years: bool | None = None  # the life event is more than 2 years old
    emergency_asked: bool = False  # the emergency question was answered (None then means "no emergency")

    def __post_init__(self) -> None:
        if self.emergency is not None and not self.emergency_asked:
            object.__setattr__(self, "emergency_asked", True)  # frozen: the one way to set it here

    def is_asked(self, question: str) -> bool:
        """Whether the agent answered ``question`` (one of :data:`QUESTIONS`)."""
        if question == "emergency":
            return self.emergency_asked
        if question in ("already_followed", "event_over_two_years"):
            return getattr(self, question) is not None
        raise ValueError(f"unknown question: {question}")


@dataclass(frozen=True, slots=True)
class Advice:
    """The orientation card's verdict."""

    desk: Desk
    destination: str  # who, in French: "Rendez-vous avec un gestionnaire-conseil (GCA)"
    reasons: tuple[str, ...]  # why, one French line each
    channel: Channel | None = None  # suggested appointment channel
    social_work_eligible: bool = False  # within the CAF social-work perimeter
    urgency_hint: bool = False  # can qualify as URGENCE DEFINIE
    forward_to_caf: bool = False  # the Département forwards the request to the CAF social service
    questions: tuple[str, ...] = field(default=())  # the questions that matter for this service

    @property
    def booking_kind(self) -> Kind | None:
        """The appointment kind to book from this card, if any."""
        if self.desk is Desk.GCA:
            return Kind.GCA
        if self.desk is Desk.CSU:
            return Kind.CSU
        return None

    @property
    def offers_handoff(self) -> bool:
        """Whether the card offers a handoff to a social worker."""
        return self.social_work_eligible or self.forward_to_caf or self.desk is Desk.TRAVAILLEUR_SOCIAL


def _channel(service: Service) -> Channel | None:
    value = service.orientation.channel
    return Channel(value) if value else None


def questions_for(service: Service) -> tuple[str, ...]:
    """The yes/no questions worth asking for ``service`` (keys of :class:`Answers`)."""
    asked = ["emergency"]
    if service.orientation.desk in (Desk.TRAVAILLEUR_SOCIAL, Desk.PARTENAIRE) or service.social_work_event:
        asked.insert(0, "already_followed")
    if service.social_work_event and service.life_event in WINDOWED:
        asked.append("event_over_two_years")
    return tuple(asked)


def orient(service: Service, answers: Answers | None = None) -> Advice:
    """Where to send the person for ``service``, given the agent's ``answers``."""
    answers = answers or Answers()
    desk = service.orientation.desk
    eligible = service.social_work_event and service.life_event in CAF_PERIMETER
    questions = questions_for(service)
    urgency = service.urgency_hint
    reasons: list[str] = []

    if answers.emergency is not None:
        reasons.append(
            f"Urgence sociale ({answers.emergency.label}) : l'accueil du Département organise la réponse."
        )
        if eligible or desk is Desk.TRAVAILLEUR_SOCIAL:
            reasons.append("Le Département transmet la demande de rendez-vous au service social de la Caf.")
        reasons.append("Le service social de la Caf ne reçoit pas en urgence une personne qu'il ne suit pas.")
        if answers.already_followed:
            reasons.append("Prévenir aussi le travailleur social qui suit déjà la personne.")
        return Advice(Desk.PARTENAIRE, DEPARTEMENT_URGENCE, tuple(reasons), None, eligible, True,
                      forward_to_caf=True, questions=questions)

    if desk is Desk.GCA:
        reasons.append("Question sur les droits et prestations Caf : un gestionnaire-conseil, "
                       "que la personne soit suivie ou non par un travailleur social.")
        return Advice(Desk.GCA, Desk.GCA.label, tuple(reasons), _channel(service) or Channel.TELEPHONE,
                      eligible, urgency, questions=questions)

    social = desk is Desk.TRAVAILLEUR_SOCIAL or eligible
    if social and answers.already_followed:
        reasons.append("La personne est déjà suivie : l'orienter vers son travailleur social (continuité).")
        return Advice(Desk.TRAVAILLEUR_SOCIAL, "Le travailleur social qui suit déjà la personne",
                      tuple(reasons), None, eligible, urgency, questions=questions)

    if social and eligible and answers.event_over_two_years:
        reasons.append(f"Événement de plus de {WINDOW_YEARS} ans : hors du périmètre du service social "
                       "de la Caf.")
        reasons.append("Orienter vers le service social généraliste du Département.")
        return Advice(Desk.PARTENAIRE, DEPARTEMENT, tuple(reasons), None, False, urgency,
                      questions=questions)

    if social and eligible:
        reasons.append("Événement de vie du périmètre du service social de la Caf "
                       f"(dans les {WINDOW_YEARS} ans) : travailleur social de la Caf en priorité.")
        return Advice(Desk.TRAVAILLEUR_SOCIAL, Desk.TRAVAILLEUR_SOCIAL.label, tuple(reasons),
                      _channel(service), True, urgency, questions=questions)

    if desk is Desk.TRAVAILLEUR_SOCIAL:
        reasons.append("Accompagnement social hors des événements de vie suivis par la Caf : "
                       "service social généraliste du Département.")
        return Advice(Desk.PARTENAIRE, DEPARTEMENT, tuple(reasons), None, False, urgency,
                      questions=questions)

    if desk is Desk.PARTENAIRE:
        partner = service.orientation.partner or Desk.PARTENAIRE.label
        if answers.already_followed:
            reasons.append("Déjà suivie par un travailleur social : le prévenir de la démarche.")
        reasons.append(service.orientation.note or f"Orienter vers : {partner}.")
        return Advice(Desk.PARTENAIRE, partner, tuple(reasons), None, eligible, urgency,
                      questions=questions)

    reasons.append(service.orientation.note or service.summary)
    return Advice(desk, desk.label, tuple(reasons), _channel(service), eligible, urgency,
                  questions=questions)
