"""The statistics screen's text (screens/stats.py): a :class:`~guichet.domain.stats.Statistics` in blocks.

Pure rendering, no widget: each block opens with a heading and its figures, and ends with what it
counts (``domain.stats.DEFINITIONS``, muted), unless the agent hid the definitions (`l`). Service
titles, agency and partner names come from data files: they go into :class:`Content` as plain
strings, never as markup.

The chart of people per half-day is one line per day, the morning's bar beside the afternoon's,
each with its figure. Why not one bar per half-day, nor Textual's Sparkline: a month is some 44
half-days; one line each would be two screens of scrolling at 80×24, and a Sparkline squeezes them
into one unlabelled line whose heights (8 levels) cannot be read as numbers. A day a line keeps a
month within about 22 lines, reads as a calendar (which day, morning against afternoon) and still
gives every half-day its exact figure. Days nobody was received (weekends, closures) are left out,
and the legend says so.
"""

from __future__ import annotations

import re
import textwrap
from datetime import date

from textual.content import Content

from guichet.domain.fr import short_day
from guichet.domain.handoff import HandoffStatus
from guichet.domain.models import Channel, Kind, Status
from guichet.domain.passage import Half, PassageChannel
from guichet.domain.stats import (
    DEFINITIONS,
    AppointmentFigures,
    Count,
    HalfDay,
    HandoffFigures,
    PassageFigures,
    Statistics,
    duration_text,
    percent,
)

NOBODY = "Aucune personne reçue sur la période"
FULL, PHONE = "█", "▒"  # a person received at the counter, on the phone
DAY_WIDTH = 13  # « ␣␣lun. 23/11␣ »
FIGURE_WIDTH = 5  # « ␣␣␣90 »
GAP = 3
MIN_BAR = 8
MAX_OVERDUE_SHOWN = 40
# Those that took place or should have first, then the cancelled ones, the moved, and those still to come.
STATUS_ORDER = (Status.SEEN, Status.NOSHOW, Status.EXCUSED, Status.REVOKED, Status.MOVED, Status.BOOKED)


def _heading(text: str) -> Content:
    return Content.styled(text, "bold $accent")


HANG = "    "  # a long line goes on 4 columns in
_GLUE = re.compile(r" (?=[:;%»!?])|(?<=«) ")  # French spacing: never a line that starts with « : » or « % »


def _wrap(text: str, width: int, style: str = "") -> Content:
    """``text`` (indented by its own spaces) folded at ``width``, each further line indented by :data:`HANG`.
    Plain text (data files' names in it are never read as markup)."""
    lines = textwrap.wrap(_GLUE.sub("\N{NO-BREAK SPACE}", text), width, subsequent_indent=HANG,
                          break_long_words=False, break_on_hyphens=False) or [""]
    return Content.styled("\n".join(lines).replace("\N{NO-BREAK SPACE}", " "), style)


def _number(value: float) -> str:
    """« 28,5 »: one decimal, French comma."""
    return f"{value:.1f}".replace(".", ",")


def render(stats: Statistics, *, width: int = 77, legends: bool = True) -> Content:
    """Every block of ``stats``, for a text area ``width`` columns wide (``legends``: what each counts)."""
    blocks = _Blocks(width, legends)
    passages = stats.passages
    if passages.total:
        shown = [blocks.received(passages), blocks.chart(passages), blocks.outcomes(passages),
                 blocks.services(passages)]
    else:  # zeros alone would not say whether nobody came or nothing was counted
        lines = [_heading("Personnes reçues"),
                 blocks.line(f"  {NOBODY} : rien au journal d'accueil pour {stats.agency_label}, "
                             f"{stats.period.label}.")]
        if passages.still_open:
            lines.append(blocks.line(f"  Accueils encore en cours : {passages.still_open}"))
        shown = [blocks.legend(lines, "passages")]
    shown += [blocks.appointments(stats.appointments), blocks.handoffs(stats.handoffs)]
    return Content("\n\n").join(Content("\n").join(block) for block in shown)


