"""Where to send the person: the first-level orientation rules of the convention (004) as code,
on the perimeter of the CAF social service of the 92 (000 p.10, data/social_work.toml).

Sources: 004_a86ec49ae4cb90e1.txt §I.1, §II.1, §II.4, §II.5 and annex 3; DOMAIN.md "First-level
orientation rules". Each rule below is tested with its source sentence (tests/unit/test_orientation.py).
- A question about CAF rights and benefits → a GCA « uniquement », followed or not; but a person
  « pas autonome » whose accompaniment is in progress → « prioritairement vers ce travailleur social ».
- Social support → an event of the CAF perimeter (its window, its conditions) → CAF social service;
  otherwise the Département's generalist social service.
- Already followed → that worker (continuity); a handoff to another service for a known situation
  « uniquement lorsqu'il y a peu ou plus de liens ». CAF accompaniment closed → the Département
  evaluates the new request « même si l'évènement se situe toujours dans les 2 ans ».
- Social emergencies (food, no housing, energy cut-off, child protection, domestic violence): a
  person who has a social worker → « prioritairement traitée par le référent social »; a person
  followed by nobody → the Département's reception organises the answer and, for a first request
  (« situation connue d'aucun service ») of the CAF perimeter, relays the appointment request to
  the CAF social service. URGENCE DEFINIE is another thing (access to rights): see ``handoff``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from guichet.domain.models import Channel, Desk, Kind, Service
from guichet.domain.perimeter import EMPTY, Perimeter, PerimeterEvent, WindowKind

# The sources do not name the 92's local social-action centre (CDAS is Ille-et-Vilaine's, EDS is nobody's).
DEPARTEMENT = "Service social du Département"
DEPARTEMENT_URGENCE = "Accueil du service social du Département (urgence)"
REFERENT = "Le travailleur social qui suit déjà la personne"

# The convention's words (004_a86ec49ae4cb90e1.txt), quoted on the card.
REFERENT_FIRST = "« La demande sera prioritairement traitée par le référent social »"  # §II.5
CAF_WITHOUT_REFERENT = ("« en cours d'accompagnement, le service social de la CAF s'organise pour traiter les "
                        "demandes urgentes même en l'absence de la personne référente »")  # §II.5
CLOSED = "« même si l'évènement se situe toujours dans les 2 ans »"  # §II.1
FEW_LINKS = "« uniquement lorsqu'il y a peu ou plus de liens »"  # §II.4
NOT_AUTONOMOUS = "« prioritairement vers ce travailleur social »"  # §I.1


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


# The keys of :class:`Answers`, in the card's order.
QUESTIONS = ("already_followed", "few_links", "not_autonomous", "emergency", "caf_closed", "out_of_window",
             "single_parent", "family")
# The conditions of the perimeter: "not asked" reads as "not contradicted" (the card says « à vérifier »).
CONDITIONS = ("single_parent", "family")


@dataclass(frozen=True, slots=True)
class Answers:
    """What the agent answered on the card.

    None means "not asked yet". The rules read it as "no", except for the perimeter's CONDITIONS
    (parent seul, enfant à charge ou à naître), which stay presumed and are shown « à vérifier »
    until answered: a « non » there takes the event out of the perimeter. An emergency is one
    :class:`Emergency` or none: ``emergency_asked`` tells "no emergency" from "not asked yet".
    """

    already_followed: bool | None = None  # a social worker follows the person now
    emergency: Emergency | None = None  # a social emergency right now
    out_of_window: bool | None = None  # the event is past the perimeter's window (2 years; the child's 1st year)
    emergency_asked: bool = False  # the emergency question was answered (None then means "no emergency")
    caf_closed: bool | None = None  # a CAF social accompaniment for this event was already closed
    few_links: bool | None = None  # followed, but « peu ou plus de liens » with that worker
    not_autonomous: bool | None = None  # followed and not autonomous in the request
    single_parent: bool | None = None  # a parent on their own
    family: bool | None = None  # « famille avec enfant à charge ou à naître »

    def __post_init__(self) -> None:
        if self.emergency is not None and not self.emergency_asked:
            object.__setattr__(self, "emergency_asked", True)  # frozen: the one way to set it here

    def is_asked(self, question: str) -> bool:
        """Whether the agent answered ``question`` (one of :data:`QUESTIONS`)."""
        if question == "emergency":
            return self.emergency_asked
        if question in QUESTIONS:
            return getattr(self, question) is not None
        raise ValueError(f"unknown question: {question}")


@dataclass(frozen=True, slots=True)
class Advice:
    """The orientation card's verdict."""

    desk: Desk
    destination: str  # who, in French: "Rendez-vous avec un gestionnaire-conseil (GCA)"
    reasons: tuple[str, ...]  # why, one French line each
    channel: Channel | None = None  # suggested appointment channel
    social_work_eligible: bool = False  # within the CAF social-work perimeter, given the answers
    urgency_hint: bool = False  # access to rights: may be an URGENCE DEFINIE (never a social emergency)
    forward_to_caf: bool = False  # the Département relays the appointment request to the CAF social service
    questions: tuple[str, ...] = field(default=())  # the questions that matter for this service
    entry: PerimeterEvent | None = None  # the service's line of the perimeter, if it has one

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


