"""The header: this counter's agency, the people received this half-day (the reception log), the
(injected) clock and where the data live."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from guichet.domain import fr
from guichet.services import Services


class CounterHeader(Horizontal):
    """One line: ``guichet · Nanterre`` on the left (``au tél. │ Nanterre`` while the person is received on
    the phone: Ctrl+T); right, ``reçus 3 ici · 41 agence · lun. 23/11 12:10 · base locale``."""

    DEFAULT_CSS = """
    CounterHeader {
        dock: top;
        height: 1;
        background: $primary;
        color: $text;
    }
    CounterHeader > #header-title { width: 1fr; padding: 0 1; text-style: bold; }
    CounterHeader > #header-status { width: auto; padding: 0 1; }
    CounterHeader > #header-phone { width: auto; padding: 0 1; background: $accent; color: $text; display: none; }
    CounterHeader.-phone > #header-phone { display: block; }
    CounterHeader.-db-down > #header-status { background: $error; }
    """

    moment: reactive[datetime | None] = reactive(None)
    agency_name: reactive[str] = reactive("")
    database: reactive[str] = reactive("base locale")
    received: reactive[str] = reactive("")  # « reçus 3 ici · 41 agence », once the log has answered

    def __init__(
        self, clock: Callable[[], datetime], agency_name: str = "", database: str = "base locale"
    ) -> None:
        super().__init__()
        self._clock = clock
        # Set without watchers: the lines they fill are composed later (on_mount shows them). The
        # app may set them again at any time, even before that: the database check every few seconds.
        self.set_reactive(CounterHeader.agency_name, agency_name)
        self.set_reactive(CounterHeader.database, database)

    def on_mount(self) -> None:
        dress = getattr(self.app, "dress_header", None)  # the reception log's figures (ui/reception.py)
        if callable(dress):
            dress(self)
        self.watch_agency_name(self.agency_name)
        self.tick()
        self._status()
        self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        """Re-read the clock (the minute shown changes at most once a minute)."""
        now = self._clock()
        if self.moment is None or (now.hour, now.minute) != (self.moment.hour, self.moment.minute):
            self.moment = now

    def compose(self) -> ComposeResult:
        yield Static("au tél.", id="header-phone")
        yield Static("guichet", id="header-title")
        yield Static("", id="header-status")

    def watch_agency_name(self, name: str) -> None:
        title = name or "agence non choisie"
        if not self.has_class("-phone"):  # on the phone, « au tél. » takes the product's name's place
            title = f"guichet · {title}"
        for line in self.query("#header-title").results(Static):  # none yet before compose: on_mount shows it
            line.update(Content(title))  # a name from a data file: literally

    def _status(self) -> None:
        when = f"{fr.short_day(self.moment)} {fr.hhmm(self.moment)}" if self.moment else ""
        # While the database does not answer, the figures cannot be read again: left out, not shown stale.
        received = "" if self.has_class("-db-down") else self.received
        parts = [part for part in (received, when, self.database) if part]
        for line in self.query("#header-status").results(Static):  # none yet before compose: on_mount shows it
            line.update(Content(" · ".join(parts)))

    def watch_received(self, _received: str) -> None:
        self._status()

    def show_channel(self, phone: bool) -> None:
        """« au tél. » before the figures while the person is received on the phone (Ctrl+T)."""
        if phone != self.has_class("-phone"):
            self.set_class(phone, "-phone")
            self.watch_agency_name(self.agency_name)

    def watch_moment(self, _moment: datetime | None) -> None:
        self._status()

    def watch_database(self, _database: str) -> None:
        self._status()


def header_for(services: Services) -> CounterHeader:
    """The header of a screen, fed by ``services``."""
    home = services.home_agency
    database = "base partagée" if services.is_shared_database else "base locale"
    return CounterHeader(services.now, home.name if home else "", database)
