"""The engine factory: WAL, busy timeout, owner-only file, BEGIN IMMEDIATE, schema version."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, text

from guichet.errors import StoreError
from guichet.services import Services
from guichet.store.engine import make_engine, masked_url, on_network_share, write_session
from guichet.store.schema import SCHEMA_VERSION, current_version, init_schema
from tests.conftest import FIXED_NOW


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"


def test_sqlite_is_wal_with_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "db" / "g.sqlite3"))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    engine.dispose()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_database_file_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "db" / "g.sqlite3"
    engine = make_engine(sqlite_url(path))
    init_schema(engine, FIXED_NOW)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        assert stat.S_IMODE(wal.stat().st_mode) & 0o077 == 0
    engine.dispose()


def test_schema_version_recorded_once(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "g.sqlite3"))
    assert current_version(engine) is None
    assert init_schema(engine, FIXED_NOW) == SCHEMA_VERSION
    assert init_schema(engine, FIXED_NOW) == SCHEMA_VERSION
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM schema_version")).scalar() == 1
    engine.dispose()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "g.sqlite3"))
    init_schema(engine, FIXED_NOW)
    with write_session(engine) as session:
        session.execute(text("INSERT INTO schema_version VALUES (:v, :t)"),
                        {"v": SCHEMA_VERSION + 1, "t": FIXED_NOW})
    with pytest.raises(StoreError, match="newer than this guichet"):
        init_schema(engine, FIXED_NOW)
    engine.dispose()


def test_write_session_takes_the_lock_at_begin(tmp_path: Path) -> None:
    """A second writer waits for the first one (BEGIN IMMEDIATE), instead of failing later."""
    engine = make_engine(sqlite_url(tmp_path / "g.sqlite3"))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (n INTEGER)")
    order: list[str] = []
    started = threading.Event()

    def first() -> None:
        with write_session(engine) as session:
            session.execute(text("INSERT INTO t VALUES (1)"))
            started.set()  # the lock is held from here (the session begins lazily)
            time.sleep(0.3)
            order.append("first-commit")

    worker = threading.Thread(target=first)
    worker.start()
    started.wait()
    with write_session(engine) as session:
        count = session.execute(text("SELECT count(*) FROM t")).scalar()
        order.append("second-begin")
    worker.join()
    assert order == ["first-commit", "second-begin"]
    assert count == 1
    engine.dispose()


def test_failed_write_session_rolls_back(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "g.sqlite3"))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (n INTEGER)")
    with pytest.raises(RuntimeError), write_session(engine) as session:
        session.execute(text("INSERT INTO t VALUES (1)"))
        raise RuntimeError("boom")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
    engine.dispose()


def test_network_share_is_refused() -> None:
    assert on_network_share(Path("\\\\server\\share\\g.sqlite3"))
    with pytest.raises(StoreError, match="partage réseau"):
        make_engine("sqlite:////" + "/server/share/g.sqlite3")


def test_password_is_masked() -> None:
    assert "secret" not in masked_url("postgresql+psycopg://agent:secret@db.local/guichet")
    assert "***" in masked_url("postgresql+psycopg://agent:secret@db.local/guichet")


def test_no_engine_at_import() -> None:
    """Importing the store creates no engine and opens no file."""
    import subprocess
    import sys

    code = (
        "import guichet.store.engine, guichet.store.schema, guichet.services, gc;"
        "from sqlalchemy import Engine;"
        "print(sum(isinstance(o, Engine) for o in gc.get_objects()))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"



def test_a_sqlite_counter_never_loads_the_postgresql_dialect(tmp_path: Path) -> None:
    """The schema created and a passage written (its tally an upsert) on SQLite: nothing imports
    SQLAlchemy's PostgreSQL dialect (2.2 MB, 60 ms), neither the tables' options nor the upsert."""
    import subprocess
    import sys

    code = f"""
import sys
from pathlib import Path
from guichet.domain.clock import FixedClock
from guichet.domain.passage import Outcome
from guichet.services import make_services
from tests.conftest import FIXED_NOW, make_settings
services = make_services(make_settings(Path({str(tmp_path)!r}), agency="nanterre"), clock=FixedClock(FIXED_NOW))
services.ping()  # the schema created
log = services.passages  # a passage written, its tally counted up (an upsert)
log.consulted(services.service("apl"), services.advise(services.service("apl")))
log.record(Outcome.APPOINTMENT, 41)
log.close()
assert log.flush() > 0
services.close()
print(sorted(name for name in sys.modules if "postgresql" in name))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_one_active_appointment_per_seat_on_every_backend(services: Services) -> None:
    """The partial unique index (docs/architecture.md: no double booking) exists with its condition on
    both backends, PostgreSQL's options being named only when its engine is made."""
    engine = services.engine
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            definition = conn.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'uq_appointment_active_seat'").scalar_one()
        else:
            definition = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'uq_appointment_active_seat'").scalar_one()
    assert "UNIQUE" in definition.upper() and "WHERE" in definition.upper() and "status" in definition


def _searched_handoffs(path: Path) -> Engine:
    """An engine on ``path`` whose pooled connection has run the follow-up list's query over 300
    handoffs, a third in each of three statuses, and never been analyzed."""
    from guichet.store.tables import HandoffRow

    engine = make_engine(sqlite_url(path))
    init_schema(engine, FIXED_NOW)
    base = {"created_by": "test", "agency": "nanterre", "status_reason": "", "name": "N", "file_number": "1234567",
            "phone": "", "contact": "telephone", "life_event": "separation", "motifs": "", "benefits": "",
            "comment": "", "specificities": "", "specificity_other": "", "sharp_drop": False,
            "already_followed": False, "referent": "", "partner": "", "documents_to_professional": False,
            "consent": True, "urgent": False, "destination": "caf", "destination_label": "", "message": ""}
    statuses = ("a_transmettre", "transmise", "cloturee")
    moment = FIXED_NOW.replace(tzinfo=None)
    with engine.begin() as conn:
        conn.execute(insert(HandoffRow), [{**base, "status": statuses[n % 3], "created_at": moment,
                                           "updated_at": moment} for n in range(300)])
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'").all() == []
        conn.exec_driver_sql("SELECT id FROM handoff WHERE status IN ('transmise', 'a_transmettre') "
                             "ORDER BY urgent DESC, created_at DESC, id DESC LIMIT 10").all()
    return engine


def test_closing_gives_the_query_planner_its_statistics(tmp_path: Path) -> None:
    """PRAGMA optimize at close: the tables a connection searched get ANALYZE statistics."""
    _searched_handoffs(tmp_path / "g.sqlite3").dispose()
    with sqlite3.connect(tmp_path / "g.sqlite3") as conn:
        stats = dict(conn.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'handoff'").fetchall())
    assert stats["ix_handoff_status"].startswith("300 100 ")  # 300 rows, 100 per status


def test_closing_a_locked_database_neither_fails_nor_waits(tmp_path: Path) -> None:
    engine = _searched_handoffs(tmp_path / "g.sqlite3")
    holder = sqlite3.connect(tmp_path / "g.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process holds the database
    try:
        started = time.monotonic()
        engine.dispose()  # PRAGMA optimize would need the lock: skipped
        elapsed = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert elapsed < 2.0  # not the 10 s busy timeout of ordinary writes
    with sqlite3.connect(tmp_path / "g.sqlite3") as conn:
        assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchall()
