"""Handoffs to a social worker ("passage de relais"): validation, urgency, the 4-heading message.

Source: 004_a86ec49ae4cb90e1.txt, the convention CAF / Département d'Ille-et-Vilaine: §I.2 (URGENCE
DEFINIE), §II.1 and annex 3 (who receives the person, see guichet.domain.orientation), annex 1 "bonnes
pratiques" (one situation per message, four headings, the dates, "non-paiement" not "suspension").
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from guichet.domain import fr, person
from guichet.domain.models import LifeEvent
from guichet.domain.orientation import CAF_PERIMETER, DEPARTEMENT, DEPARTEMENT_URGENCE, WINDOW_YEARS, Emergency
from guichet.errors import InvalidInput


class _Labelled(StrEnum):
    """A stored code with its French label (``.label``)."""

    @property
    def label(self) -> str:
        return _LABELS[type(self).__name__][self]


class Specificity(_Labelled):
    """The "Spécificité(s) de la personne" checklist (004, annex 1, bonnes pratiques n°3 and 5)."""

    ALLOPHONE = "allophone"
    SANS_DOMICILE = "sans_domicile"
    DOMICILIATION = "domiciliation"
    ILLETTRISME = "illettrisme"
    SANS_NUMERIQUE = "sans_numerique"
    NON_MOBILE = "non_mobile"
    SOURD = "sourd"


class Contact(_Labelled):
    """How the person prefers to be contacted."""

    TELEPHONE = "telephone"
    COURRIER = "courrier"
    ACCUEIL = "accueil"


class Destination(_Labelled):
    """Who receives the handoff."""

    SERVICE_SOCIAL_CAF = "service_social_caf"
    DEPARTEMENT = "departement"
    DEPARTEMENT_URGENCE = "departement_urgence"
    PARTENAIRE = "partenaire"
    REFERENT = "referent"


class HandoffStatus(_Labelled):
    """The follow-up of a logged handoff."""

    A_TRANSMETTRE = "a_transmettre"
    TRANSMISE = "transmise"
    PRISE_EN_CHARGE = "prise_en_charge"
    CLOTUREE = "cloturee"
    REFUSEE = "refusee"


_LABELS: dict[str, dict[str, str]] = {  # enum class name → code → French label
    "Specificity": {
        "allophone": "Allophone", "sans_domicile": "Sans domicile fixe", "domiciliation": "Domiciliation",
        "illettrisme": "Illettrisme", "sans_numerique": "Pas d'usage du numérique",
        "non_mobile": "Personne non mobile", "sourd": "Sourde ou malentendante"},
    "Contact": {"telephone": "Téléphone", "courrier": "Courrier", "accueil": "À l'accueil"},
    "Destination": {
        "service_social_caf": "Service social de la Caf", "departement": "Service social du Département",
        "departement_urgence": "Accueil d'urgence du Département", "partenaire": "Partenaire",
        "referent": "Travailleur social référent"},
    "HandoffStatus": {"a_transmettre": "À transmettre", "transmise": "Transmise", "prise_en_charge": "Prise en charge",
                      "cloturee": "Clôturée", "refusee": "Refusée"},
}

# One step at a time, never back; a closed or refused handoff stays so.
ALLOWED: dict[HandoffStatus, frozenset[HandoffStatus]] = {
    HandoffStatus.A_TRANSMETTRE: frozenset({HandoffStatus.TRANSMISE, HandoffStatus.REFUSEE}),
    HandoffStatus.TRANSMISE: frozenset({HandoffStatus.PRISE_EN_CHARGE, HandoffStatus.REFUSEE}),
    HandoffStatus.PRISE_EN_CHARGE: frozenset({HandoffStatus.CLOTUREE}),
    HandoffStatus.CLOTUREE: frozenset(),
    HandoffStatus.REFUSEE: frozenset(),
}


def can_move(current: HandoffStatus, target: HandoffStatus) -> bool:
    """Whether a handoff in ``current`` may move to ``target``."""
    return target in ALLOWED[current]


LIFE_EVENT_LABELS: dict[LifeEvent, str] = {
    LifeEvent.SEPARATION: "Séparation ou projet de séparation", LifeEvent.DECES_CONJOINT: "Décès du conjoint",
    LifeEvent.DECES_ENFANT: "Décès d'un enfant", LifeEvent.DECES_PARENT: "Décès d'un parent",
    LifeEvent.GROSSESSE_NAISSANCE: "Grossesse ou naissance (famille monoparentale)",
    LifeEvent.IMPAYE_LOYER: "Impayés de loyer", LifeEvent.VIOLENCES: "Violences conjugales",
    LifeEvent.HANDICAP_ENFANT: "Handicap d'un enfant", LifeEvent.BAISSE_RESSOURCES: "Baisse de ressources",
    LifeEvent.ACCES_DROITS_URGENCE: "Accès aux droits en urgence", LifeEvent.AUTRE: "Autre",
}
# The codes of guichet.catalog.BENEFITS (copied: the domain does not import the catalog).
BENEFIT_LABELS: dict[str, str] = {
    "AF": "allocations familiales", "CF": "complément familial", "APL": "aide personnalisée au logement",
    "ALF": "allocation de logement familiale", "ALS": "allocation de logement sociale",
    "RSA": "revenu de solidarité active", "PPA": "prime d'activité", "AAH": "allocation aux adultes handicapés",
    "ASF": "allocation de soutien familial", "PAJE": "prestation d'accueil du jeune enfant",
    "CMG": "complément de libre choix du mode de garde", "AJPP": "allocation journalière de présence parentale",
    "AJPA": "allocation journalière du proche aidant", "ARS": "allocation de rentrée scolaire",
    "AEEH": "allocation d'éducation de l'enfant handicapé", "PREPARE": "prestation partagée d'éducation de l'enfant",
    "AVPF": "assurance vieillesse des parents au foyer", "PRIME_DEMENAGEMENT": "prime de déménagement",
    "PRIME_NAISSANCE": "prime à la naissance", "PRIME_ADOPTION": "prime à l'adoption",
    "AB": "allocation de base de la PAJE",
}
_MINIMA = ("AAH", "RSA")  # 004 §I.2: any interruption or sharp drop is urgent
_MASCULINE = frozenset({"CF", "CMG", "RSA"})  # for the agreement of "versé(e)(s)"
_PLURAL = frozenset({"AF"})
_URGENT_MONTHS = 3  # 004 §I.2: "une interruption de versement depuis 3 mois"
_EARLY_EVENTS = frozenset({LifeEvent.SEPARATION, LifeEvent.GROSSESSE_NAISSANCE})  # a plan, an expected birth
_OLDEST = date(1900, 1, 1)
SUSPENSION_WARNING = ("Écrivez « non-paiement » plutôt que « suspension » : la suspension n'est qu'une cause "
                      "possible du non-paiement.")
CONSENT_MISSING = "Le consentement de la personne est obligatoire : demandez-le avant d'enregistrer."
# "suspension(s)", "suspendu(e)(s)", "suspendre", "suspend(ent)" — not "suspensive" (004 annex 1, n°4).
_SUSPENSION = re.compile(r"\bsuspen(?:sions?|d(?:u|ue|us|ues|re|s|ent)?)\b")


@dataclass(frozen=True, slots=True)
class HandoffDraft:
    """What the agent typed in the handoff form (one situation: 004, annex 1, n°1)."""

    name: str
    life_event: LifeEvent
    motifs: str  # "Motif(s) de la demande", e.g. "Non-paiement, demande d'explication"
    comment: str  # "Commentaire": context and the precise question
    benefits: tuple[str, ...] = ()  # "Prestation(s) concernée(s)": benefit codes
    file_number: str | None = None
    phone: str | None = None
    contact: Contact = Contact.TELEPHONE
    event_date: date | None = None
    specificities: tuple[Specificity, ...] = ()
    specificity_other: str = ""
    rights_opened: date | None = None  # ouverture des droits
    non_payment_since: date | None = None  # début du non-paiement
    period_start: date | None = None
    period_end: date | None = None
    sharp_drop: bool = False  # AAH or RSA stopped or dropping sharply (agent's checkbox)
    emergency: Emergency | None = None
    already_followed: bool = False
    referent: str = ""  # the social worker who already follows the person
    partner: str = ""  # when sent to a partner
    documents_to_professional: bool = False
    consent: bool | None = None  # None: not asked yet; False: refused; True: agreed
    service_id: str | None = None


@dataclass(frozen=True, slots=True)
class Qualification:
    """What the rules say about a draft: urgency, destination, warnings for the agent."""

    urgent: bool  # URGENCE DEFINIE
    urgency_reasons: tuple[str, ...]
    destination: Destination
    destination_label: str
    in_perimeter: bool  # event within the CAF social-work perimeter and window
    forward_to_caf: bool  # emergency: the Département forwards the request to the CAF social service
    warnings: tuple[str, ...]


def _add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, the day clamped to the month's end (31/08 + 3 → 30/11)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def long_date(day: date) -> str:
    """``1er septembre 2026``, ``23 novembre 2026``."""
    return f"{'1er' if day.day == 1 else day.day} {fr.MONTHS[day.month - 1]} {day.year}"


def in_window(event_date: date | None, today: date) -> bool:
    """Whether the event is "dans les deux ans" (004 annex 2); the 2nd anniversary and an unknown date count."""
    return event_date is None or _add_months(event_date, 12 * WINDOW_YEARS) >= today


def mentions_suspension(text: str) -> bool:
    """Whether ``text`` says "suspension" or "suspendu(e)(s)", whatever the case and accents."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return _SUSPENSION.search(folded) is not None


