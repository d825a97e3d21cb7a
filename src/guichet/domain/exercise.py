"""Training exercises (issue 18): a situation told by a person, and the checks of what the trainee did.

The convention (004) commits the CAF and the Département « à former les Conseillers de services à
l'usager de la CAF aux modalités de l'ASIP ». An exercise sets a situation (a person at the counter
or on the phone, in their own words), the trainee acts in the real interface, and each
:class:`Check` says whether what was observed (:class:`Observed`: the cards read with their
answers, the hours asked, the appointments booked, the handoffs logged) meets a rule of the
sources, quoted with its file. Pure: the interface gathers what it observes, this module judges.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from guichet.domain.followup import HandoffRecord
from guichet.domain.handoff import Destination
from guichet.domain.models import Appointment, Channel, Kind
from guichet.domain.orientation import QUESTIONS, Answers, Emergency
from guichet.domain.passage import Item, Outcome, PassageChannel

NO_EMERGENCY = "aucune"  # an emergency question answered « no emergency »
REFERRALS = (Outcome.PARTNER, Outcome.DEPARTEMENT, Outcome.SELF_SERVICE, Outcome.INFORMED)


class CheckKind(StrEnum):
    """What a check looks at."""

    SERVICE = "service"  # a card read (the reception log's SERVICE item)
    ANSWERS = "answers"  # the answers given on a service's card
    HOURS = "hours"  # the agencies' hours opened (F2, or h on the card)
    BOOKING = "booking"  # an appointment booked, of this kind, channel, agency
    NO_BOOKING = "no_booking"  # no appointment booked
    HANDOFF = "handoff"  # a handoff logged, to this destination, with or without URGENCE DEFINIE, consent
    REFERRAL = "referral"  # the verdict of the last card read: a partner, the Département…


@dataclass(frozen=True, slots=True)
class Check:
    """One thing the trainee must do, with the rule behind it (quoted) and its source."""

    kind: CheckKind
    rule: str  # the source's words, « quoted »
    source: str  # the source file and its place: "004_a86ec49ae4cb90e1.txt §I.2"
    services: tuple[str, ...] = ()  # SERVICE: one of them (all of them with ``every``); ANSWERS: the one card
    every: bool = False
    answers: tuple[tuple[str, bool | str], ...] = ()  # ANSWERS: question → True/False, or an Emergency / NO_EMERGENCY
    booking_kind: Kind | None = None
    channel: Channel | None = None
    agencies: tuple[str, ...] = ()  # BOOKING: one of these agencies (any when empty)
    destination: Destination | None = None
    urgent: bool | None = None  # HANDOFF: carries URGENCE DEFINIE (True) or must not (False)
    consent: bool | None = None
    outcome: Outcome | None = None  # REFERRAL: the card's verdict
    partner: str = ""  # REFERRAL: words of the partner's name (case ignored)


@dataclass(frozen=True, slots=True)
class Exercise:
    """A situation and its checks; ``id`` is the file's name (``asf-separation``)."""

    id: str
    title: str
    now: datetime
    agency: str
    agent: str
    channel: PassageChannel
    situation: str  # as the person tells it, in the first person
    source: str  # where the situation comes from
    checks: tuple[Check, ...]


@dataclass(frozen=True, slots=True)
class CardRead:
    """A card read to the person, with the answers given on it and what it told (domain.passage.card_outcome)."""

    service_id: str
    answers: Answers
    verdict: Item


@dataclass(frozen=True, slots=True)
class Observed:
    """What the trainee did, as the interface observed it."""

    cards: tuple[CardRead, ...] = ()
    hours: bool = False
    appointments: tuple[Appointment, ...] = ()
    handoffs: tuple[HandoffRecord, ...] = ()
    agency_names: tuple[tuple[str, str], ...] = ()  # (id, name): how the agencies are shown


@dataclass(frozen=True, slots=True)
class Verdict:
    """One check, met or not, and what was seen instead (French)."""

    check: Check
    met: bool
    seen: str


@dataclass(frozen=True, slots=True)
class ExerciseResult:
    """One exercise done: its verdicts, the time it took (seconds) and the keys typed."""

    exercise_id: str
    verdicts: tuple[Verdict, ...]
    seconds: float
    keys: int
    finished: bool = True  # False: the trainee left before ending it

    @property
    def met(self) -> int:
        return sum(v.met for v in self.verdicts)


