"""The API that the UI, the CLI and the demo call: catalog, clock, rules and storage together.

Built by :func:`make_services`, the one factory that the CLI, the app and the tests share. The
use cases live in their own modules (``appointments``, ``handoffs``, ``retention``), each built
on the shared :class:`~guichet.services.context.Context`, never on this class. The database is
opened lazily, on the first call that needs it, so that commands and screens that only read the
catalog never pay for SQLAlchemy.
"""

from __future__ import annotations

import functools
import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from guichet import logs
from guichet.catalog import load_catalog
from guichet.domain.clock import Clock, FixedClock, SystemClock, to_paris
from guichet.domain.models import Agency, Catalog, Service
from guichet.domain.orientation import Advice, Answers, orient
from guichet.errors import GuichetError
from guichet.services.context import Context
from guichet.settings import Settings

if TYPE_CHECKING:
    from guichet.domain.hours import WalkInStatus
    from guichet.domain.search import Hit, Index, Lookup
    from guichet.services.appointments import Appointments
    from guichet.services.handoffs import Handoffs
    from guichet.services.passages import Passages
    from guichet.services.retention import Retention
    from guichet.services.stats import Stats
    from guichet.store.engine import Engine


class Services:
    """Everything a front end needs, around one catalog, one clock and one database."""

    def __init__(self, settings: Settings, catalog: Catalog, clock: Clock) -> None:
        self.context = Context(settings, catalog, clock, _os_login())
        self._index: Index | None = None
        self._index_lock = threading.Lock()
        self._popular: tuple[int, ...] | None = None

    # -- what the context holds ------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        return self.context.settings

    @settings.setter
    def settings(self, settings: Settings) -> None:
        self.context.settings = settings

    @property
    def catalog(self) -> Catalog:
        return self.context.catalog

    @property
    def clock(self) -> Clock:
        return self.context.clock

    @property
    def agent(self) -> str:
        return self.context.agent

    @property
    def notice(self) -> timedelta:
        return self.context.notice

    @property
    def horizon(self) -> timedelta:
        return self.context.horizon

    def now(self) -> datetime:
        return self.context.now()

    @property
    def agencies(self) -> tuple[Agency, ...]:
        return self.context.catalog.agencies

    @property
    def home_agency(self) -> Agency | None:
        """The workstation's agency, from the settings (None when not set or unknown)."""
        return self.context.home_agency

    def agencies_counter_first(self) -> list[Agency]:
        """The agencies as the agent goes through them (F7, the day sheet's chooser): this
        counter's agency first, then the others alphabetically (accents ignored)."""
        from guichet.domain.words import fold

        home = self.home_agency
        others = sorted((a for a in self.agencies if home is None or a.id != home.id),
                        key=lambda a: (fold(a.name), a.id))
        return [home, *others] if home is not None else others

    def agency(self, agency_id: str) -> Agency:
        """The agency ``agency_id``; :class:`InvalidInput` naming the known ids otherwise."""
        return self.context.agency(agency_id)

    def service(self, service_id: str) -> Service:
        """The service ``service_id``; :class:`InvalidInput` otherwise."""
        return self.context.service(service_id)

    def walk_in(self, agency_id: str | None = None, at: datetime | None = None) -> list[WalkInStatus]:
        """Walk-in status of one agency, or of all of them, at ``at`` (default: now)."""
        from guichet.domain.hours import walk_in_status

        instant = to_paris(at) if at is not None else self.now()
        agencies = [self.agency(agency_id)] if agency_id else list(self.agencies)
        return [walk_in_status(agency, instant) for agency in agencies]

    # -- the use cases (imported on first use: opening hours and slots are not start-up work) ----
    @functools.cached_property
    def appointments(self) -> Appointments:
        """Slots, bookings, check-in, the day sheet."""
        from guichet.services.appointments import Appointments

        return Appointments(self.context)

    @functools.cached_property
    def handoffs(self) -> Handoffs:
        """Handoffs to a social worker and their follow-up."""
        from guichet.services.handoffs import Handoffs

        return Handoffs(self.context)

    @functools.cached_property
    def passages(self) -> Passages:
        """This counter's reception log: one passage per person received (no personal data)."""
        from guichet.services.passages import Passages

        return Passages(self.context)

    @functools.cached_property
    def stats(self) -> Stats:
        """The agency's statistics: passages, appointments, handoffs over a period."""
        from guichet.services.stats import Stats

        return Stats(self.context)

    @functools.cached_property
    def retention(self) -> Retention:
        """The purge and the right of access."""
        from guichet.services.retention import Retention

        return Retention(self.context)

    # -- search and orientation ------------------------------------------------------------
    @property
    def index(self) -> Index:
        """The search index, built once on first use (the UI builds it after the first paint)."""
        if self._index is None:
            with self._index_lock:
                if self._index is None:
                    from guichet.domain.search import Index

                    self._index = Index(self.catalog.services)
        return self._index

    def search(self, text: str, limit: int = 10) -> list[Hit]:
        """The best ``limit`` services for ``text``; the most common ones for an empty text.

        An empty text needs no index, so the first screen paints before the index is built.
        """
        if not text.strip() and self._index is None:
            from guichet.domain.search import popular, popularity_order

            if self._popular is None:
                self._popular = popularity_order(self.catalog.services)
            return popular(self.catalog.services, limit, self._popular)
        return self.index.search(text, limit)

    def lookup(self, text: str, limit: int = 10) -> Lookup:
        """Like :meth:`search`, but says when nothing matches well: ``hits`` empty, and the
        closest themes in ``nearby`` ("Rien ne correspond bien ; thèmes proches : …")."""
        if not text.strip() and self._index is None:
            from guichet.domain.search import Lookup

            return Lookup(tuple(self.search(text, limit)))
        return self.index.lookup(text, limit)

    def warm_up(self) -> bool:
        """After the first paint, off the UI thread: build the index, open the database.

        Returns whether the database answers.
        """
        self.index.search("a", 1)  # builds the index and imports rapidfuzz
        return self.ping()

    def advise(self, service: Service, answers: Answers | None = None) -> Advice:
        """The orientation card's verdict for ``service``."""
        return orient(service, answers, self.catalog.perimeter)

    # -- storage -----------------------------------------------------------------------
    @property
    def is_shared_database(self) -> bool:
        return self.context.is_shared_database

    @property
    def engine(self) -> Engine:
        """The database engine, created (and the schema checked) on first use."""
        return self.context.engine

    def ping(self) -> bool:
        """Whether the database answers (opens it, and creates the schema, on first use)."""
        from guichet.store.engine import ping

        try:
            return ping(self.context.engine)
        except GuichetError:  # cannot be opened as configured: "cannot be reached" for the header
            return False
        except Exception as exc:  # a bug: the header says "injoignable", the log says why
            logs.unexpected(logs.get("services"), exc, "the database check")
            return False

    def close(self) -> None:
        self.context.close()


def _os_login() -> str:
    """The agent's OS login (who booked), bounded; ``agent`` if the OS will not tell."""
    import getpass  # here: only a booking needs it

    try:
        login = getpass.getuser() or ""
    except (OSError, KeyError, ImportError):
        login = ""
    # From the environment (LOGNAME, USER…): a terminal escape in it would be printed as is later.
    login = "".join(c for c in login if c.isprintable()).strip()[:64]
    return login or "agent"


def make_clock(settings: Settings) -> Clock:
    return FixedClock(settings.now) if settings.now is not None else SystemClock()


def make_services(settings: Settings, *, clock: Clock | None = None) -> Services:
    """Load the catalog (raises ``DataError``) and assemble the services."""
    catalog = load_catalog(settings.data_override_dir, must_exist=settings.data_dir is not None,
                           cache_dir=settings.paths.data_dir / "cache")
    return Services(settings, catalog, clock or make_clock(settings))
