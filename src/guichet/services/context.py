"""What every use case needs, handed down by :class:`guichet.services.Services`: the settings,
the catalog, the clock, the agent, and the database engine (opened on first use).

The use-case halves (appointments, handoffs, retention) receive this context, never the whole
``Services``, so that no module reaches back into the one that built it.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from guichet.domain.clock import Clock
from guichet.domain.models import Agency, Catalog, Service
from guichet.errors import InvalidInput
from guichet.settings import Settings

if TYPE_CHECKING:
    from guichet.store.engine import Engine


class Context:
    """One workstation's settings, catalog, clock and database, shared by the use cases."""

    def __init__(self, settings: Settings, catalog: Catalog, clock: Clock, agent: str) -> None:
        self.settings = settings  # replaced when the agent saves the workstation's settings
        self.catalog = catalog
        self.clock = clock
        self.agent = agent  # the OS login: who booked, who moved a handoff (the journal's actor)
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()

    # -- time, agencies, services ----------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock.now()

    @property
    def notice(self) -> timedelta:
        """How long before a slot it can still be booked."""
        return timedelta(minutes=self.settings.notice_minutes)

    @property
    def horizon(self) -> timedelta:
        """How far ahead slots are offered."""
        return timedelta(weeks=self.settings.horizon_weeks)

    @property
    def agent_name(self) -> str:
        """The name that signs a handoff: the one set in the settings, or the OS login."""
        return self.settings.agent_name or self.agent

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

    def service(self, service_id: str) -> Service:
        """The service ``service_id``; :class:`InvalidInput` otherwise."""
        found = self.catalog.service(service_id)
        if found is None:
            raise InvalidInput(f"Service inconnu : « {service_id} ».")
        return found

    # -- the database ----------------------------------------------------------------------------
    @property
    def is_shared_database(self) -> bool:
        return bool(self.settings.database_url) and not self.settings.effective_database_url.startswith("sqlite")

    @property
    def database_label(self) -> str:
        """The database URL with its password hidden, for display."""
        from guichet.store.engine import masked_url

        return masked_url(self.settings.effective_database_url)

    @property
    def engine(self) -> Engine:
        """The database engine, created (and the schema checked) on first use."""
        with self._engine_lock:
            if self._engine is None:
                from guichet.store.engine import make_engine, storage_errors
                from guichet.store.schema import init_schema

                engine = make_engine(self.settings.effective_database_url)
                try:
                    with storage_errors(engine):
                        # A shared server is upgraded by its administrator, never by one counter.
                        init_schema(engine, self.now(), auto_upgrade=not self.is_shared_database)
                except BaseException:
                    engine.dispose()
                    raise
                self._engine = engine
            return self._engine

    def close(self) -> None:
        with self._engine_lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