def entry_for(service: Service, perimeter: Perimeter) -> PerimeterEvent | None:
    """The perimeter's line for ``service``: only a service marked as a social-work event has one."""
    return perimeter.entry(service.life_event) if service.social_work_event else None


def asks_family(entry: PerimeterEvent) -> bool:
    """Whether the family condition is worth asking: a parent on their own has a child (or expects one)."""
    return entry.family and not entry.single_parent


def unmet(entry: PerimeterEvent, single_parent: bool | None, family: bool | None, label: str) -> str | None:
    """The perimeter's condition answered « non », in French, or None."""
    if entry.single_parent and single_parent is False:
        return "pas un parent seul : ce n'est dans le périmètre que pour un parent seul"
    if asks_family(entry) and family is False:
        return f"pas de « {label.lower()} »"
    return None


def questions_for(service: Service, answers: Answers | None = None, perimeter: Perimeter = EMPTY) -> tuple[str, ...]:
    """The yes/no questions worth asking for ``service`` (keys of :class:`Answers`), given what is answered."""
    answers = answers or Answers()
    entry = entry_for(service, perimeter)
    desk = service.orientation.desk
    social = desk is Desk.TRAVAILLEUR_SOCIAL or entry is not None
    asked = []
    if social or desk in (Desk.PARTENAIRE, Desk.GCA) or service.social_work_event:
        asked.append("already_followed")
        if answers.already_followed and desk is Desk.GCA:
            asked.append("not_autonomous")
        elif answers.already_followed and social:
            asked.append("few_links")
    asked.append("emergency")
    if entry is not None:
        if not answers.already_followed:
            asked.append("caf_closed")
        if entry.window.kind is not WindowKind.NONE:
            asked.append("out_of_window")
        if entry.single_parent:
            asked.append("single_parent")
        if asks_family(entry):
            asked.append("family")
    return tuple(asked)


def _emergency(emergency: Emergency, answers: Answers, eligible: bool, questions: tuple[str, ...],
               entry: PerimeterEvent | None) -> Advice:
    """004 §II.5: the referent first; a person followed by nobody → the Département's reception."""
    if answers.already_followed:
        reasons = (f"Urgence sociale ({emergency.label}) : {REFERENT_FIRST}.",
                   f"Suivie par la Caf : {CAF_WITHOUT_REFERENT}.")
        return Advice(Desk.TRAVAILLEUR_SOCIAL, REFERENT, reasons, None, eligible, questions=questions, entry=entry)
    first = not answers.caf_closed  # « situation connue d'aucun service »
    forward = first and eligible
    lines = [f"Urgence sociale ({emergency.label}), personne suivie par aucun service : l'accueil du "
             "Département organise la réponse.",
             "Le service social de la Caf ne reçoit pas en urgence une personne qu'il n'accompagne pas."]
    if forward:
        lines.append("Première demande, événement du périmètre Caf : le Département relaie la demande de "
                     "rendez-vous au service social de la Caf.")
    return Advice(Desk.PARTENAIRE, DEPARTEMENT_URGENCE, tuple(lines), None, eligible, forward_to_caf=forward,
                  questions=questions, entry=entry)