def short_benefit(code: str) -> str:
    """``APL``; the premiums, whose codes are not acronyms, by name: ``Prime à la naissance``."""
    label = BENEFIT_LABELS.get(code)
    return label[0].upper() + label[1:] if label and "_" in code else code


def _urgency(draft: HandoffDraft, today: date) -> list[str]:
    reasons, since = [], draft.non_payment_since
    for code in dict.fromkeys(c.strip().upper() for c in draft.benefits):
        if code in _MINIMA:  # 004 §I.2: "toute interruption ou forte diminution de prestation AAH ou RSA"
            if draft.sharp_drop or since is not None:
                reasons.append(f"{code} {'interrompu' if code in _MASCULINE else 'interrompue'} ou en forte baisse")
        elif since is not None and _add_months(since, _URGENT_MONTHS) <= today:
            # 004 §I.2: "pour toute autre prestation : une interruption de versement depuis 3 mois"
            months = max(n for n in range(_URGENT_MONTHS, 12 * (today.year - since.year + 1))
                         if _add_months(since, n) <= today)
            agreement = "" if code in _MASCULINE else "es" if code in _PLURAL else "e"
            reasons.append(f"{short_benefit(code)} non versé{agreement} depuis le {long_date(since)} ({months} mois)")
    return reasons


