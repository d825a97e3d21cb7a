"""The handoff message as 004 annex 1 ("bonnes pratiques") words it: one situation per message, four headings
and no more, the dates inside « Commentaire », the keyword URGENCE DEFINIE where the CAF looks for it.

The qualification is built by hand here, so that these tests say what the message does with a verdict, whatever
the rules that give it (tests/unit/test_handoff.py tests those).
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from guichet.domain.handoff import Destination, HandoffDraft, Qualification, validate
from guichet.domain.handoff_message import HEADINGS, URGENT_KEYWORD, render_message
from guichet.domain.models import LifeEvent

TODAY = date(2026, 11, 23)
SEED = next((Path(__file__).parents[3] / "shared" / "seeds").glob("004_*.txt"), None)


def draft(**changes: object) -> HandoffDraft:
    base = HandoffDraft(
        name="Awa Diallo", life_event=LifeEvent.SEPARATION, motifs="Non-paiement, demande d'explication",
        comment="L'ASF n'est plus versée depuis août.\nQuelle pièce manque-t-il ?", benefits=("ASF", "RSA"),
        file_number="1234567", phone="0612345678", event_date=date(2026, 6, 1), consent=True,
    )
    return validate(replace(base, **changes), TODAY)  # type: ignore[arg-type]


def verdict(*, urgent: bool = False, reasons: tuple[str, ...] = (), forward: bool = False,
            destination: Destination = Destination.SERVICE_SOCIAL_CAF) -> Qualification:
    return Qualification(urgent=urgent, urgency_reasons=reasons, destination=destination,
                         destination_label=destination.label, in_perimeter=True, forward_to_caf=forward, warnings=())


def render(d: HandoffDraft | None = None, q: Qualification | None = None) -> str:
    return render_message(d or draft(), q or verdict(), "Camille Martin", TODAY)


def section(text: str, heading: str) -> list[str]:
    """The lines under ``heading``, up to the blank line that ends its section."""
    lines = text.split("\n")
    start = lines.index(heading) + 1
    end = lines.index("", start)
    return lines[start:end]


def test_the_source_sentences_are_quoted_as_written() -> None:
    if SEED is None:
        pytest.skip("../shared/seeds is not beside this checkout")
    source = " ".join(SEED.read_text(encoding="utf-8").split())
    for sentence in (
        "il est recommandé de structurer le corps du mail avec 4 rubriques",
        "Chaque saisine de la CAF via le mail de MonComptePartenaire ne doit se rapporter qu'à une seule situation",
        "spécifier les dates d'ouverture des droits, de démarrage d'un non paiement, de début et de fin d'une période",
        "le mot-clé **URGENCE DEFINIE** inséré dans le champs « Nom de votre organisme » permettra une détection "
        "automatique des urgences par la CAF",
        "Motif(s) de la demande : ... Prestation(s) concernée(s) : ... Commentaire : ... "
        "Spécificité(s) de la personne s'il y a lieu",
    ):
        assert sentence in source, sentence


def test_four_headings_exactly_in_the_annex_order() -> None:
    """004 annex 1, bonne pratique n°3: « structurer le corps du mail avec 4 rubriques »: Motif(s) de la
    demande, Prestation(s) concernée(s), Commentaire, Spécificité(s) de la personne."""
    assert HEADINGS == ("Motif(s) de la demande", "Prestation(s) concernée(s)", "Commentaire",
                        "Spécificité(s) de la personne")
    full = draft(rights_opened=date(2025, 9, 1), non_payment_since=date(2026, 8, 1), period_start=date(2026, 3, 1),
                 period_end=date(2026, 7, 31), documents_to_professional=True, specificity_other="Parle peul")
    for text in (render(), render(full, verdict(urgent=True, reasons=("RSA interrompu ou en forte baisse",),
                                                 forward=True))):
        lines = text.split("\n")
        assert [line for line in lines if line in HEADINGS] == list(HEADINGS)
        blocks = text.split("\n\n")  # header, four sections, signature: nothing else
        assert len(blocks) == 6
        assert [block.split("\n")[0] for block in blocks[1:5]] == list(HEADINGS)
        assert "Dates" not in lines  # the fifth heading guichet used to add is gone


def test_the_dates_are_inside_the_comment() -> None:
    """004 annex 1, bonne pratique n°2: « spécifier les dates d'ouverture des droits, de démarrage d'un non
    paiement, de début et de fin d'une période » — the context, which goes in « Commentaire » (n°3)."""
    d = draft(rights_opened=date(2025, 9, 1), non_payment_since=date(2026, 8, 1), period_start=date(2026, 3, 1),
              period_end=date(2026, 7, 31))
    assert section(render(d), "Commentaire") == [
        "L'ASF n'est plus versée depuis août.", "Quelle pièce manque-t-il ?",
        "- Ouverture des droits : 1er septembre 2025",
        "- Début du non-paiement : 1er août 2026",
        "- Période : du 1er mars 2026 au 31 juillet 2026",
    ]
    assert section(render(draft(period_start=date(2026, 9, 1))), "Commentaire")[-1] == \
        "- Période : à partir du 1er septembre 2026"
    assert section(render(draft()), "Commentaire") == ["L'ASF n'est plus versée depuis août.",
                                                       "Quelle pièce manque-t-il ?"]  # no date: no line about it


