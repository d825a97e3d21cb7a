"""``guichet stats``: the agency's statistics (issue 17) for managers: text, JSON or CSV.

The same figures as the statistics screen (``services.stats``), for one agency or all, over a period of
whole Paris days. Every block says what it counts (``domain.stats.DEFINITIONS``).
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guichet.cli.common import UsageError, dump, safe
from guichet.domain import fr
from guichet.services import Services

if TYPE_CHECKING:
    from guichet.domain.stats import Count, Period, Statistics

ALL_AGENCIES = ("toutes", "all")  # --agency toutes: every agency (« all » as `guichet slots` spells it)
PERIODS = ("jour", "semaine", "mois")
WIDTH = 78  # the text fits an 80-column terminal
BAR_WIDTH = 26  # with the columns before it: 78 characters at most

DESCRIPTION = (
    "Les chiffres de l'accueil d'une agence (ou de toutes) sur une période : personnes reçues par "
    "demi-journée, issues, services consultés, durée médiane ; rendez-vous par type, canal et statut, avec "
    "le taux d'absence ; passages de relais par événement, destinataire et statut, avec ceux en retard. "
    "Aucune donnée personnelle."
)
EPILOG = (
    "Jours : AAAA-MM-JJ (2026-11-02), jj/mm, jj/mm/aaaa, « hier », « aujourd'hui ». "
    "Exemples : guichet stats --periode semaine ; guichet stats --agency toutes --from 01/10 --to 31/10 --csv "
    "octobre.csv"
)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    stats = sub.add_parser("stats", parents=[common], help="les chiffres de l'accueil, pour les responsables",
                           description=DESCRIPTION, epilog=EPILOG)
    stats.add_argument("--agency", metavar="AGENCE",
                       help="identifiant de l'agence, ou toutes pour toutes les agences (par défaut : l'agence "
                            "de ce poste, ou toutes s'il n'en a pas)")
    stats.add_argument("--from", dest="date_from", metavar="JOUR", help="premier jour de la période, inclus")
    stats.add_argument("--to", dest="date_to", metavar="JOUR",
                       help="dernier jour de la période, inclus (avec --from ; par défaut : aujourd'hui)")
    stats.add_argument("--periode", choices=PERIODS,
                       help="aujourd'hui (jour), cette semaine du lundi au dimanche (semaine) ou ce mois-ci "
                            "(mois, par défaut) ; pas avec --from/--to")
    output = stats.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="sortie JSON, pour un autre programme")
    output.add_argument("--csv", nargs="?", const="-", type=Path, metavar="FICHIER",
                        help="CSV pour un tableur (séparateur « ; », virgule décimale) : dans ce nouveau "
                             "fichier, encodé pour Excel, ou sur la sortie sans FICHIER")
    stats.set_defaults(handler=cmd_stats)


def cmd_stats(services: Services, args: argparse.Namespace) -> int:
    from guichet.services.exports import stats_csv, stats_json

    agency = _agency(services, args.agency)
    period = _period(services, args)
    figures = services.stats.compute(agency, period)
    if args.json:
        dump(stats_json(figures))
    elif args.csv is not None:
        text = stats_csv(figures)
        if str(args.csv) == "-":
            print(text, end="")
        else:
            from guichet.cli.appointments import write_new_file

            write_new_file(args.csv, text)
    else:
        print("\n".join(safe(line) for line in text_report(figures)))
    return 0


def _agency(services: Services, typed: str | None) -> str | None:
    """The agency asked for (None: every agency); by default this counter's, or every agency."""
    if typed is None:
        return services.agency(services.settings.agency).id if services.settings.agency else None
    if typed.strip().lower() in ALL_AGENCIES:
        return None
    return services.agency(typed.strip()).id


def _period(services: Services, args: argparse.Namespace) -> Period:
    from guichet.domain.stats import PeriodKind

    if args.periode and (args.date_from is not None or args.date_to is not None):
        raise UsageError("--periode ou --from/--to : l'un ou l'autre, pas les deux.")
    if args.date_from is None:
        if args.date_to is not None:
            raise UsageError("--to sans --from : indiquez aussi le premier jour de la période (--from).")
        return services.stats.period(PeriodKind(args.periode or "mois"))
    today = services.now().date()
    first = _day("--from", args.date_from, today)
    if args.date_to is None:
        if first > today:
            raise UsageError(f"Période vide : --from ({fr.day(first, year=True)}) est après aujourd'hui "
                             f"({fr.day(today, year=True)}).")
        return services.stats.period(PeriodKind.PLAGE, first, today)
    last = _day("--to", args.date_to, today)
    if last < first:
        raise UsageError(f"Période vide : --to ({fr.day(last, year=True)}) est avant --from "
                         f"({fr.day(first, year=True)}).")
    return services.stats.period(PeriodKind.PLAGE, first, last)


def _day(option: str, text: str, today: date) -> date:
    from guichet.domain.days import parse_day
    from guichet.errors import InvalidInput

    try:
        return parse_day(text, today)
    except InvalidInput as exc:
        raise UsageError(f"{option} : {exc}") from None


# -- the text report ------------------------------------------------------------------------------