def orient(service: Service, answers: Answers | None = None, perimeter: Perimeter = EMPTY) -> Advice:
    """Where to send the person for ``service``, given the agent's ``answers`` and the CAF ``perimeter``."""
    answers = answers or Answers()
    desk = service.orientation.desk
    entry = entry_for(service, perimeter)
    condition = unmet(entry, answers.single_parent, answers.family, perimeter.family_label) if entry else None
    eligible = entry is not None and not answers.out_of_window and condition is None and not answers.caf_closed
    questions = questions_for(service, answers, perimeter)
    urgency = service.urgency_hint

    def advice(desk: Desk, destination: str, reasons: list[str], channel: Channel | None = None,
               in_perimeter: bool = False) -> Advice:
        return Advice(desk, destination, tuple(reasons), channel, in_perimeter, urgency, questions=questions,
                      entry=entry)

    if answers.emergency is not None:
        return _emergency(answers.emergency, answers, eligible, questions, entry)

    if desk is Desk.GCA:
        if answers.already_followed and answers.not_autonomous:
            return advice(Desk.TRAVAILLEUR_SOCIAL, REFERENT, [
                f"Personne non autonome et suivie : {NOT_AUTONOMOUS}, même pour une question de droits."])
        return advice(Desk.GCA, Desk.GCA.label, ["Question sur les droits et prestations Caf : un gestionnaire-"
                      "conseil, que la personne soit suivie ou non par un travailleur social."],
                      _channel(service) or Channel.TELEPHONE, eligible)

    social = desk is Desk.TRAVAILLEUR_SOCIAL or entry is not None
    reasons: list[str] = []
    if social and answers.already_followed:
        if not answers.few_links:
            return advice(Desk.TRAVAILLEUR_SOCIAL, REFERENT,
                          ["La personne est déjà suivie : l'orienter vers son travailleur social (continuité)."],
                          in_perimeter=eligible)
        reasons.append(f"Peu ou plus de liens avec son travailleur social : passage de relais {FEW_LINKS}, "
                       "avec l'accord de la personne.")

    if entry is not None and answers.caf_closed:
        reasons.append(f"Accompagnement Caf déjà clôturé : le Département évalue la nouvelle demande, {CLOSED}.")
        return advice(Desk.PARTENAIRE, DEPARTEMENT, reasons)
    if entry is not None and (answers.out_of_window or condition):
        why = entry.window.over if answers.out_of_window else (condition or "").capitalize()
        reasons.append(f"{why} : hors du périmètre du service social de la Caf ; service social du Département.")
        return advice(Desk.PARTENAIRE, DEPARTEMENT, reasons)
    if entry is not None:
        window = f" ({entry.window.label})" if entry.window.label else ""
        reasons.append(f"Événement du périmètre du service social de la Caf{window} : travailleur social de "
                       "la Caf en priorité.")
        reasons += _to_check(entry, answers, perimeter)
        return advice(Desk.TRAVAILLEUR_SOCIAL, Desk.TRAVAILLEUR_SOCIAL.label, reasons, _channel(service), True)

    if desk is Desk.TRAVAILLEUR_SOCIAL:
        left_out = perimeter.note(service.life_event) if service.social_work_event else None
        reasons.append(left_out.note if left_out else "Accompagnement social hors des événements de vie suivis "
                       "par la Caf : service social généraliste du Département.")
        return advice(Desk.PARTENAIRE, DEPARTEMENT, reasons)

    if desk is Desk.PARTENAIRE:
        partner = service.orientation.partner or Desk.PARTENAIRE.label
        if answers.already_followed:
            reasons.append("Déjà suivie par un travailleur social : le prévenir de la démarche.")
        reasons.append(service.orientation.note or f"Orienter vers : {partner}.")
        return advice(Desk.PARTENAIRE, partner, reasons)

    return advice(desk, desk.label, [service.orientation.note or service.summary], _channel(service), eligible)


def _to_check(entry: PerimeterEvent, answers: Answers, perimeter: Perimeter) -> list[str]:
    """The perimeter's conditions not asked yet: presumed, but to be checked with the person."""
    lines = []
    if entry.single_parent and answers.single_parent is None:
        lines.append("À vérifier : parent seul (condition du périmètre).")
    if asks_family(entry) and answers.family is None:
        lines.append(f"À vérifier : {perimeter.family_label.lower()} (condition du périmètre).")
    return lines