def qualify(draft: HandoffDraft, today: date) -> Qualification:
    """Urgency (004 §I.2) and destination (004 §II.1, annex 3) of ``draft`` on ``today``."""
    reasons = tuple(_urgency(draft, today))
    perimeter = draft.life_event in CAF_PERIMETER and in_window(draft.event_date, today)
    warnings = [SUSPENSION_WARNING] if mentions_suspension(f"{draft.motifs}\n{draft.comment}") else []
    if draft.emergency is not None:
        # 004 §II.1 / annex 3: the CAF social service does not receive in emergency someone it does
        # not follow; the Département's reception organises the answer and forwards the request.
        destination, label = Destination.DEPARTEMENT_URGENCE, DEPARTEMENT_URGENCE
        if draft.already_followed:
            warnings.append("Prévenez aussi le travailleur social qui suit déjà la personne.")
    elif draft.already_followed:  # 004 §II.1: continuity with the worker who already follows the person
        destination = Destination.REFERENT
        label = (f"Travailleur social référent : {draft.referent.strip()}" if draft.referent.strip()
                 else "Le travailleur social qui suit déjà la personne")
    elif draft.partner.strip():
        destination, label = Destination.PARTENAIRE, draft.partner.strip()
    elif perimeter:  # 004 §I.1: an event of the CAF perimeter goes to the CAF social service first
        destination, label = Destination.SERVICE_SOCIAL_CAF, Destination.SERVICE_SOCIAL_CAF.label
    else:
        destination, label = Destination.DEPARTEMENT, DEPARTEMENT
        why = f"de plus de {WINDOW_YEARS} ans :" if draft.life_event in CAF_PERIMETER else ""
        warnings.append(" ".join(filter(None, ["Événement", why, "hors du périmètre du service social de la Caf, "
                                               "orientez vers le service social du Département."])))
    return Qualification(bool(reasons), reasons, destination, label, perimeter,
                         destination is Destination.DEPARTEMENT_URGENCE, tuple(warnings))


# Free texts: (field, maximum length, French label, newlines allowed).
_TEXTS = (("motifs", 300, "Le motif de la demande", False), ("comment", 2000, "Le commentaire", True),
          ("specificity_other", 200, "La précision sur les spécificités", False),
          ("referent", 120, "Le nom du travailleur social référent", False),
          ("partner", 120, "Le nom du partenaire", False))
