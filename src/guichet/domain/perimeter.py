"""The CAF social service's perimeter: which life events, how long after them, on which conditions.

Data, not code: it is read from ``data/social_work.toml`` (the 92's list, 000 p.10, with the windows
and the family condition of 004) by ``guichet.catalog.perimeter``. The rules that use it live in
``orientation`` (the card) and ``handoff.qualify`` (the handoff form).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class LifeEvent(StrEnum):
    """Life events a handoff to a social worker can be about (DOMAIN.md, "Social work").

    Here, with the perimeter that names them, and re-exported by ``guichet.domain.models`` (whose
    Catalog carries the perimeter: one direction of import only)."""

    SEPARATION = "separation"
    DECES_CONJOINT = "deces_conjoint"
    DECES_ENFANT = "deces_enfant"
    DECES_PARENT = "deces_parent"  # not in the 92's list (000 p.10): see social_work.toml
    GROSSESSE_NAISSANCE = "grossesse_naissance"  # in the perimeter for a parent on their own
    IMPAYE_LOYER = "impaye_loyer"
    VIOLENCES = "violences"
    HANDICAP_ENFANT = "handicap_enfant"
    NOUVELLE_AFFILIATION = "nouvelle_affiliation"  # 000 p.10: « nouvelle affiliation » of a parent on their own
    BAISSE_RESSOURCES = "baisse_ressources"
    ACCES_DROITS_URGENCE = "acces_droits_urgence"
    AUTRE = "autre"


class WindowKind(StrEnum):
    """How long the CAF social service intervenes after an event (004, annex 2)."""

    AFTER_EVENT = "after_event"  # « dans les deux ans suivant la date de l'évènement »
    UNTIL_CHILD_AGE = "until_child_age"  # « jusqu'aux 1 an de l'enfant pour les familles monoparentales »
    NONE = "none"  # the sources give no window: none is applied


class Scope(StrEnum):
    """Where the event of the list comes from (000 p.10)."""

    TOUTES_LES_CAF = "toutes_les_caf"  # « Comme toutes les Caf »
    DEPARTEMENT = "departement"  # « Spécifiquement dans les Hauts-de-Seine »


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, the day clamped to the month's end (31/08 + 3 → 30/11)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _years(count: int) -> str:
    return f"{count} an" if count == 1 else f"{count} ans"


@dataclass(frozen=True, slots=True)
class Window:
    """The time an event stays in the perimeter."""

    kind: WindowKind
    years: int = 0  # with AFTER_EVENT and UNTIL_CHILD_AGE

    @property
    def label(self) -> str:
        """In French, for the card: « dans les 2 ans suivant l'événement », « jusqu'à 1 an de l'enfant », ""."""
        if self.kind is WindowKind.AFTER_EVENT:
            return f"dans les {_years(self.years)} suivant l'événement"
        if self.kind is WindowKind.UNTIL_CHILD_AGE:
            return f"jusqu'à {_years(self.years)} de l'enfant"
        return ""

    @property
    def question(self) -> str:
        """The card's question whose « oui » takes the event out: « Événement > 2 ans », « Enfant > 1 an »."""
        if self.kind is WindowKind.AFTER_EVENT:
            return f"Événement > {_years(self.years)}"
        if self.kind is WindowKind.UNTIL_CHILD_AGE:
            return f"Enfant > {_years(self.years)}"
        return ""

    @property
    def over(self) -> str:
        """Why the event is out when the window is passed: « Événement de plus de 2 ans »."""
        if self.kind is WindowKind.UNTIL_CHILD_AGE:
            return f"Enfant de plus de {_years(self.years)}"
        return f"Événement de plus de {_years(self.years)}"

    def covers(self, event_date: date | None, today: date) -> bool:
        """Whether ``event_date`` (the event; for UNTIL_CHILD_AGE the child's birth) is still inside on
        ``today``: the anniversary itself counts, and so does an unknown date."""
        if self.kind is WindowKind.NONE or event_date is None:
            return True
        return add_months(event_date, 12 * self.years) >= today


NO_WINDOW = Window(WindowKind.NONE)


@dataclass(frozen=True, slots=True)
class PerimeterEvent:
    """One line of the perimeter, with its source in the source's words."""

    event: LifeEvent
    label: str
    scope: Scope
    window: Window
    single_parent: bool  # only for a parent on their own
    family: bool  # only for a « famille avec enfant à charge ou à naître »
    source: str
    quote: str
    window_source: str | None = None
    window_quote: str | None = None
    family_source: str | None = None
    family_quote: str | None = None


@dataclass(frozen=True, slots=True)
class NotCovered:
    """An event guichet knows that the perimeter leaves out, with what the card says about it."""

    event: LifeEvent
    note: str
    source: str
    quote: str


@dataclass(frozen=True, slots=True)
class Perimeter:
    """The CAF social service's perimeter for one département."""

    departement: str
    source: str
    family_label: str  # « Famille avec enfant à charge ou à naître »
    events: tuple[PerimeterEvent, ...] = ()
    not_covered: tuple[NotCovered, ...] = ()
    quote: str = ""

    def entry(self, event: LifeEvent | None) -> PerimeterEvent | None:
        """The perimeter's line for ``event``, or None when the event is not in the perimeter."""
        for line in self.events:
            if line.event is event:
                return line
        return None

    def note(self, event: LifeEvent | None) -> NotCovered | None:
        """What to say about ``event`` when the perimeter leaves it out on purpose."""
        for line in self.not_covered:
            if line.event is event:
                return line
        return None


# No perimeter loaded (a Catalog built by hand): no event is in it.
EMPTY = Perimeter(departement="", source="", family_label="Famille avec enfant à charge ou à naître")
