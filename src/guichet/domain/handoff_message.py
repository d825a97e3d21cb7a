"""The handoff message as the convention words it (004 annex 1, "bonnes pratiques"): one situation, four
headings and no more (the dates inside « Commentaire »), the keyword URGENCE DEFINIE where the CAF looks for
it, the sender's signature."""

from __future__ import annotations

import unicodedata
from datetime import date

from guichet.domain import person
from guichet.domain.handoff import LIFE_EVENT_LABELS, Contact, HandoffDraft, Qualification
from guichet.domain.rights import BENEFIT_LABELS, long_date, short_benefit
from guichet.errors import InvalidInput


def signature(agent_name: str) -> str:
    """The sender as 004 annex 1 asks ("1ère lettre du prénom + nom"): ``Camille Martin`` → ``C. Martin``,
    ``Jean-Pierre de la Tour`` → ``J.-P. de la Tour``; one word stays whole; none → ``L'agent d'accueil``."""
    words = unicodedata.normalize("NFC", agent_name).split()
    if len(words) < 2:
        return words[0] if words else "L'agent d'accueil"
    initials = "-".join(f"{part[0].upper()}." for part in words[0].split("-") if part)
    return f"{initials} {' '.join(words[1:])}"


# The four headings of 004 annex 1, bonne pratique n°3 (« structurer le corps du mail avec 4 rubriques »),
# worded as in the annex's contact form; nothing else in the message is a heading.
HEADINGS = ("Motif(s) de la demande", "Prestation(s) concernée(s)", "Commentaire", "Spécificité(s) de la personne")
URGENT_KEYWORD = "URGENCE DEFINIE"


def _dates(draft: HandoffDraft) -> list[str]:
    """The dates 004 annex 1 asks for (« dates d'ouverture des droits, de démarrage d'un non paiement, de début
    et de fin d'une période »), as lines of the « Commentaire » (bonne pratique n°2: the context)."""
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
    return lines


def render_message(draft: HandoffDraft, qualification: Qualification, agent_name: str, today: date) -> str:
    """The plain-text message of a validated ``draft`` (004 annex 1); InvalidInput unless the person agreed.

    One draft is one situation (« 1 seule situation par mail », bonne pratique n°1): one event, one request,
    one message. The first line names the handoff, as the sender's fields of the CDAP contact form do before
    « Votre message »; then the four headings. The dates and the reasons for the urgency are context: they
    go inside « Commentaire ».
    """
    if draft.consent is not True:
        raise InvalidInput("Sans l'accord de la personne, aucun message de passage de relais n'est rédigé.")
    # Where the keyword goes. 004 annex 1, urgent cases, bonne pratique n°3: « le mot-clé URGENCE DEFINIE
    # inséré dans le champs « Nom de votre organisme » permettra une détection automatique des urgences par la
    # CAF ». That field is the form's first one, the sender's line, outside « Votre message ». A plain-text
    # message has no fields: its first line plays that part (it names who sends what, and becomes the subject
    # when the text is pasted into a mail), so the keyword opens the first line, written exactly, once, and
    # only when the request is urgent (Qualification.urgent); never among the four headings.
    title = f"Passage de relais — {qualification.destination_label}"
    contact = draft.contact.label
    if draft.phone:  # in pairs, as it is read out
        contact += f" ({'' if draft.contact is Contact.TELEPHONE else 'tél. '}{person.spoken_phone(draft.phone)})"
    event = LIFE_EVENT_LABELS[draft.life_event] + (f" le {long_date(draft.event_date)}" if draft.event_date else "")
    benefits = [short_benefit(c) if "_" in c or c not in BENEFIT_LABELS else f"{c} ({BENEFIT_LABELS[c]})"
                for c in draft.benefits]
    specificities = [*(s.label for s in draft.specificities), *filter(None, [draft.specificity_other])]
    urgency = [f"Urgence d'accès aux droits : {reason}." for reason in qualification.urgency_reasons
               if qualification.urgent]  # the reasons go with the keyword, never without it
    forward = []
    if qualification.forward_to_caf:  # 004 annex 3: the Département forwards the request (part of the request)
        forward.append("Merci de transmettre la demande de rendez-vous au service social de la Caf.")
    if draft.documents_to_professional:  # 004 annex 1, bonne pratique n°5: follows from the person's specificity
        specificities.append("Demandes de pièces à adresser au professionnel qui accompagne la personne")
    motifs, goods, comment, person_specific = HEADINGS
    lines = [
        f"{URGENT_KEYWORD} — {title}" if qualification.urgent else title,
        f"Personne : {draft.name} — n° allocataire {draft.file_number or 'non communiqué'} — contact : {contact}",
        f"Événement : {event}", "",
        motifs, draft.motifs, "",
        goods, ", ".join(benefits), "",
        comment, draft.comment, *urgency, *_dates(draft), *forward, "",
        person_specific, " ; ".join(specificities) or "Aucune", "",
        f"{signature(agent_name)}, accueil Caf, le {long_date(today)}",
    ]
    return "\n".join(lines)
