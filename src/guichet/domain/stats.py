"""The agency's statistics (issue 17): periods, the figures, and what each figure counts.

Pure: the store counts rows (``store.stats``), ``services.stats`` puts the counts in these objects,
the statistics screen and ``guichet stats`` (text, JSON, CSV) show them. Every figure carries the
sentence that says what it counts (:data:`DEFINITIONS`), so that a manager reading a CSV and an
agent reading the screen read the same definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from guichet.domain import fr
from guichet.domain.clock import to_paris
from guichet.domain.passage import Half, Outcome, PassageChannel
from guichet.errors import InvalidInput

MAX_DAYS = 3 * 366  # a range longer than three years is surely a typing mistake
MIN_YEAR, MAX_YEAR = 1900, 2200  # as the command line's days (cli.common.day)


class PeriodKind(StrEnum):
    JOUR = "jour"
    SEMAINE = "semaine"
    MOIS = "mois"
    PLAGE = "plage"

    @property
    def label(self) -> str:
        return {"jour": "aujourd'hui", "semaine": "cette semaine", "mois": "ce mois-ci", "plage": "période"}[self]


@dataclass(frozen=True, slots=True)
class Period:
    """Whole Paris days, ``first`` to ``last`` included."""

    first: date
    last: date
    kind: PeriodKind = PeriodKind.PLAGE

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidInput(f"Période vide : le {fr.day(self.last, year=True)} est avant le "
                               f"{fr.day(self.first, year=True)}.")
        if (self.last - self.first).days >= MAX_DAYS:
            raise InvalidInput("Période trop longue : trois ans au plus.")
        for end in (self.first, self.last):  # bounds() and of() would overflow at year 9999
            if not MIN_YEAR <= end.year <= MAX_YEAR:
                raise InvalidInput(f"Année hors limites ({MIN_YEAR}-{MAX_YEAR}) : le {fr.day(end, year=True)}.")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def bounds(self) -> tuple[datetime, datetime]:
        """From ``first`` at 00:00 to the day after ``last`` at 00:00, Paris (aware)."""
        start = to_paris(datetime.combine(self.first, datetime.min.time()))
        end = to_paris(datetime.combine(self.last + timedelta(days=1), datetime.min.time()))
        return start, end

    @property
    def label(self) -> str:
        """« aujourd'hui, mardi 1 décembre 2026 », « du lundi 30 novembre au dimanche 6 décembre 2026 »."""
        if self.first == self.last:
            text = fr.day(self.first, year=True)
        else:
            text = f"du {fr.day(self.first, year=self.first.year != self.last.year)} au {fr.day(self.last, year=True)}"
        return text if self.kind is PeriodKind.PLAGE else f"{self.kind.label}, {text}"

    @classmethod
    def of(cls, kind: PeriodKind, today: date) -> Period:
        """Today, this week (Monday to Sunday) or this month, around ``today``."""
        if kind is PeriodKind.JOUR:
            return cls(today, today, kind)
        if kind is PeriodKind.SEMAINE:
            monday = today - timedelta(days=today.weekday())
            return cls(monday, monday + timedelta(days=6), kind)
        if kind is PeriodKind.MOIS:
            first = today.replace(day=1)
            following = (first + timedelta(days=32)).replace(day=1)
            return cls(first, following - timedelta(days=1), kind)
        raise ValueError("a range needs its two days")


@dataclass(frozen=True, slots=True)
class Count:
    """One line of a breakdown: a code, its French label, how many."""

    code: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class HalfDay:
    """People received in one half-day, at the counter and on the phone."""

    day: date
    half: Half
    guichet: int = 0
    telephone: int = 0

    @property
    def total(self) -> int:
        return self.guichet + self.telephone

    @property
    def label(self) -> str:
        return f"{fr.short_day(self.day)} {self.half.label}"


