"""Statistiques de l'accueil (F12): people received, appointments and handoffs of one agency (or all)
over a period, each figure with what it counts.

This counter's agency first (all agencies when none is set); F7 goes through the others and « toutes
les agences ». The period: `j` today, `s` this week, `m` this month, `d` two days typed (the day
sheet's words: « 24/11 », « hier »…), ← → the period before or after. The figures are computed in a
read worker (« Calcul… » meanwhile), again every minute while the screen is shown (other counters
receive people too) and with `r`. A failed computation says so in French and keeps the figures shown.
The text itself is built in ``stats_view.py``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from guichet.domain import fr
from guichet.domain.stats import Period, PeriodKind, Statistics
from guichet.errors import InvalidInput
from guichet.services import Services
from guichet.ui.messages import WorkerFailed
from guichet.ui.screens.fresh import FreshStart
from guichet.ui.screens.stats_view import render
from guichet.ui.widgets.counter_header import header_for
from guichet.ui.widgets.keystrip import KeyStrip
from guichet.ui.workers import READ, deliver, report

REFRESH_SECONDS = 60.0
ALL = "toutes les agences"
COMPUTING = "Calcul…"


def _month(day: date, step: int) -> date:
    """The first of the month ``step`` months from ``day``'s."""
    index = day.year * 12 + day.month - 1 + step
    return date(index // 12, index % 12 + 1, 1)


def shifted(period: Period, kind: PeriodKind, step: int, today: date) -> Period:
    """The period ``step`` lengths before (negative) or after ``period``, chosen as ``kind``: a day, a
    week (Monday to Sunday), a calendar month, or a range of the same length. It keeps its name
    (« aujourd'hui »…) only when it is the one around today."""
    if kind is PeriodKind.SEMAINE:
        moved = Period.of(PeriodKind.SEMAINE, period.first + timedelta(days=7 * step))
    elif kind is PeriodKind.MOIS:
        moved = Period.of(PeriodKind.MOIS, _month(period.first, step))
    else:
        length = timedelta(days=period.days * step)
        moved = Period(period.first + length, period.last + length)
    current = Period.of(kind, today) if kind is not PeriodKind.PLAGE else None
    same = current is not None and (current.first, current.last) == (moved.first, moved.last)
    return replace(moved, kind=kind if same else PeriodKind.PLAGE)


class StatsScreen(FreshStart, Screen[None]):
    """The agency's statistics over a period, refreshed every minute."""

    CSS_PATH = "stats.tcss"

    BINDINGS = [
        Binding("escape", "app.back", "Retour", id="stats.back"),
        Binding("j", "period('jour')", "Aujourd'hui", id="stats.today"),
        Binding("s", "period('semaine')", "Semaine", id="stats.week"),
        Binding("m", "period('mois')", "Mois", id="stats.month"),
        Binding("d", "pick_range", "Dates", id="stats.range"),
        Binding("f7", "next_agency", "Agence", id="stats.agency"),
        Binding("r", "refresh", "Actualiser", id="stats.refresh"),
        Binding("left", "shift(-1)", "Période précédente", id="stats.previous", show=False),
        Binding("right", "shift(1)", "Période suivante", id="stats.next", show=False),
        Binding("l", "legends", "Définitions (afficher, masquer)", id="stats.legends", show=False),
        # Page suiv./préc. scroll the figures wherever the focus is (↑ ↓ Début Fin too: the pane has it).
        Binding("pagedown", "page(1)", "Descendre", id="stats.page_down", show=False, priority=True),
        Binding("pageup", "page(-1)", "Remonter", id="stats.page_up", show=False, priority=True),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        home = services.home_agency
        self.agency_id: str | None = home.id if home else None
        self.kind = PeriodKind.JOUR
        self.period: Period = services.stats.period(PeriodKind.JOUR)
        self.stats: Statistics | None = None
        self.legends = True
        self.computing = False
        self.failed: Content | None = None

    def compose(self) -> ComposeResult:
        yield header_for(self.services)
        with Vertical(id="stats-body"):
            yield Static("", id="stats-title", classes="screen-title")
            yield Static("", id="stats-period")
            yield Static("", id="stats-status")
            with VerticalScroll(id="stats-pane"):
                yield Static("", id="stats-figures")
        yield KeyStrip()

    def on_mount(self) -> None:
        self.set_interval(REFRESH_SECONDS, self._tick)
        self.query_one("#stats-pane").focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.stats is not None:
            self.reload()  # back from F1 or another screen: the figures of now

    def _tick(self) -> None:
        if self.is_current:  # hidden under a dialog: the next showing reloads anyway
            if self.period.kind is not PeriodKind.PLAGE:  # « aujourd'hui » past midnight is the new day
                self.period = self.services.stats.period(self.period.kind)
            self.reload()

    # -- reading ---------------------------------------------------------------------------------------
    @property
    def agency_label(self) -> str:
        return self.services.agency(self.agency_id).name if self.agency_id is not None else ALL

    def reload(self) -> None:
        self._show_title()
        self.computing = True
        self.failed = None
        self._show_status()
        self._compute(self.agency_id, self.period)

    @work(thread=True, exclusive=True, group=READ)
    def _compute(self, agency_id: str | None, period: Period) -> None:
        try:
            stats = self.services.stats.compute(agency_id, period)
        except Exception as exc:  # told to the screen as a WorkerFailed
            report(self, exc, write=False)
        else:
            deliver(self.app, self._show, stats)

    def _show(self, stats: Statistics) -> None:
        self.stats = stats
        self.computing = False
        self._show_figures()
        self._show_status()

    def on_worker_failed(self, event: WorkerFailed) -> None:
        """A failed computation is told; the figures shown before stay, with their time."""
        self.computing = False
        self.failed = event.content
        self._show_status()

    def _show_title(self) -> None:
        home = self.services.home_agency
        warn = ""
        if home is not None and self.agency_id != home.id:
            warn = f" (ce guichet : {home.name})"
        title = f"Statistiques de l'accueil — {self.agency_label}{warn}"
        self.query_one("#stats-title", Static).update(Content(title))  # agency names from a data file
        self.query_one("#stats-period", Static).update(Content(f"Période : {self.period.label}"))

    def _show_status(self) -> None:
        status = self.query_one("#stats-status", Static)
        shown = self.stats
        if self.failed is not None:  # the figures below may be of another period or agency: say which
            below = "" if shown is None else (f" Chiffres ci-dessous : {shown.agency_label}, {shown.period.label} "
                                              f"(calculés à {fr.hhmm(shown.computed_at)}).")
            status.update(Content.assemble(self.failed, below))  # an agency's name: literally
        elif self.computing:
            status.update(Content.styled(COMPUTING, "bold"))
        elif shown is not None:
            status.update(Content.styled(f"Calculé à {fr.hhmm(shown.computed_at)}, actualisé chaque minute · "
                                         "← → période voisine · l définitions", "$text-muted"))

    def _show_figures(self) -> None:
        if self.stats is None:
            return
        # The pane's width less its padding and its scrollbar (there or not: the bars do not jump).
        width = (self.query_one("#stats-pane").region.width or self.size.width) - 3
        self.query_one("#stats-figures", Static).update(render(self.stats, width=width, legends=self.legends))

    def on_resize(self) -> None:
        self._show_figures()

    # -- the keys --------------------------------------------------------------------------------------
    def action_period(self, kind: str) -> None:
        self.kind = PeriodKind(kind)
        self.period = self.services.stats.period(self.kind)
        self.reload()

    def action_shift(self, step: int) -> None:
        try:
            self.period = shifted(self.period, self.kind, step, self.services.now().date())
        except (InvalidInput, OverflowError, ValueError):
            self.notify("Pas de période au-delà.", severity="warning", markup=False)
            return
        self.reload()

    def action_pick_range(self) -> None:
        def chosen(period: Period | None) -> None:
            if period is not None:
                self.kind = PeriodKind.PLAGE
                self.period = period
                self.reload()

        self.app.push_screen(RangePromptScreen(self.services.now().date(), self.period), chosen)

    def action_next_agency(self) -> None:
        order: list[str | None] = [a.id for a in self.services.agencies_counter_first()]
        order.append(None)  # toutes les agences
        current = order.index(self.agency_id) if self.agency_id in order else -1
        self.agency_id = order[(current + 1) % len(order)]
        self.reload()

    def action_refresh(self) -> None:
        self.reload()

    def action_legends(self) -> None:
        self.legends = not self.legends
        self._show_figures()

    def action_page(self, step: int) -> None:
        pane = self.query_one("#stats-pane", VerticalScroll)
        pane.scroll_page_down() if step > 0 else pane.scroll_page_up()


class RangePromptScreen(ModalScreen[Period | None]):
    """Two days, « du » and « au » (« au » empty: that day alone). Entrée in « du » goes to « au »;
    Entrée in « au » shows the period, or says in French why not and stays open, with what was typed;
    Échap leaves and the period shown stays."""

    BINDINGS = [
        Binding("escape", "leave", "Retour", id="stats_range.cancel"),
        # A priority binding, not Input.Submitted: the focus moves while the key is handled, so that the
        # next keys, typed ahead, wait for it and land in « au » (ui/typeahead.py).
        Binding("enter", "submit", "Suivant, puis afficher", id="stats_range.submit", show=False, priority=True),
    ]

    def __init__(self, today: date, period: Period) -> None:
        super().__init__()
        self.today = today
        self.period = period

    def compose(self) -> ComposeResult:
        with Vertical(id="range-prompt", classes="dialog"):
            yield Static("Statistiques de quelles dates ?", classes="screen-title")
            with Horizontal(classes="field-row"):
                yield Static("Du", classes="field-label")
                yield Input(self._typed(self.period.first), placeholder="jj/mm", id="range-first")
            with Horizontal(classes="field-row"):
                yield Static("Au (inclus)", classes="field-label")
                yield Input(self._typed(self.period.last), placeholder="jj/mm", id="range-last")
            yield Static("Par exemple : 01/11, 15/11/2026, hier.\n« Au » vide : ce jour-là seulement.\n"
                         "Entrée : vers « au », puis afficher · Échap : annuler", id="range-help")
            yield Static("", id="range-error")

    @staticmethod
    def _typed(day: date) -> str:
        return f"{day.day:02d}/{day.month:02d}/{day.year}"

    def on_mount(self) -> None:
        first = self.query_one("#range-first", Input)
        first.focus()
        first.select_all()

    def _day(self, field: str, default: date | None = None) -> date:
        from guichet.domain.days import parse_day

        text = self.query_one(field, Input).value
        if default is not None and not text.strip():
            return default
        return parse_day(text, self.today)

    def action_submit(self) -> None:
        error = self.query_one("#range-error", Static)
        try:
            first = self._day("#range-first")
            if self.focused is self.query_one("#range-first", Input):
                error.update("")
                self.query_one("#range-last", Input).focus()
                return
            period = Period(first, self._day("#range-last", default=first))
        except InvalidInput as exc:  # quotes what was typed: shown literally
            error.update(Content(str(exc)))
            return
        self.dismiss(period)

    def action_leave(self) -> None:
        self.dismiss(None)
