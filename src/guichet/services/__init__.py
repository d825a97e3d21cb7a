"""The API that the UI, the CLI and the demo call: catalog, clock, rules and storage together.

Built by :func:`make_services`, the one factory that the CLI, the app and the tests share.
The database is opened lazily, on the first call that needs it, so that commands and screens
that only read the catalog never pay for SQLAlchemy.
"""

from __future__ import annotations

import functools
import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from guichet.catalog import load_catalog
from guichet.domain.clock import Clock, FixedClock, SystemClock, to_paris
from guichet.domain.models import Agency, Catalog, Service
from guichet.domain.orientation import Advice, Answers, orient
from guichet.errors import InvalidInput
from guichet.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from guichet.domain.hours import WalkInStatus
    from guichet.domain.search import Hit, Index
    from guichet.services.appointments import Booking
    from guichet.services.handoffs import Handoffs


class Services:
    """Everything a front end needs, around one catalog, one clock and one database."""

    def __init__(self, settings: Settings, catalog: Catalog, clock: Clock) -> None:
        self.settings = settings
        self.catalog = catalog
        self.clock = clock
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()
        self._index: Index | None = None
        self._index_lock = threading.Lock()
        self.notice = timedelta(minutes=settings.notice_minutes)
        self.horizon = timedelta(weeks=settings.horizon_weeks)
        self.agent = _os_login()
        self._popular: tuple[int, ...] | None = None

    # -- time and agencies -------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock.now()

    @property
    def agencies(self) -> tuple[Agency, ...]:
        return self.catalog.agencies

    @property
    def home_agency(self) -> Agency | None:
        """The workstation's agency, from the settings (None when not set or unknown)."""
        return self.catalog.agency(self.settings.agency) if self.settings.agency else None

    def agency(self, agency_id: str) -> Agency:
        """The agency ``agency_id``; :class:`InvalidInput` naming the known ids otherwise."""
        found = self.catalog.agency(agency_id)
        if found is None:
            known = ", ".join(a.id for a in self.catalog.agencies)
            raise InvalidInput(f"Agence inconnue : « {agency_id} » (agences : {known}).")
        return found

    def walk_in(self, agency_id: str | None = None, at: datetime | None = None) -> list[WalkInStatus]:
        """Walk-in status of one agency, or of all of them, at ``at`` (default: now)."""
        from guichet.domain.hours import walk_in_status

        instant = to_paris(at) if at is not None else self.now()
        agencies = [self.agency(agency_id)] if agency_id else list(self.catalog.agencies)
        return [walk_in_status(agency, instant) for agency in agencies]

    @functools.cached_property
    def booking(self) -> Booking:
        """Appointments (imported on first use: opening hours and slots are not start-up work)."""
        from guichet.services.appointments import Booking

        return Booking(self)

    @functools.cached_property
    def handoffs(self) -> Handoffs:
        """Handoffs to a social worker (imported on first use)."""
        from guichet.services.handoffs import Handoffs

        return Handoffs(self)

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

    def warm_up(self) -> bool:
        """After the first paint, off the UI thread: build the index, open the database.

        Returns whether the database answers.
        """
        self.index.search("a", 1)  # builds the index and imports rapidfuzz
        return self.ping()

    def service(self, service_id: str) -> Service:
        """The service ``service_id``; :class:`InvalidInput` otherwise."""
        found = self.catalog.service(service_id)
        if found is None:
            raise InvalidInput(f"Service inconnu : « {service_id} ».")
        return found

    def advise(self, service: Service, answers: Answers | None = None) -> Advice:
        """The orientation card's verdict for ``service``."""
        return orient(service, answers)

    # -- storage -----------------------------------------------------------------------
    @property
    def is_shared_database(self) -> bool:
        return bool(self.settings.database_url) and not self.settings.effective_database_url.startswith(
            "sqlite"
        )

    @property
    def engine(self) -> Engine:
        """The database engine, created (and the schema checked) on first use."""
        with self._engine_lock:
            if self._engine is None:
                from guichet.store.engine import make_engine
                from guichet.store.schema import init_schema

                engine = make_engine(self.settings.effective_database_url)
                # A shared server is upgraded by its administrator, never by one counter.
                init_schema(engine, self.now(), auto_upgrade=not self.is_shared_database)
                self._engine = engine
            return self._engine

    def ping(self) -> bool:
        """Whether the database answers (opens it, and creates the schema, on first use)."""
        try:
            from sqlalchemy import text

            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:  # any failure means "cannot be reached" for the header
            return False
        return True

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def _os_login() -> str:
    """The agent's OS login (who booked), bounded; ``agent`` if the OS will not tell."""
    import getpass  # here: only a booking needs it

    try:
        return (getpass.getuser() or "agent")[:64]
    except (OSError, KeyError, ImportError):
        return "agent"


def make_clock(settings: Settings) -> Clock:
    return FixedClock(settings.now) if settings.now is not None else SystemClock()


def make_services(settings: Settings, *, clock: Clock | None = None) -> Services:
    """Load the catalog (raises ``DataError``) and assemble the services."""
    catalog = load_catalog(settings.data_override_dir, must_exist=settings.data_dir is not None,
                           cache_dir=settings.paths.data_dir / "cache")
    return Services(settings, catalog, clock or make_clock(settings))
