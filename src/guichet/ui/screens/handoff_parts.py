"""The handoff form's parts (screens/handoff.py): its fields' constants, the date reader, the
label/field grids, and the fields under its first screenful, mounted after its first frame
(issue 16), with the values they start with (the card's answers)."""

from __future__ import annotations

import re
from datetime import date

from textual.containers import Grid
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, TextArea

from guichet.domain.handoff import Specificity
from guichet.domain.orientation import Answers, Emergency
from guichet.ui.widgets.lazy_select import LazySelect

_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
DATE_FIELDS = {
    "event-date": "Date de l'événement",
    "rights-opened": "Ouverture des droits",
    "non-payment-since": "Début du non-paiement",
    "period-start": "Début de période",
    "period-end": "Fin de période",
}
PHONE_PLACEHOLDER = "10 chiffres"  # never a number anyone could take for data (the field is narrow)
CONDITIONS = (("already-followed", "Déjà suivie par un travailleur social"),
              ("few-links", "Peu ou plus de liens avec ce travailleur social"),
              ("not-autonomous", "Personne non autonome dans sa demande"),
              ("caf-closed", "Accompagnement Caf déjà clôturé"))
CONSENT = [("Accord de la personne : oui", "yes"), ("La personne refuse", "no")]
YES_NO = [("oui", "yes"), ("non", "no")]  # a condition of the perimeter; blank: not asked


def yes_no(value: bool | None) -> str | object:
    """The Select value of an answer: "yes", "no", or blank (not asked)."""
    return Select.NULL if value is None else ("yes" if value else "no")


def answer(value: object) -> bool | None:
    return None if value is Select.NULL else value == "yes"


def parse_day(text: str) -> date | None:
    """``JJ/MM/AAAA`` or ``AAAA-MM-JJ``; None when empty; ValueError when impossible."""
    text = text.strip()
    if not text:
        return None
    found = _DATE.match(text)
    if found:
        day, month, year = (int(g) for g in found.groups())
        return date(year, month, day)
    return date.fromisoformat(text)


def rows(*rows: tuple[str, Widget]) -> Grid:
    """Labels and their fields, one per line: one grid for a group of lines (a row container per
    line would be one more widget each to mount when the form opens, issue 16)."""
    cells: list[Widget] = []
    for label, widget in rows:
        cells += [Label(label, classes="field-label"), widget]
    return Grid(*cells, classes="field-grid")


def starting_values(a: Answers) -> dict[str, object]:
    """What the fields under the first screenful start with, by id: the card's answers."""
    return {
        "emergency": a.emergency.value if a.emergency else Select.NULL,
        "single-parent": yes_no(a.single_parent), "family": yes_no(a.family),
        "already-followed": bool(a.already_followed), "few-links": bool(a.few_links),
        "not-autonomous": bool(a.not_autonomous), "caf-closed": bool(a.caf_closed), "documents": False,
    }


def form_tail(start: dict[str, object]) -> list[Widget]:
    """The form below its first screenful: mounted once the first frame is out (issue 16)."""
    return [
        Label("[b]Commentaire[/b] (contexte et question précise)"),
        TextArea(id="comment", soft_wrap=True, compact=True),
        Label("[b]Spécificité(s) de la personne[/b]"),
        SelectionList[str](*[(s.label, s.value) for s in Specificity], id="specificities", compact=True),
        rows(("Autre", Input(id="specificity-other", placeholder="autre spécificité", max_length=200,
                              compact=True))),
        Label("[b]Dates[/b]"),
        rows(*[(label, Input(id=field_id, placeholder="JJ/MM/AAAA", max_length=10, compact=True))
                for field_id, label in DATE_FIELDS.items() if field_id != "event-date"]),
        Label("[b]Destination[/b]"),
        # The perimeter's conditions (social_work.toml): blank = not asked, to be checked. Here, after
        # the message's fields, so that Tab from the date still reaches the motif.
        rows(("Urgence sociale", LazySelect([(e.label.capitalize(), e.value) for e in Emergency], id="emergency",
                                             prompt="non", allow_blank=True, compact=True,
                                             value=start["emergency"])),
              ("Parent seul", LazySelect(YES_NO, id="single-parent", prompt="non demandé", compact=True,
                                         value=start["single-parent"])),
              ("Enfant", LazySelect(YES_NO, id="family", prompt="à charge ou à naître ?", compact=True,
                                    value=start["family"]))),
        *[Checkbox(label, id=box_id, value=bool(start[box_id]), compact=True) for box_id, label in CONDITIONS],
        rows(("Référent", Input(id="referent", placeholder="travailleur social qui suit la personne",
                                 max_length=120, compact=True)),
              ("Partenaire", Input(id="partner", placeholder="si orientation vers un partenaire", max_length=120,
                                   compact=True))),
        Checkbox("Documents à adresser au professionnel", id="documents", compact=True),
    ]
