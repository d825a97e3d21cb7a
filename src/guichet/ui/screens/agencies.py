"""Agences: every agency's live walk-in status, today's hours and next opening."""

from __future__ import annotations

import re
from datetime import timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from guichet.domain import fr
from guichet.domain.hours import WalkInStatus, describe, open_ranges, week_summary
from guichet.domain.models import Agency
from guichet.services import Services
from guichet.ui.screens.fresh import FreshStart
from guichet.ui.widgets.counter_header import header_for
from guichet.ui.widgets.keystrip import KeyStrip
from guichet.ui.widgets.rowlist import Column, RowList, fit_widths

REFRESH_SECONDS = 60.0
FRESH_FOR = timedelta(seconds=1)  # statuses computed this recently are the present's (shown as they are)
HEADERS = (Column("Agence", 6), Column("Accueil sans rendez-vous", 24), Column("Aujourd'hui", 11))
TITLE_HINT = "↑↓ agence · Page suiv./préc. : détail · Tab"
_SOURCE = re.compile(r"\s*\([^()]*\.txt[^()]*\)")


def _heading(text: str) -> Content:
    return Content.from_markup("[b]$text[/b]", text=text)


POSTAL_LABEL = "Adresse postale (courrier)"


def address_line(agency: Agency) -> str:
    """Where the public is received, or that the sources do not give it."""
    return f"Accueil : {agency.address}" if agency.address else "Adresse de l'accueil non précisée dans les sources"


def agency_detail(agency: Agency, status: WalkInStatus) -> Content:
    """The detail text of one agency: address, the week's walk-in hours, appointments.

    Names, addresses, reasons and notes come from the data files: shown literally, never as markup."""
    lines: list[Content | str] = [_heading(agency.name), address_line(agency)]
    if agency.postal_address:
        lines.append(f"{POSTAL_LABEL} : {agency.postal_address} (pas un lieu d'accueil)")
    if agency.walk_in_volume:
        lines.append(f"Environ {agency.walk_in_volume} personnes par demi-journée sans rendez-vous.")
    lines.append("")
    lines.append(_heading("Accueil sans rendez-vous, 7 prochains jours"))
    if agency.walk_in is None:
        lines.append("  pas d'accueil sans rendez-vous")
    else:
        start = status.at.date()
        for offset in range(7):
            day = start + timedelta(days=offset)
            spans = open_ranges(agency.walk_in, agency.closures, day)
            lines.append(f"  {fr.day(day):<22} {fr.ranges(spans)}")
    lines.append("")
    lines.append(_heading("Rendez-vous"))
    for sched in agency.schedules:
        when = week_summary(sched.opening_hours, agency.closures, status.at.date())
        lines.append(f"  {sched.kind.label} {sched.channel.label} : {when}")
    if agency.closures:
        lines.append("")
        lines.append(_heading("Fermetures exceptionnelles"))
        for closure in agency.closures:
            span = fr.day(closure.start, year=True)
            if closure.end != closure.start:
                span += f" → {fr.day(closure.end, year=True)}"
            lines.append(f"  {span} : {closure.reason}")
    if agency.notes:
        lines.append("")
        lines.append(_heading("À savoir"))
        # The notes name their source file for the data's maintainers; the agent needs the fact only.
        lines.extend(f"  {_SOURCE.sub('', note)}" for note in agency.notes)
    return Content("\n").join(lines)


class AgenciesScreen(FreshStart, Screen[None]):
    """The four agencies with their live walk-in status, refreshed every minute."""

    CSS_PATH = "agencies.tcss"

    BINDINGS = [
        Binding("escape", "app.back", "Retour", id="agencies.back"),
        Binding("r", "refresh", "Actualiser", id="agencies.refresh"),
        # The detail goes below the fold at 80×24: Page suiv./préc. scroll it wherever the focus is
        # (the table's own paging is useless with four agencies); Tab gives it ↑ ↓ Début Fin too.
        Binding("pagedown", "detail_page(1)", "Descendre dans le détail", id="agencies.scroll_down", show=False,
                priority=True),
        Binding("pageup", "detail_page(-1)", "Remonter dans le détail", id="agencies.scroll_up", show=False,
                priority=True),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.statuses: list[WalkInStatus] = []
        self._detail_shown: Content | None = None
        self._detail_agency: str | None = None
        self._detail_status: WalkInStatus | None = None  # the status whose detail is shown (one refresh's)

    def compose(self) -> ComposeResult:
        yield header_for(self.services)
        with Vertical(id="agencies-body"):
            title = Content.from_markup("Accueil sans rendez-vous  [not bold $text-muted]$hint[/]", hint=TITLE_HINT)
            yield Static(title, id="agencies-title", classes="screen-title")
            yield RowList(HEADERS, id="agencies-table")
            with VerticalScroll(id="agency-detail-pane"):
                yield Static("", id="agency-detail")
        yield KeyStrip()

    def on_mount(self) -> None:
        self.refresh_statuses()
        self.set_interval(REFRESH_SECONDS, self.refresh_statuses)
        self.query_one(RowList).focus()

    def on_screen_resume(self) -> None:
        """Shown (made ahead a while ago, or back from a dialog): the statuses as of now, unless they
        are (the screen was just made)."""
        if not self.statuses or self.services.clock.now() - self.statuses[0].at >= FRESH_FOR:
            self.refresh_statuses()

    def action_detail_page(self, step: int) -> None:
        pane = self.query_one("#agency-detail-pane", VerticalScroll)
        pane.scroll_relative(y=step * max(1, pane.scrollable_content_region.height - 1), animate=False)

    def action_refresh(self) -> None:
        self.refresh_statuses()

    def refresh_statuses(self) -> None:
        """Recompute every status from the clock (pure and fast: no worker needed)."""
        self.statuses = self.services.walk_in()
        home = self.services.home_agency
        rows = [(status.agency.name + (" ★" if home and home.id == status.agency.id else ""),
                 ("● " if status.is_open else "○ ") + describe(status),
                 fr.short_ranges(status.today) if status.has_walk_in else "—")
                for status in self.statuses]
        table = self.query_one(RowList)
        table.set_columns(fit_widths(HEADERS, rows))  # each column as wide as its longest cell
        table.set_rows(rows)
        self._show_detail()

    @on(RowList.Highlighted, "#agencies-table")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        table = self.query_one(RowList)
        if not self.statuses or table.cursor_row < 0:
            return
        status = self.statuses[min(table.cursor_row, len(self.statuses) - 1)]
        if status is self._detail_status:  # the table's first highlight, right after the refresh that showed it
            return
        self._detail_status = status
        detail = agency_detail(status.agency, status)
        shown = self.query_one("#agency-detail", Static)
        if detail != self._detail_shown:  # the minute's refresh keeps the agent's scrolling
            if self._detail_agency != status.agency.id:  # another agency: its detail from the top
                self.query_one("#agency-detail-pane", VerticalScroll).scroll_to(y=0, animate=False)
            self._detail_shown, self._detail_agency = detail, status.agency.id
            shown.update(detail)
