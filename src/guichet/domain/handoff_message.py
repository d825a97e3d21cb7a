"""The handoff message as the convention words it (004 annex 1, "bonnes pratiques"): four headings, the
dates, the sender's signature."""

from __future__ import annotations

import unicodedata
from datetime import date

from guichet.domain import person
from guichet.domain.handoff import (
    BENEFIT_LABELS,
    LIFE_EVENT_LABELS,
    Contact,
    HandoffDraft,
    Qualification,
    long_date,
    short_benefit,
)
from guichet.errors import InvalidInput


def signature(agent_name: str) -> str:
    """The sender as 004 annex 1 asks ("1ère lettre du prénom + nom"): ``Camille Martin`` → ``C. Martin``,
    ``Jean-Pierre de la Tour`` → ``J.-P. de la Tour``; one word stays whole; none → ``L'agent d'accueil``."""
    words = unicodedata.normalize("NFC", agent_name).split()
    if len(words) < 2:
        return words[0] if words else "L'agent d'accueil"
    initials = "-".join(f"{part[0].upper()}." for part in words[0].split("-") if part)
    return f"{initials} {' '.join(words[1:])}"


def _dates(draft: HandoffDraft) -> list[str]:
    """The dates 004 annex 1 asks for: opening of rights, start of non-payment, start and end of a period."""
    lines, start, end = [], draft.period_start, draft.period_end
    if draft.rights_opened:
        lines.append(f"- Ouverture des droits : {long_date(draft.rights_opened)}")
    if draft.non_payment_since:
        lines.append(f"- Début du non-paiement : {long_date(draft.non_payment_since)}")
    if start and end:
        lines.append(f"- Période : du {long_date(start)} au {long_date(end)}")
    elif start:
        lines.append(f"- Période : à partir du {long_date(start)}")
    elif end:
        lines.append(f"- Période : jusqu'au {long_date(end)}")
    return lines or ["Aucune date précisée"]


def render_message(draft: HandoffDraft, qualification: Qualification, agent_name: str, today: date) -> str:
    """The plain-text message of a validated ``draft`` (004 annex 1); InvalidInput unless the person agreed."""
    if draft.consent is not True:
        raise InvalidInput("Sans l'accord de la personne, aucun message de passage de relais n'est rédigé.")
    lines: list[str] = []
    if qualification.urgent:  # 004 §I.2: the keyword lets the CAF spot urgent cases first
        lines += ["URGENCE DEFINIE", *(f"- {reason}" for reason in qualification.urgency_reasons), ""]
    contact = draft.contact.label
    if draft.phone:  # in pairs, as it is read out
        contact += f" ({'' if draft.contact is Contact.TELEPHONE else 'tél. '}{person.spoken_phone(draft.phone)})"
    event = LIFE_EVENT_LABELS[draft.life_event] + (f" le {long_date(draft.event_date)}" if draft.event_date else "")
    benefits = [short_benefit(c) if "_" in c or c not in BENEFIT_LABELS else f"{c} ({BENEFIT_LABELS[c]})"
                for c in draft.benefits]
    specificities = [*(s.label for s in draft.specificities), *filter(None, [draft.specificity_other])]
    lines += [
        f"Passage de relais — {qualification.destination_label}",
        f"Personne : {draft.name} — n° allocataire {draft.file_number or 'non communiqué'} — contact : {contact}",
        f"Événement : {event}", "",
        "Motif(s) de la demande", draft.motifs, "",
        "Prestation(s) concernée(s)", ", ".join(benefits), "",
        "Commentaire", draft.comment, "",
        "Spécificité(s) de la personne", " ; ".join(specificities) or "Aucune", "",
        "Dates", *_dates(draft),
    ]
    notes = []
    if draft.documents_to_professional:  # 004 annex 1, bonne pratique n°5
        notes.append("Demandes de pièces à adresser au professionnel qui accompagne la personne : oui")
    if qualification.forward_to_caf:  # 004 annex 3: the Département forwards the request
        notes.append("Merci de transmettre la demande de rendez-vous au service social de la Caf.")
    lines += ["", *notes] if notes else []
    return "\n".join([*lines, "", f"{signature(agent_name)}, accueil Caf, le {long_date(today)}"])
