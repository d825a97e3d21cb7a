"""Urgency in access to rights, « URGENCE DEFINIE » (004 §I.2, annex 1), and the benefits' French names.

Not the social emergencies (food, housing, energy, child protection, domestic violence: see
``orientation``): this is about a benefit not paid, and it asks the benefits service for priority.
"""

from __future__ import annotations

from datetime import date

from guichet.domain import fr
from guichet.domain.perimeter import add_months as _add_months

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


# 004 §I.2 (the body): « toute interruption ou forte diminution de prestation AAH ou RSA » and « pour toute
# autre prestation : une interruption de versement depuis 3 mois ». Annex 1 says « une rupture ou une
# diminution de versement depuis 3 mois sur une autre prestation »: guichet follows the body (a drop of
# another benefit is not urgent). The keyword asks the benefits service for priority handling: it goes
# only in a message to the CAF social service, never to the Département (its social emergencies are others).
RIGHTS_URGENCY_NOT_CARRIED = ("Urgence d'accès aux droits : demandez au service des prestations (GCA) un traitement "
                              "prioritaire ; le mot clé URGENCE DEFINIE ne part pas vers ce destinataire.")


def long_date(day: date) -> str:
    """``1er septembre 2026``, ``23 novembre 2026``."""
    return f"{'1er' if day.day == 1 else day.day} {fr.MONTHS[day.month - 1]} {day.year}"


def short_benefit(code: str) -> str:
    """``APL``; the premiums, whose codes are not acronyms, by name: ``Prime à la naissance``."""
    label = BENEFIT_LABELS.get(code)
    return label[0].upper() + label[1:] if label and "_" in code else code


def rights_urgency(benefits: tuple[str, ...], sharp_drop: bool, since: date | None, today: date) -> list[str]:
    """Why access to rights is urgent (URGENCE DEFINIE, 004 §I.2), one French line per benefit; empty: it is not."""
    reasons = []
    for code in dict.fromkeys(c.strip().upper() for c in benefits):
        if code in _MINIMA:  # 004 §I.2: "toute interruption ou forte diminution de prestation AAH ou RSA"
            if sharp_drop or since is not None:
                reasons.append(f"{code} {'interrompu' if code in _MASCULINE else 'interrompue'} ou en forte baisse")
        elif since is not None and _add_months(since, _URGENT_MONTHS) <= today:
            # 004 §I.2: "pour toute autre prestation : une interruption de versement depuis 3 mois"
            months = max(n for n in range(_URGENT_MONTHS, 12 * (today.year - since.year + 1))
                         if _add_months(since, n) <= today)
            agreement = "" if code in _MASCULINE else "es" if code in _PLURAL else "e"
            reasons.append(f"{short_benefit(code)} non versé{agreement} depuis le {long_date(since)} ({months} mois)")
    return reasons
