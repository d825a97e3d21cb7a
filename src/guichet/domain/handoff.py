"""Handoffs to a social worker ("passage de relais"): validation, urgency, the 4-heading message.

Source: 004_a86ec49ae4cb90e1.txt, the convention CAF / Département d'Ille-et-Vilaine: §I.2 (URGENCE
DEFINIE), §II.1 and annex 3 (who receives the person, see guichet.domain.orientation), annex 1 "bonnes
pratiques" (one situation per message, four headings, the dates, "non-paiement" not "suspension").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from guichet.domain import person
from guichet.domain.models import LifeEvent
from guichet.domain.orientation import (
    CLOSED,
    DEPARTEMENT,
    DEPARTEMENT_URGENCE,
    FEW_LINKS,
    REFERENT,
    REFERENT_FIRST,
    Emergency,
    asks_family,
    unmet,
)
from guichet.domain.perimeter import EMPTY, Perimeter, PerimeterEvent
from guichet.domain.perimeter import add_months as _add_months
from guichet.domain.rights import BENEFIT_LABELS, RIGHTS_URGENCY_NOT_CARRIED, long_date, rights_urgency
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
    EXPIREE = "expiree"  # never closed: ended by the retention run (004 annex 7; services/retention.py)


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
                      "cloturee": "Clôturée", "refusee": "Refusée", "expiree": "Expirée"},
}

# One step at a time, never back; a closed or refused handoff stays so.
ALLOWED: dict[HandoffStatus, frozenset[HandoffStatus]] = {
    HandoffStatus.A_TRANSMETTRE: frozenset({HandoffStatus.TRANSMISE, HandoffStatus.REFUSEE}),
    HandoffStatus.TRANSMISE: frozenset({HandoffStatus.PRISE_EN_CHARGE, HandoffStatus.REFUSEE}),
    HandoffStatus.PRISE_EN_CHARGE: frozenset({HandoffStatus.CLOTUREE}),
    HandoffStatus.CLOTUREE: frozenset(),
    HandoffStatus.REFUSEE: frozenset(),
    HandoffStatus.EXPIREE: frozenset(),  # set by the retention run only, never by an agent
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
    LifeEvent.NOUVELLE_AFFILIATION: "Nouvelle affiliation (parent seul)",
    LifeEvent.ACCES_DROITS_URGENCE: "Accès aux droits en urgence", LifeEvent.AUTRE: "Autre",
}
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
    # What the orientation rules need to know (004 §II.1, §II.4; not stored: the destination is)
    caf_closed: bool = False  # a CAF social accompaniment for this event was already closed
    few_links: bool = False  # followed, but « peu ou plus de liens » with that worker
    not_autonomous: bool = False  # followed and not autonomous in the request
    single_parent: bool | None = None  # None: not asked (the perimeter's condition stays to be checked)
    family: bool | None = None  # « famille avec enfant à charge ou à naître »; None: not asked


@dataclass(frozen=True, slots=True)
class Qualification:
    """What the rules say about a draft: urgency, destination, warnings for the agent."""

    urgent: bool  # the message carries the keyword URGENCE DEFINIE (rights urgency, to the CAF social service)
    urgency_reasons: tuple[str, ...]  # why access to rights is urgent (004 §I.2), even when not carried
    destination: Destination
    destination_label: str
    in_perimeter: bool  # event within the CAF social-work perimeter, its window and its conditions
    forward_to_caf: bool  # emergency, first request of the perimeter: the Département relays it to the CAF
    warnings: tuple[str, ...]
    rights_urgency: bool = False  # the URGENCE DEFINIE criteria are met (004 §I.2), carried or not
    to_check: tuple[str, ...] = ()  # the perimeter's conditions not asked yet (presumed): for the form


def mentions_suspension(text: str) -> bool:
    """Whether ``text`` says "suspension" or "suspendu(e)(s)", whatever the case and accents."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return _SUSPENSION.search(folded) is not None


TO_DEPARTEMENT = "orientez vers le service social du Département"


def _route(draft: HandoffDraft, entry: PerimeterEvent | None, in_perimeter: bool,
           warnings: list[str]) -> tuple[Destination, str]:
    """Who receives ``draft`` (004 §I.1, §II.1, §II.4, §II.5); adds the agent's warnings."""
    followed = draft.already_followed
    referent = f"Travailleur social référent : {draft.referent.strip()}" if draft.referent.strip() else REFERENT
    if draft.emergency is not None:
        if followed:  # 004 §II.5
            warnings.append(f"Urgence sociale d'une personne suivie : {REFERENT_FIRST}.")
            return Destination.REFERENT, referent
        return Destination.DEPARTEMENT_URGENCE, DEPARTEMENT_URGENCE
    if followed and not draft.few_links:  # continuity; a person not autonomous too, even for rights (§I.1)
        return Destination.REFERENT, referent
    if followed:
        warnings.append(f"Situation connue : passage de relais {FEW_LINKS}, avec l'accord de la personne.")
    if draft.partner.strip():
        return Destination.PARTENAIRE, draft.partner.strip()
    if in_perimeter:  # 004 §I.1: an event of the CAF perimeter goes to the CAF social service first
        return Destination.SERVICE_SOCIAL_CAF, Destination.SERVICE_SOCIAL_CAF.label
    if entry is not None and draft.caf_closed:
        warnings.append(f"Accompagnement Caf déjà clôturé : le Département évalue la nouvelle demande, {CLOSED}.")
    elif entry is None:  # out of window or condition: said by qualify()
        warnings.append(f"Événement hors du périmètre du service social de la Caf, {TO_DEPARTEMENT}.")
    return Destination.DEPARTEMENT, DEPARTEMENT