@dataclass(frozen=True, slots=True)
class PassageFigures:
    total: int = 0
    by_channel: dict[PassageChannel, int] = field(default_factory=dict)
    half_days: tuple[HalfDay, ...] = ()
    outcomes: tuple[Count, ...] = ()  # by outcome, and by partner or Département reception where it says which
    top_services: tuple[Count, ...] = ()
    median_seconds: int | None = None
    timed: int = 0  # passages counted in the median: closed, quick questions left out
    still_open: int = 0

    @property
    def busiest(self) -> HalfDay | None:
        return max(self.half_days, key=lambda h: h.total) if self.half_days else None

    @property
    def per_half_day(self) -> float | None:
        """Average over the half-days that received someone."""
        worked = [h for h in self.half_days if h.total]
        return sum(h.total for h in worked) / len(worked) if worked else None


@dataclass(frozen=True, slots=True)
class AppointmentLine:
    """Appointments of one kind and channel whose slot falls in the period, by status."""

    kind: str
    channel: str
    by_status: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def noshow_rate(self) -> float | None:
        return noshow_rate(self.by_status)


@dataclass(frozen=True, slots=True)
class AppointmentFigures:
    lines: tuple[AppointmentLine, ...] = ()

    @property
    def by_status(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for line in self.lines:
            for status, count in line.by_status.items():
                totals[status] = totals.get(status, 0) + count
        return totals

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines)

    @property
    def noshow_rate(self) -> float | None:
        return noshow_rate(self.by_status)


@dataclass(frozen=True, slots=True)
class HandoffFigures:
    total: int = 0
    by_life_event: tuple[Count, ...] = ()
    by_destination: tuple[Count, ...] = ()
    by_status: tuple[Count, ...] = ()
    overdue: tuple[int, ...] = ()  # ids of the handoffs transmitted and still unanswered past their due date
    urgent: int = 0


@dataclass(frozen=True, slots=True)
class Statistics:
    agency: str | None  # None: every agency
    agency_label: str
    period: Period
    computed_at: datetime
    passages: PassageFigures
    appointments: AppointmentFigures
    handoffs: HandoffFigures


def median(values: list[int]) -> int | None:
    """The median, rounded to the second; None for no value."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return round((ordered[middle - 1] + ordered[middle]) / 2)


def noshow_rate(by_status: dict[str, int]) -> float | None:
    """Absent / (received + absent): the appointments that took place or should have. None when none."""
    seen, noshow = by_status.get("seen", 0), by_status.get("noshow", 0)
    return noshow / (seen + noshow) if seen + noshow else None


def duration_text(seconds: int | None) -> str:
    """« 4 min 05 s », « 45 s », « — »."""
    if seconds is None:
        return "—"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def one_decimal(value: float) -> str:
    """« 3,5 »: one decimal, with the French decimal comma (which a French spreadsheet reads as a number)."""
    return f"{value:.1f}".replace(".", ",")


def percent(rate: float | None) -> str:
    """« 7,6 % » (French decimal comma), « — »."""
    return "—" if rate is None else f"{one_decimal(rate * 100)} %"


# What each figure counts: one sentence, shown on the screen (F1 / the legend) and written in the JSON.
DEFINITIONS = {
    "passages": "Personnes reçues : un accueil par personne, ouvert à la première action après Ctrl+N "
                "(ou au démarrage), fermé au Ctrl+N suivant ou après l'inactivité ; une question rapide compte "
                "pour un accueil.",
    "half_days": "Accueils commencés dans chaque demi-journée (matin : avant 13 h), au guichet et au téléphone.",
    "outcomes": "Issues des accueils : un rendez-vous, un relais, une arrivée comptent chacun ; « renseigné », "
                "« libre-service », « partenaire » et « Département » suivent la dernière fiche consultée d'un "
                "accueil sans rendez-vous ni relais.",
    "top_services": "Services dont la fiche a été ouverte (Entrée sur un résultat), une fois par accueil.",
    "median": "Durée médiane des accueils terminés, questions rapides exclues ; un accueil fermé par "
              "inactivité s'arrête à sa dernière action.",
    "appointments": "Rendez-vous dont le créneau tombe dans la période, par type, canal et statut ; "
                    "taux d'absence = absents / (reçus + absents).",
    "handoffs": "Passages de relais enregistrés pendant la période, par événement, destinataire et statut ; "
                "en retard = transmis sans réponse après la date d'échéance (10 jours).",
}

OUTCOME_ORDER = tuple(o for o in Outcome if o is not Outcome.SERVICE)
