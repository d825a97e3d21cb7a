"""Shared fixtures: a fixed clock, an isolated GUICHET_HOME, the shipped data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from guichet.domain.clock import PARIS, FixedClock
from guichet.paths import Paths
from guichet.services import Services, make_services
from guichet.settings import Settings

# PostgreSQL fixtures (tests/pg.py): a throwaway server from the local binaries, skipped when absent.
from tests.pg import pg_database_url, pg_url  # noqa: F401

# Monday 23 November 2026, 10:00 in Paris: Châtenay-Malabry's walk-in is open, Nanterre's not yet.
FIXED_NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the user's real directories, nor obey the developer's settings."""
    home = tmp_path_factory.mktemp("guichet-home")
    monkeypatch.setenv("GUICHET_HOME", str(home))
    # No display either: a copy in a test must never reach the developer's real clipboard.
    for name in ("GUICHET_NOW", "GUICHET_DATABASE_URL", "GUICHET_DATA", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)


def make_settings(root: Path, **changes: object) -> Settings:
    """Settings rooted in ``root`` with the fixed clock and Nanterre as the counter's agency."""
    base = {
        "paths": Paths(root / "config", root / "data", root / "logs"),
        "now": FIXED_NOW,
        "agency": "nanterre",
        "agent_name": "Camille Martin",
    }
    base.update(changes)
    return Settings(**base)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(FIXED_NOW)


@pytest.fixture
def services(settings: Settings, clock: FixedClock) -> Iterator[Services]:
    built = make_services(settings, clock=clock)
    yield built
    built.close()


def pytest_sessionstart(session: pytest.Session) -> None:
    cache = getattr(session.config, "cache", None)  # None under -p no:cacheprovider
    if cache is not None and not hasattr(session.config, "workerinput"):  # the controller, or no xdist
        cache.set("guichet/bench-short.txt", None)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """The figures of ``bench/run.py --short`` when tests/test_bench.py ran (printed, never asserted)."""
    cache = getattr(config, "cache", None)
    report = cache.get("guichet/bench-short.txt", None) if cache is not None else None
    if report:
        terminalreporter.write_sep("-", "bench/run.py --short (figures printed, not asserted)")
        terminalreporter.write_line(report.split("\nMarkdown:")[0].rstrip())