# -- judging --------------------------------------------------------------------------------------
def expected_answer(answers: Answers, question: str, expected: bool | str) -> bool:
    """Whether ``answers`` give ``expected`` to ``question``. A « non » expected is met by a question left
    unasked too (the rules read it as « non »); a « oui » must be given on the card."""
    if question == "emergency":
        if expected == NO_EMERGENCY:
            return answers.emergency is None
        return answers.emergency is not None and answers.emergency.value == expected
    value = getattr(answers, question)
    return value is True if expected is True else value is not True


def _last_card(observed: Observed, service_id: str | None = None) -> CardRead | None:
    for card in reversed(observed.cards):
        if service_id is None or card.service_id == service_id:
            return card
    return None


def _answer_text(answers: Answers) -> str:
    given = [q for q in QUESTIONS if answers.is_asked(q)]
    if not given:
        return "aucune réponse donnée sur la fiche (lue comme « non »)"
    parts = []
    for question in given:
        value = getattr(answers, question)
        if question == "emergency":
            parts.append(f"urgence sociale : {value.label if value else 'aucune'}")
        else:
            parts.append(f"{QUESTION_WORDS[question]} : {'oui' if value else 'non'}")
    return "réponses : " + ", ".join(parts)


QUESTION_WORDS = {
    "already_followed": "déjà suivie", "few_links": "peu de liens", "not_autonomous": "non autonome",
    "emergency": "urgence sociale", "caf_closed": "suivi Caf clôturé", "out_of_window": "hors délai",
    "single_parent": "parent seul", "family": "enfant à charge ou à naître",
}


def _appointment_text(a: Appointment, names: dict[str, str]) -> str:
    return f"{a.kind.value.upper()} {a.channel.label} à {names.get(a.agency_id, a.agency_id)}"


def judge(check: Check, observed: Observed) -> Verdict:
    """Whether ``observed`` meets ``check``."""
    kind = check.kind
    read = [c.service_id for c in observed.cards]
    if kind is CheckKind.SERVICE:
        wanted = set(check.services)
        met = wanted <= set(read) if check.every else bool(wanted & set(read))
        return Verdict(check, met, "fiches lues : " + ", ".join(dict.fromkeys(read)) if read else "aucune fiche lue")
    if kind is CheckKind.ANSWERS:
        card = _last_card(observed, check.services[0])
        if card is None:
            return Verdict(check, False, f"la fiche {check.services[0]} n'a pas été lue")
        met = all(expected_answer(card.answers, q, v) for q, v in check.answers)
        return Verdict(check, met, _answer_text(card.answers))
    if kind is CheckKind.HOURS:
        return Verdict(check, observed.hours, "horaires consultés" if observed.hours else "horaires non consultés")
    if kind in (CheckKind.BOOKING, CheckKind.NO_BOOKING):
        booked = observed.appointments
        names = dict(observed.agency_names)
        seen = ("rendez-vous : " + ", ".join(_appointment_text(a, names) for a in booked)) if booked \
            else "aucun rendez-vous"
        if kind is CheckKind.NO_BOOKING:
            return Verdict(check, not booked, seen)
        met = any((check.booking_kind is None or a.kind is check.booking_kind)
                  and (check.channel is None or a.channel is check.channel)
                  and (not check.agencies or a.agency_id in check.agencies) for a in booked)
        return Verdict(check, met, seen)
    if kind is CheckKind.HANDOFF:
        logged = observed.handoffs
        met = any((check.destination is None or h.destination is check.destination)
                  and (check.urgent is None or h.urgent is check.urgent)
                  and (check.consent is None or h.draft.consent is check.consent) for h in logged)
        seen = "; ".join(f"relais vers {h.destination_label}{' (URGENCE DEFINIE)' if h.urgent else ''}, accord "
                         f"{ {True: 'donné', False: 'refusé', None: 'non demandé'}[h.draft.consent]}"
                         for h in logged)
        return Verdict(check, met, seen or "aucun passage de relais")
    card = _last_card(observed)
    if card is None:
        return Verdict(check, False, "aucune fiche lue")
    verdict = card.verdict
    met = verdict.kind is check.outcome and check.partner.casefold() in verdict.ref.casefold()
    shown = f"{verdict.kind.label}{f' ({verdict.ref})' if verdict.ref else ''}"
    return Verdict(check, met, f"dernière fiche lue ({card.service_id}) : {shown}")


