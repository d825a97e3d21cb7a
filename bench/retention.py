"""The retention purge at volume, beside the bare deletes of the same rows on the same database.

``python bench/retention.py [--short]``: a database holding 200,000 appointments and 100,000
closed handoffs past retention (20,000 + 10,000 with ``--short``), 50,000 (5,000) journal entries
pointing at them, and a thousand recent records that stay. guichet's purge (``Retention.purge``:
counts, journal unlinked, set-based deletes, rows overwritten, the WAL written back) is timed
against a baseline on an identical copy: the three plain ``DELETE … WHERE`` statements, nothing
else. On SQLite always; on PostgreSQL when its binaries are installed (tests/pg.py).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from _common import Row, bench_settings, empty_databases, print_table


def _sizes(short: bool) -> tuple[int, int, int]:
    return (20_000, 10_000, 5_000) if short else (200_000, 100_000, 50_000)


def _bare_delete(engine: Any, now: Any) -> float:
    """The floor: the same rows deleted by three plain statements, in one transaction."""
    from sqlalchemy import text

    from guichet.services.retention import years_before
    from guichet.store.tables import to_db

    cutoff = {"c": to_db(years_before(now, 2))}
    due = "SELECT id FROM handoff WHERE closed_at IS NOT NULL AND closed_at < :c"
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(text(f"DELETE FROM handoff_event WHERE handoff_id IN ({due})"), cutoff)
        connection.execute(text("DELETE FROM handoff WHERE closed_at IS NOT NULL AND closed_at < :c"), cutoff)
        connection.execute(text("DELETE FROM appointment WHERE start < :c"), cutoff)
    return (time.perf_counter() - started) * 1000


def _measure_backend(backend: str, short: bool, root: Path) -> Row | None:
    from tests.store.volume import fill

    from guichet.domain.clock import FixedClock
    from guichet.services import make_services

    appointments, handoffs, links = _sizes(short)
    with empty_databases(backend, root, ("purge", "bare")) as urls:
        if urls is None:
            return None
        base_settings = bench_settings(root / backend)
        now = base_settings.now
        built = []
        for url in urls:
            services = make_services(replace(base_settings, database_url=url), clock=FixedClock(now))
            fill(services.engine, now, appointments, handoffs, links)
            built.append(services)
        ours, bare = built
        started = time.perf_counter()
        report = ours.retention.purge()
        ours_ms = (time.perf_counter() - started) * 1000
        bare_ms = _bare_delete(bare.engine, now)
        for services in built:
            services.close()
    assert (report.appointments, report.handoffs) == (appointments, handoffs)
    return Row(f"purge, {backend} ({appointments:,} appts + {handoffs:,} handoffs due): s, vs bare deletes",
               ours_ms / 1000, bare_ms / 1000, "(info)", unit_fmt=".2f",
               notes=[f"purge on {backend}: {report.journal_entries:,} journal entries unlinked too"])


def measure(short: bool) -> list[Row]:
    rows = []
    root = Path(tempfile.mkdtemp(prefix="guichet-bench-retention-"))
    try:
        for backend in ("sqlite", "postgresql"):
            row = _measure_backend(backend, short, root)
            if row is not None:
                rows.append(row)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--short", action="store_true", help="a tenth of the rows (CI)")
    print_table(measure(parser.parse_args(argv).short))


if __name__ == "__main__":
    main()