def _definition(key: str) -> list[str]:
    """What the block counts, under it: « » Personnes reçues : un accueil par personne, … »."""
    from guichet.domain.stats import DEFINITIONS

    glued = DEFINITIONS[key].replace("« ", "«\xa0").replace(" »", "\xa0»")  # a quote is never cut
    lines = textwrap.wrap(glued, WIDTH, initial_indent="  » ", subsequent_indent="    ")
    return [line.replace("\xa0", " ") for line in lines]


def _bar() -> str:
    """A full block where the terminal's encoding has it (a Windows redirect may not): ``#`` otherwise."""
    try:
        "█".encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return "#"
    return "█"


def _table(counts: tuple[Count, ...]) -> list[str]:
    """One line a count: the label (cut at 64 characters), the count at the right edge."""
    return [f"  {c.label if len(c.label) <= 64 else c.label[:63] + '…':<66}{c.count:>8}" for c in counts]


def _flow(title: str, counts: list[tuple[str, int]], indent: str = "  ") -> list[str]:
    """« title : label 2 · label 1 … » on as many lines as needed, never cutting a label from its count."""
    lines, line = [], f"{indent}{title}"
    for n, (label, count) in enumerate(counts):
        item = f"{label} {count}"
        glue = "" if n == 0 else " · "
        if n and len(line) + len(glue) + len(item) > WIDTH - 2:  # room left for the « ·» of a break
            lines.append(line + " ·")
            line, glue = indent + "  ", ""
        line += glue + item
    return [*lines, line]


def text_report(stats: Statistics) -> list[str]:
    """The statistics as lines for a terminal of 80 columns, in French."""
    from guichet.domain.models import Channel, Kind, Status
    from guichet.domain.stats import percent

    period = stats.period.label
    lines = [f"Statistiques de l'accueil — {stats.agency_label}",
             f"{period[0].upper()}{period[1:]}.",
             f"Calculées le {fr.day_time(stats.computed_at, year=True)}.", ""]
    lines += _passages(stats)
    a = stats.appointments
    lines.append(f"Rendez-vous : {a.total} ; taux d'absence : {percent(a.noshow_rate)}")
    lines += _flow("", [(s.label, a.by_status.get(s.value, 0)) for s in Status])
    for line in a.lines:
        lines.append(f"  - {Kind(line.kind).label} {Channel(line.channel).label} : {line.total} ; "
                     f"taux d'absence : {percent(line.noshow_rate)}")
        lines += _flow("", [(s.label, n) for s in Status if (n := line.by_status.get(s.value, 0))], "      ")
    lines += [*_definition("appointments"), ""]
    h = stats.handoffs
    late = ""
    if h.overdue:
        shown = ", ".join(str(i) for i in h.overdue[:10]) + (", …" if len(h.overdue) > 10 else "")
        late = f" (n° {shown})"
    lines.append(f"Passages de relais : {h.total}, dont URGENCE DEFINIE : {h.urgent} ; "
                 f"en retard : {len(h.overdue)}{late}")
    for title, counts in (("Par statut", h.by_status), ("Par événement", h.by_life_event),
                          ("Par destinataire", h.by_destination)):
        if counts:
            lines += _flow(f"{title} : ", [(c.label, c.count) for c in counts])
    lines += _definition("handoffs")
    return lines


def _passages(stats: Statistics) -> list[str]:
    from guichet.domain.passage import PassageChannel
    from guichet.domain.stats import duration_text, one_decimal

    p = stats.passages
    channels = ", ".join(f"{c.label} {p.by_channel.get(c, 0)}" for c in PassageChannel)
    lines = [f"Personnes reçues : {p.total} ({channels})"]
    if p.still_open:
        lines.append(f"  dont {p.still_open} accueil{'s' if p.still_open > 1 else ''} encore ouvert"
                     f"{'s' if p.still_open > 1 else ''}")
    busiest, average = p.busiest, p.per_half_day
    if busiest is not None and average is not None:
        lines += [f"  en moyenne {one_decimal(average)} par demi-journée travaillée",
                  f"  la plus chargée : {busiest.label} ({busiest.total})"]
    lines += [*_definition("passages"), ""]
    lines.append("Par demi-journée")
    if p.half_days:
        top, block = max(h.total for h in p.half_days), _bar()
        lines.append(f"  {'':<22}{'total':>6}{'guichet':>9}{'téléphone':>11}")
        for h in p.half_days:
            bar = block * max(1, round(h.total * BAR_WIDTH / top)) if h.total else ""
            lines.append(f"  {h.label:<22}{h.total:>6}{h.guichet:>9}{h.telephone:>11}  {bar}".rstrip())
    else:
        lines.append("  Personne n'a été reçu sur la période.")
    lines += [*_definition("half_days"), ""]
    lines.append("Issues")
    lines += _table(p.outcomes) or ["  aucune"]
    lines += [*_definition("outcomes"), ""]
    lines.append("Services consultés (les plus fréquents)")
    lines += _table(p.top_services) or ["  aucun"]
    lines += [*_definition("top_services"), ""]
    lines.append(f"Durée médiane : {duration_text(p.median_seconds)} ({p.timed} accueil"
                 f"{'s' if p.timed > 1 else ''} terminé{'s' if p.timed > 1 else ''})")
    lines += [*_definition("median"), ""]
    return lines