def evaluate(exercise: Exercise, observed: Observed) -> tuple[Verdict, ...]:
    """Every check of ``exercise`` against ``observed``, in the exercise's order."""
    return tuple(judge(check, observed) for check in exercise.checks)


# -- words ----------------------------------------------------------------------------------------
def describe(check: Check, title_of: Callable[[str], str], agency_name: Callable[[str], str]) -> str:
    """What ``check`` asks, in French, for the results screen (the services' and agencies' names looked up)."""
    kind = check.kind
    if kind is CheckKind.SERVICE:
        names = " et ".join if check.every else " ou ".join
        return f"Lire la fiche « {names([title_of(s) for s in check.services])} »"
    if kind is CheckKind.ANSWERS:
        said = []
        for question, value in check.answers:
            if question == "emergency":
                said.append("urgence sociale : " + ("aucune" if value == NO_EMERGENCY else Emergency(str(value)).label))
            else:
                said.append(f"{QUESTION_WORDS[question]} : {'oui' if value is True else 'non'}")
        return f"Sur la fiche « {title_of(check.services[0])} », répondre : {', '.join(said)}"
    if kind is CheckKind.HOURS:
        return "Donner les horaires d'accueil (F2)"
    if kind is CheckKind.NO_BOOKING:
        return "Ne pas prendre de rendez-vous"
    if kind is CheckKind.BOOKING:
        what = [f"avec un {check.booking_kind.label}" if check.booking_kind else "",
                check.channel.label if check.channel else "",
                f"à {' ou '.join(agency_name(a) for a in check.agencies)}" if check.agencies else ""]
        return "Prendre un rendez-vous " + " ".join(w for w in what if w)
    if kind is CheckKind.HANDOFF:
        what = [f"vers : {check.destination.label}" if check.destination else "",
                {True: "avec URGENCE DEFINIE", False: "sans URGENCE DEFINIE", None: ""}[check.urgent],
                {True: "avec l'accord de la personne", False: "refus de la personne noté", None: ""}[check.consent]]
        return "Enregistrer un passage de relais " + ", ".join(w for w in what if w)
    partner = f" : {check.partner}" if check.partner else ""
    return REFERRAL_WORDS.get(check.outcome, "Orienter") + partner if check.outcome else "Orienter"


REFERRAL_WORDS = {
    Outcome.PARTNER: "Orienter vers le partenaire qui convient",
    Outcome.DEPARTEMENT: "Orienter vers le service social du Département",
    Outcome.SELF_SERVICE: "Orienter vers le libre-service (caf.fr, 3230)",
    Outcome.INFORMED: "Renseigner au guichet",
}


# -- the session summary --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Summary:
    """A training session: what the trainer keeps. Exercise ids, checks, times and keys only."""

    results: tuple[ExerciseResult, ...]
    day: str = ""  # the session's day (ISO), when the caller gives it

    def as_json(self) -> dict[str, Any]:
        return {
            "day": self.day or None,
            "exercises": [{
                "id": r.exercise_id, "finished": r.finished, "checks_met": r.met, "checks": len(r.verdicts),
                "met": [i + 1 for i, v in enumerate(r.verdicts) if v.met],
                "missed": [i + 1 for i, v in enumerate(r.verdicts) if not v.met],
                "seconds": round(r.seconds, 1), "keys": r.keys,
            } for r in self.results],
            "totals": {"exercises": len(self.results), "checks_met": sum(r.met for r in self.results),
                       "checks": sum(len(r.verdicts) for r in self.results),
                       "seconds": round(sum(r.seconds for r in self.results), 1),
                       "keys": sum(r.keys for r in self.results)},
        }

    def lines(self) -> list[str]:
        """The summary in French, one line per exercise and one for the totals."""
        out = []
        for r in self.results:
            state = "" if r.finished else " (interrompu)"
            out.append(f"{r.exercise_id:<28} {r.met}/{len(r.verdicts)} vérifications · {duration(r.seconds)} · "
                       f"{r.keys} touches{state}")
        totals = self.as_json()["totals"]
        out.append(f"Total : {totals['exercises']} exercice{'s' if totals['exercises'] > 1 else ''}, "
                   f"{totals['checks_met']}/{totals['checks']} vérifications, {duration(totals['seconds'])}, "
                   f"{totals['keys']} touches.")
        return out


def duration(seconds: float) -> str:
    """``2 min 05 s``, ``45 s``."""
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s" if whole >= 60 else f"{whole} s"