def qualify(draft: HandoffDraft, today: date, perimeter: Perimeter = EMPTY) -> Qualification:
    """Urgency (004 §I.2) and destination (004 §I.1, §II.1, §II.4, §II.5) of ``draft`` on ``today``, on
    the CAF social service's ``perimeter`` (data/social_work.toml)."""
    reasons = tuple(rights_urgency(draft.benefits, draft.sharp_drop, draft.non_payment_since, today))
    warnings = [SUSPENSION_WARNING] if mentions_suspension(f"{draft.motifs}\n{draft.comment}") else []
    entry = perimeter.entry(draft.life_event)
    condition = unmet(entry, draft.single_parent, draft.family, perimeter.family_label) if entry else None
    outside = entry is not None and not entry.window.covers(draft.event_date, today)
    in_perimeter = entry is not None and not outside and condition is None and not draft.caf_closed
    if entry is not None and (outside or condition):  # said once; not again by _route
        why = entry.window.over if outside else (condition or "").capitalize()
        warnings.append(f"{why} : hors du périmètre du service social de la Caf, {TO_DEPARTEMENT}.")
    to_check = [] if entry is None or outside or condition else [
        f"À vérifier : {text} (condition du périmètre)." for text, asked in (
            ("parent seul", not entry.single_parent or draft.single_parent is not None),
            (perimeter.family_label.lower(), not asks_family(entry) or draft.family is not None)) if not asked]
    left_out = perimeter.note(draft.life_event)
    if left_out is not None:
        warnings.append(left_out.note)
    destination, label = _route(draft, entry, in_perimeter, warnings)
    carried = bool(reasons) and destination is Destination.SERVICE_SOCIAL_CAF
    if reasons and not carried:
        warnings.append(RIGHTS_URGENCY_NOT_CARRIED)
    forward = destination is Destination.DEPARTEMENT_URGENCE and in_perimeter  # « situation connue d'aucun service »
    return Qualification(carried, reasons, destination, label, in_perimeter, forward, tuple(warnings),
                         rights_urgency=bool(reasons), to_check=tuple(to_check))


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
    """What stops ``draft`` from being saved, in French (empty: it can be); a refusal needs only the event."""
    if draft.consent is False:  # nothing about the person is kept (refusal_minimum): nothing else to check
        return [] if isinstance(draft.life_event, LifeEvent) else ["Choisissez l'événement de vie concerné."]
    found = _errors(person.name, draft.name)
    if not isinstance(draft.life_event, LifeEvent):
        found.append("Choisissez l'événement de vie concerné.")
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


def refusal_minimum(draft: HandoffDraft) -> HandoffDraft:
    """What is kept of a handoff the person refused: the event and the service it came from, nothing else.

    004 annex 7 keeps social-work data « deux ans après la clôture d'un suivi d'intervention », and a refusal
    opens no follow-up at all: nobody will contact the person, so no name, no phone and no file number are
    kept. The file number is not needed either: the record only shows, for the agency's figures, that a handoff
    was offered for this event and declined; without any identifier it is no longer about a person, so the
    right of access has nothing to return and nothing can leak. (The date, the agency and the agent are the
    record's own, kept beside it.)
    """
    return HandoffDraft(name="", life_event=draft.life_event, motifs="", comment="", consent=False,
                        service_id=draft.service_id)


def validate(draft: HandoffDraft, today: date) -> HandoffDraft:
    """``draft`` trimmed, NFC, identifiers canonical, or InvalidInput (first problem); a refusal keeps only
    its :func:`refusal_minimum`: the event and the service, no one's name or number."""
    found = problems(draft, today)
    if found:
        raise InvalidInput(found[0])
    if draft.consent is False:  # data minimisation (DOMAIN.md, "Data protection")
        return refusal_minimum(draft)
    texts: dict[str, Any] = {attribute: _text(getattr(draft, attribute), max_len, label, multiline)
                             for attribute, max_len, label, multiline in _TEXTS}
    return replace(draft, name=person.name(draft.name), file_number=person.file_number(draft.file_number),
                   phone=person.phone(draft.phone), specificities=tuple(dict.fromkeys(draft.specificities)),
                   benefits=tuple(dict.fromkeys(c.strip().upper() for c in draft.benefits)), **texts)