def test_the_keyword_opens_the_first_line_when_urgent_only() -> None:
    """004 annex 1, urgent cases, n°3: « le mot-clé URGENCE DEFINIE inséré dans le champs « Nom de votre
    organisme » permettra une détection automatique des urgences par la CAF »: the form's first field, the
    sender's, outside the message body. In guichet's plain text the first line plays that part."""
    urgent = render(q=verdict(urgent=True, reasons=("RSA interrompu ou en forte baisse",)))
    first, *rest = urgent.split("\n")
    assert first == "URGENCE DEFINIE — Passage de relais — Service social de la Caf"
    assert URGENT_KEYWORD == "URGENCE DEFINIE" and urgent.count(URGENT_KEYWORD) == 1
    assert URGENT_KEYWORD not in "\n".join(rest)  # never in the body, never a heading
    assert "Urgence d'accès aux droits : RSA interrompu ou en forte baisse." in section(urgent, "Commentaire")
    calm = render(q=verdict(urgent=False, reasons=("RSA interrompu ou en forte baisse",)))
    assert URGENT_KEYWORD not in calm and "Urgence" not in calm  # no keyword, no urgency line either
    assert calm.split("\n")[0] == "Passage de relais — Service social de la Caf"
    # Qualification.urgent means exactly "the message carries URGENCE DEFINIE", whatever the destination.
    to_departement = render(q=verdict(urgent=False, destination=Destination.DEPARTEMENT))
    assert URGENT_KEYWORD not in to_departement


def test_the_notes_stay_inside_the_four_sections() -> None:
    d = draft(documents_to_professional=True)
    text = render(d, verdict(forward=True))
    assert section(text, "Commentaire")[-1] == "Merci de transmettre la demande de rendez-vous au service social " \
                                               "de la Caf."
    assert section(text, "Spécificité(s) de la personne") == [
        "Demandes de pièces à adresser au professionnel qui accompagne la personne"]  # bonne pratique n°5
    assert text.split("\n")[-1] == "C. Martin, accueil Caf, le 23 novembre 2026"


def test_one_situation_per_message() -> None:
    """004 annex 1, n°1: « Chaque saisine ... ne doit se rapporter qu'à une seule situation. Il y aura donc
    autant de saisines que de situations à traiter. » A draft holds one event and one request (no list of
    situations to put in one message); two situations are two drafts, two messages."""
    hints = typing.get_type_hints(HandoffDraft)
    assert hints["life_event"] is LifeEvent and hints["motifs"] is str and hints["comment"] is str
    assert {f.name for f in dataclasses.fields(HandoffDraft)}.isdisjoint({"situations", "events", "drafts"})
    one = render(draft())
    other = render(draft(life_event=LifeEvent.IMPAYE_LOYER, motifs="Demande d'explication", benefits=("APL",),
                         comment="Impayés de loyer depuis septembre."))
    for text in (one, other):
        assert text.count("Motif(s) de la demande") == 1 and text.count("Événement :") == 1
    assert "Séparation" in one and "Séparation" not in other