def bar_width(width: int) -> int:
    """Each of the two bars of a chart line ``width`` columns wide."""
    return max(MIN_BAR, (width - DAY_WIDTH - 2 * FIGURE_WIDTH - GAP) // 2)


def _bar(cell: HalfDay | None, top: int, room: int) -> Content:
    """One half-day's bar, at the scale of the busiest (``top`` fills ``room`` cells), and its figure."""
    if cell is None or not cell.total:
        return Content.assemble(" " * room, (f"{0:>{FIGURE_WIDTH}}", "$text-muted"))
    cells = max(1, round(cell.total * room / top))
    counter = min(cells, round(cell.guichet * room / top))
    return Content.assemble((FULL * counter, "$primary"), (PHONE * (cells - counter), "$secondary"),
                            " " * (room - cells), f"{cell.total:>{FIGURE_WIDTH}}")


def _kind(code: str) -> str:
    try:
        return Kind(code).value.upper()
    except ValueError:
        return code


def _channel(code: str) -> str:
    try:
        return Channel(code).label
    except ValueError:
        return code


def _statuses(by_status: dict[str, int], *, every: bool) -> str:
    """« reçu 3 · absent 1 · … » (``every``: the zeros too)."""
    known = [(s.label, by_status.get(s.value, 0)) for s in STATUS_ORDER]
    known += [(code, n) for code, n in sorted(by_status.items()) if code not in {s.value for s in Status}]
    return " · ".join(f"{label} {n}" for label, n in known if every or n)


def _rate(by_status: dict[str, int], rate: float | None) -> str:
    if rate is None:
        return "taux d'absence — (aucun reçu ni absent)"
    absent = by_status.get(Status.NOSHOW.value, 0)
    held = absent + by_status.get(Status.SEEN.value, 0)
    return f"taux d'absence {percent(rate)} ({absent} sur {held})"


class _Blocks:
    """The blocks, for one width; each ends with what it counts unless the definitions are hidden."""

    def __init__(self, width: int, legends: bool) -> None:
        self.width = width
        self.legends = legends

    def line(self, text: str, style: str = "") -> Content:
        return _wrap(text, self.width, style)

    def legend(self, lines: list[Content], *keys: str) -> list[Content]:
        return [*lines, *(_wrap(f"  {DEFINITIONS[key]}", self.width, "italic $text-muted") for key in keys
                          if self.legends)]

    def counts(self, rows: list[tuple[int, str]], empty: str) -> list[Content]:
        if not rows:
            return [self.line(f"  {empty}", "$text-muted")]
        size = max(len(str(count)) for count, _label in rows)
        return [self.line(f"  {count:>{size}}  {label}") for count, label in rows]  # labels from data: literal

    # -- people received ---------------------------------------------------------------------------
    def received(self, p: PassageFigures) -> list[Content]:
        counter = p.by_channel.get(PassageChannel.GUICHET, 0)
        phone = p.by_channel.get(PassageChannel.TELEPHONE, 0)
        lines = [_heading("Personnes reçues"),
                 self.line(f"  Total : {p.total} (au guichet {counter} · au téléphone {phone})")]
        if p.per_half_day is not None:
            worked = sum(1 for h in p.half_days if h.total)
            lines.append(self.line(f"  Moyenne par demi-journée : {_number(p.per_half_day)} "
                                   f"(sur {worked} avec au moins une personne)"))
        if (busiest := p.busiest) is not None:
            lines.append(self.line(f"  Demi-journée la plus chargée : {busiest.label} ({busiest.total})"))
        if p.median_seconds is None:
            lines.append(self.line("  Durée médiane : — (aucun accueil terminé, hors questions rapides)"))
        else:
            s = "s" if p.timed > 1 else ""
            lines.append(self.line(f"  Durée médiane : {duration_text(p.median_seconds)} "
                                   f"(sur {p.timed} accueil{s} terminé{s})"))
        lines.append(self.line(f"  Accueils encore en cours : {p.still_open}"))
        return self.legend(lines, "passages", "median")

    def chart(self, p: PassageFigures) -> list[Content]:
        room = bar_width(self.width)
        top = max(h.total for h in p.half_days)
        days: dict[date, dict[Half, HalfDay]] = {}
        for cell in p.half_days:
            days.setdefault(cell.day, {})[cell.half] = cell
        header = " " * DAY_WIDTH + "matin".ljust(room + FIGURE_WIDTH + GAP) + "après-midi"
        lines = [_heading("Personnes reçues par demi-journée"), Content.styled(header, "$text-muted")]
        for day in sorted(days):
            halves = days[day]
            lines.append(Content.assemble(f"  {short_day(day)} ", _bar(halves.get(Half.MATIN), top, room), " " * GAP,
                                          _bar(halves.get(Half.APRES_MIDI), top, room)))
        lines.append(Content.assemble("  ", (FULL, "$primary"), " guichet  ", (PHONE, "$secondary"),
                                      f" téléphone · barre pleine : {top} · jours sans personne reçue omis"))
        return self.legend(lines, "half_days")

    def outcomes(self, p: PassageFigures) -> list[Content]:
        lines = [_heading("Issues des accueils"),
                 *self.counts([(c.count, c.label) for c in p.outcomes], "aucune issue enregistrée")]
        return self.legend(lines, "outcomes")

    def services(self, p: PassageFigures) -> list[Content]:
        lines = [_heading("Services les plus consultés"),
                 *self.counts([(c.count, c.label) for c in p.top_services], "aucune fiche consultée")]
        return self.legend(lines, "top_services")

    # -- appointments and handoffs -----------------------------------------------------------------
    def appointments(self, a: AppointmentFigures) -> list[Content]:
        lines = [_heading("Rendez-vous")]
        if not a.total:
            lines.append(self.line("  Aucun rendez-vous dont le créneau tombe dans la période."))
        else:
            by_status = a.by_status
            lines.append(self.line(f"  Total : {a.total} · {_rate(by_status, a.noshow_rate)}"))
            lines.append(self.line(f"  {_statuses(by_status, every=True)}"))
            lines += [self.line(f"  {_kind(line.kind)} {_channel(line.channel)} : {line.total} — "
                                f"{_statuses(line.by_status, every=False)} · "
                                f"{_rate(line.by_status, line.noshow_rate)}") for line in a.lines]
        return self.legend(lines, "appointments")

    def breakdown(self, title: str, counts: tuple[Count, ...]) -> Content:
        return self.line(f"  {title} : {' · '.join(f'{c.label} {c.count}' for c in counts)}")

    def handoffs(self, h: HandoffFigures) -> list[Content]:
        lines = [_heading("Passages de relais")]
        if not h.total:
            lines.append(self.line("  Aucun passage de relais enregistré pendant la période."))
            return self.legend(lines, "handoffs")
        urgent = f", dont {h.urgent} URGENCE DEFINIE" if h.urgent else ""
        lines.append(self.line(f"  Total : {h.total}{urgent}"))
        if h.overdue:
            shown = ", ".join(f"n° {n}" for n in h.overdue[:MAX_OVERDUE_SHOWN])
            more = len(h.overdue) - MAX_OVERDUE_SHOWN
            lines.append(self.line(f"  En retard : {len(h.overdue)} — {shown}"
                                   f"{f' et {more} autres' if more > 0 else ''} (F9 : les suivre)")
                         .stylize("bold $warning", 2, 11))
        elif any(c.code == HandoffStatus.TRANSMISE.value for c in h.by_status):
            lines.append(self.line("  En retard : aucun"))
        lines += [self.breakdown("Par événement", h.by_life_event),
                  self.breakdown("Par destinataire", h.by_destination), self.breakdown("Par statut", h.by_status)]
        return self.legend(lines, "handoffs")