_DATES = (("event_date", "La date de l'événement"), ("rights_opened", "La date d'ouverture des droits"),
          ("non_payment_since", "La date de début du non-paiement"),
          ("period_start", "La date de début de la période"), ("period_end", "La date de fin de la période"))


def _text(value: str, max_len: int, label: str, multiline: bool) -> str:
    """A free text, trimmed and NFC; InvalidInput when too long, with control characters or extra lines."""
    cleaned = person.note(value.replace("\r\n", "\n") if multiline else value, max_len=max_len, label=label)
    if multiline:
        return cleaned
    if "\n" in cleaned:
        raise InvalidInput(f"{label} doit tenir sur une seule ligne.")
    return " ".join(cleaned.split())


def _date_problems(draft: HandoffDraft, today: date) -> list[str]:
    found, latest = [], _add_months(today, 12)
    for attribute, label in _DATES:
        value: date | None = getattr(draft, attribute)
        if value is None:
            continue
        if not _OLDEST <= value <= latest:
            found.append(f"{label} n'est pas plausible : saisissez une date entre le {long_date(_OLDEST)} "
                         f"et le {long_date(latest)}.")
        elif value > today and attribute == "event_date" and draft.life_event not in _EARLY_EVENTS:
            found.append("La date de l'événement est dans le futur : seuls un projet de séparation ou une "
                         "naissance attendue peuvent être datés à l'avance.")
        elif value > today and attribute in ("rights_opened", "non_payment_since"):
            found.append(f"{label} ne peut pas être dans le futur.")
    if draft.period_start and draft.period_end and draft.period_end < draft.period_start:
        found.append("La fin de la période ne peut pas précéder son début.")
    return found


def _errors(check: Callable[..., object], *args: Any) -> list[str]:
    try:
        check(*args)
    except InvalidInput as exc:
        return [str(exc)]
    return []


def problems(draft: HandoffDraft, today: date) -> list[str]:
    """What stops ``draft`` from being saved, in French (empty: it can be); a refusal needs only name and event."""
    found = _errors(person.name, draft.name)
    if not isinstance(draft.life_event, LifeEvent):
        found.append("Choisissez l'événement de vie concerné.")
    if draft.consent is False:
        return found
    found += _errors(person.file_number, draft.file_number)
    if draft.contact is Contact.COURRIER and not (draft.file_number or "").strip():
        found.append("Le numéro allocataire est nécessaire pour répondre par courrier à l'adresse du dossier.")
    if draft.contact is Contact.TELEPHONE and not (draft.phone or "").strip():
        found.append("Le numéro de téléphone est obligatoire quand la personne souhaite être contactée par téléphone.")
    else:
        found += _errors(person.phone, draft.phone)
    found.extend(_date_problems(draft, today))
    if not draft.motifs.strip():
        found.append("Le motif de la demande est obligatoire (par exemple : non-paiement, demande d'explication).")
    if not draft.benefits:
        found.append("Indiquez au moins une prestation concernée.")
    found.extend(f"Prestation inconnue : « {code} »." for code in draft.benefits
                 if code.strip().upper() not in BENEFIT_LABELS)
    if not draft.comment.strip():
        found.append("Le commentaire est obligatoire : décrivez la situation et la question précise.")
    for attribute, max_len, label, multiline in _TEXTS:
        found += _errors(_text, getattr(draft, attribute), max_len, label, multiline)
    if draft.consent is None:
        found.append(CONSENT_MISSING)
    return found


def validate(draft: HandoffDraft, today: date) -> HandoffDraft:
    """``draft`` trimmed, NFC, identifiers canonical, or InvalidInput (first problem); a refusal keeps only
    name, event, file number (when valid) and service: the situation is not recorded without consent."""
    found = problems(draft, today)
    if found:
        raise InvalidInput(found[0])
    if draft.consent is False:  # data minimisation (DOMAIN.md, "Data protection")
        number = None if _errors(person.file_number, draft.file_number) else person.file_number(draft.file_number)
        return HandoffDraft(name=person.name(draft.name), life_event=draft.life_event, motifs="", comment="",
                            file_number=number, consent=False, service_id=draft.service_id)
    texts: dict[str, Any] = {attribute: _text(getattr(draft, attribute), max_len, label, multiline)
                             for attribute, max_len, label, multiline in _TEXTS}
    return replace(draft, name=person.name(draft.name), file_number=person.file_number(draft.file_number),
                   phone=person.phone(draft.phone), specificities=tuple(dict.fromkeys(draft.specificities)),
                   benefits=tuple(dict.fromkeys(c.strip().upper() for c in draft.benefits)), **texts)
