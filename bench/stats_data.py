"""The big reception log of bench/stats.py: years of four agencies' passages, appointments and handoffs.

Rows are made by a seeded generator, day by day (so the same rows go to SQLite and PostgreSQL), and
written in bulk: ``executemany`` on SQLite's own connection, ``COPY`` on PostgreSQL, never the ORM.

What the rows look like (realistic, not personal: passages hold none):

- passages on weekdays, morning (8h30–12h30) and afternoon (13h30–16h30), in every agency: walk-ins
  about as the plan counts them (000: « environ 70 allocataires accueillis par demi-journée à
  Châtenay-Malabry et 90 à Nanterre »; 80 in the two others), ±15 % from one half-day to the next,
  and phone calls on top so that the history holds the number asked for; six counters an agency;
  quick questions (10 %, no duration), idle closes, the last few of this morning still open;
- items: one to three services read (the shipped catalog, the first services the most read), then an
  outcome (informed, self-service, appointment, check-in, handoff, partner, Département, emergencies):
  2.6 items a passage on average;
- the history's length is the size asked for at that density: 1,000,000 passages make three years;
- appointments over the same years and the next twelve weeks, by kind, channel and status (past ones
  mostly seen, 10 % missed), handoffs over the last two years (bench/scale.py's rows), every agency.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from _common import NOW_TEXT

SEED = 20261201
AGENCY_WALK_INS = {"chatenay-malabry": 70, "gennevilliers": 80, "montrouge": 80, "nanterre": 90}
COUNTERS = 6
PASSAGES_PER_DAY = 1_000_000 / (3 * 365)  # the density of "a few years of four agencies"
APPOINTMENTS_PER_DAY = 300_000 / (3 * 365)
HALVES = (("matin", time(8, 30), 240), ("apres_midi", time(13, 30), 180))  # name, opening, minutes
OUTCOMES = (("renseigne", 0.40), ("libre_service", 0.15), ("rendez_vous", 0.15), ("arrivee", 0.08),
            ("relais", 0.03), ("partenaire", 0.07), ("departement", 0.04), ("", 0.08))
CLOSES = (("suivant", 0.75), ("inactif", 0.12), ("fin", 0.03), ("rapide", 0.10))
APPOINTMENT_STATUSES = (("seen", 0.80), ("noshow", 0.10), ("excused", 0.06), ("revoked", 0.02), ("moved", 0.02))
BATCH = 20_000
NULL = "\\N"  # COPY's text form: tab-separated, \\N for NULL; dates and instants as SQLAlchemy writes them on SQLite

PASSAGE_COLUMNS = ("id", "agency", "workstation", "agent", "channel", "day", "half", "started_at", "ended_at",
                   "seconds", "closed_how")
ITEM_COLUMNS = ("passage_id", "agency", "day", "kind", "ref")
APPOINTMENT_COLUMNS = ("agency", "kind", "channel", "start", "end", "seat", "service_id", "file_number", "name",
                       "phone", "objective", "status", "booked_by", "created_at", "updated_at")


@dataclass
class Built:
    """What was written, and the counts the bench checks the statistics against."""

    passages: int = 0
    items: int = 0
    appointments: int = 0
    handoffs: int = 0
    seconds: float = 0.0
    by_month: dict[tuple[str, int, int], int] = field(default_factory=dict)  # (agency, year, month) → passages


def now() -> datetime:
    from guichet.domain.clock import parse_local

    return parse_local(NOW_TEXT)


def _utc_offset(day: date) -> timedelta:
    """Paris's offset on ``day`` during opening hours (the clocks change at night)."""
    from guichet.domain.clock import to_paris

    offset = to_paris(datetime.combine(day, time(12))).utcoffset()
    assert offset is not None
    return offset


def _weekdays(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)
            if (first + timedelta(days=n)).weekday() < 5]


def _cumulative(pairs: Sequence[tuple[str, float]]) -> tuple[list[str], list[float]]:
    values, weights, total = [], [], 0.0
    for value, weight in pairs:
        total += weight
        values.append(value)
        weights.append(total)
    return values, weights


def _clock(day_text: str, seconds: int) -> str:
    """SQLAlchemy's text form of a naive UTC instant ``seconds`` after midnight of ``day_text``."""
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{day_text} {hour:02d}:{minute:02d}:{second:02d}.000000"


def passage_lines(total: int, services_ids: Sequence[str], partners: Sequence[str],
                  built: Built) -> Iterator[tuple[str, str]]:
    """(passages, items) as COPY text lines (see :func:`_text`), ``total`` passages in all, ids from 1, by
    day; counts kept in ``built``."""
    from guichet.domain.orientation import DEPARTEMENT, DEPARTEMENT_URGENCE, Emergency

    rng = random.Random(SEED)
    random_, below = rng.random, rng.randrange
    today = now().date()
    days = _weekdays(today - timedelta(days=max(7, round(total / PASSAGES_PER_DAY))), today)
    # How many a half-day: walk-ins as the plan says, phone calls on top to reach ``total``.
    cells = [(day, agency, half) for day in days for agency in AGENCY_WALK_INS for half in HALVES
             if day < today or half[0] == "matin"]
    walk_ins = [AGENCY_WALK_INS[agency] * rng.uniform(0.85, 1.15) * (0.375 if day == today else 1.0)
                for day, agency, _half in cells]
    scale = total / sum(walk_ins)
    services_cumulative = _cumulative([(s, 1 / (rank + 1)) for rank, s in enumerate(services_ids)])
    outcomes = _cumulative(OUTCOMES)
    closes = _cumulative(CLOSES)
    reads = _cumulative([("1", 0.35), ("2", 0.40), ("3", 0.25)])
    emergencies = [e.value for e in Emergency]
    departements = [DEPARTEMENT, DEPARTEMENT_URGENCE]
    passages: list[str] = []
    items: list[str] = []
    made, carry = 0, 0.0
    for (day, agency, (half, opening, minutes)), walk_in in zip(cells, walk_ins, strict=True):
        carry += walk_in * scale
        count = min(round(carry) - made, total - made)
        walking = min(count, round(walk_in))
        day_text = day.isoformat()
        opens = int((datetime.combine(day, opening) - _utc_offset(day) - datetime.combine(day, time())).total_seconds())
        span = 90 if day == today else minutes  # this morning: up to 10:00
        key = (agency, day.year, day.month)
        built.by_month[key] = built.by_month.get(key, 0) + count
        short = agency[:3]
        for n, at in enumerate(sorted(int(random_() * span * 60) for _ in range(count))):
            made += 1
            channel = "guichet" if random_() * count < walking else "telephone"
            started = opens + at
            how = _pick(random_, closes)
            if day == today and n >= count - 2:  # the last two of this morning are at the counter now
                how, end = "", f"{NULL}\t{NULL}\t{NULL}"
            elif how == "rapide":
                end = f"{_clock(day_text, started)}\t{NULL}\trapide"
            else:
                seconds = 30 + min(7_200, int(rng.expovariate(1 / (480 if channel == "guichet" else 300))))
                end = f"{_clock(day_text, started + seconds)}\t{seconds}\t{how}"
            counter = f"{1 + below(COUNTERS):02d}"
            passages.append(f"{made}\t{agency}\t{short}-{counter}\tagent{counter}\t{channel}\t{day_text}\t{half}\t"
                            f"{_clock(day_text, started)}\t{end}\n")
            item = f"{made}\t{agency}\t{day_text}\t"
            if how == "rapide":
                items.append(f"{item}question_rapide\t\n")
                continue
            read = int(_pick(random_, reads))
            for service in dict.fromkeys(_pick(random_, services_cumulative) for _ in range(read)):
                items.append(f"{item}service\t{service}\n")
            outcome = _pick(random_, outcomes)
            if outcome in ("rendez_vous", "arrivee", "relais"):
                items.append(f"{item}{outcome}\t{below(1, 300_000)}\n")
                if outcome == "relais" and random_() < 0.3:
                    items.append(f"{item}urgence_definie\t\n")
            elif outcome == "partenaire":
                items.append(f"{item}{outcome}\t{rng.choice(partners)}\n")
            elif outcome == "departement":
                items.append(f"{item}{outcome}\t{rng.choice(departements)}\n")
                if random_() < 0.25:
                    items.append(f"{item}urgence_sociale\t{rng.choice(emergencies)}\n")
            elif outcome:
                items.append(f"{item}{outcome}\t\n")
        if len(passages) >= BATCH:
            built.passages += len(passages)
            built.items += len(items)
            yield "".join(passages), "".join(items)
            passages, items = [], []
    built.passages += len(passages)
    built.items += len(items)
    yield "".join(passages), "".join(items)


def _pick(random_: Any, cumulative: tuple[list[str], list[float]]) -> str:
    """A value drawn by weight (``random.choices`` without its lists)."""
    values, bounds = cumulative
    return values[min(bisect.bisect(bounds, random_() * bounds[-1]), len(values) - 1)]


def appointment_lines(total: int, services_ids: Sequence[str]) -> Iterator[str]:
    """``total`` appointments (COPY text lines) over the passages' years and the twelve weeks ahead."""
    rng = random.Random(SEED + 1)
    random_, below = rng.random, rng.randrange
    today = now().date()
    days = _weekdays(today - timedelta(days=max(7, round(total / APPOINTMENTS_PER_DAY))), today + timedelta(weeks=12))
    statuses = _cumulative(APPOINTMENT_STATUSES)
    agencies = list(AGENCY_WALK_INS)
    nine: dict[date, tuple[str, int]] = {}  # day → (its text, 9:00 Paris in UTC seconds after midnight)
    batch: list[str] = []
    for n in range(total):
        day = days[n * len(days) // total]
        if day not in nine:
            nine[day] = (day.isoformat(), 9 * 3600 - int(_utc_offset(day).total_seconds()))
        day_text, opens = nine[day]
        kind = "gca" if random_() < 0.8 else "csu"  # 000: 80 % with a GCA
        channel = "telephone" if random_() < 0.9 else "agence"  # 000: 90 % by phone
        start = opens + 1800 * below(14)
        status = _pick(random_, statuses) if day < today else "booked"
        booked = _clock((day - timedelta(days=below(1, 40))).isoformat(), start)
        batch.append(f"{rng.choice(agencies)}\t{kind}\t{channel}\t{_clock(day_text, start)}\t"
                     f"{_clock(day_text, start + 1800)}\t{n}\t{rng.choice(services_ids)}\t{below(10**7):07d}\t"
                     f"Personne\t0612345678\t\t{status}\tbench\t{booked}\t{booked}\n")
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch = []
    yield "".join(batch)


def handoff_rows(total: int) -> list[dict[str, Any]]:
    """bench/scale.py's handoffs (the last two years), spread over the four agencies, with due dates."""
    import scale  # bench/scale.py

    rng = random.Random(SEED + 2)
    rows = scale.handoff_rows(total, rng)
    for row in rows:
        row["agency"] = rng.choice(list(AGENCY_WALK_INS))
        created = row["created_at"].replace(tzinfo=UTC)
        row["due_on"] = (created + timedelta(days=10)).date() if row["status"] == "transmise" else None
    return rows


# -- writing: rows generated once into COPY text files, loaded into each backend ---------------------
TABLES = (("passage", PASSAGE_COLUMNS), ("passage_item", ITEM_COLUMNS), ("appointment", APPOINTMENT_COLUMNS))


def generate(folder: Path, services: Any, passages: int, appointments: int, handoffs: int) -> Built:
    """The rows of every table, as files in ``folder``; what they hold."""
    import time as clock

    started = clock.perf_counter()
    built = Built(appointments=appointments, handoffs=handoffs)
    services_ids = [s.id for s in services.catalog.services]
    partners = sorted({s.orientation.partner for s in services.catalog.services if s.orientation.partner}) or ["CCAS"]
    with (folder / "passage.tsv").open("w", encoding="utf-8") as passage_file, \
            (folder / "passage_item.tsv").open("w", encoding="utf-8") as item_file:
        for passage_text, item_text in passage_lines(passages, services_ids, partners, built):
            passage_file.write(passage_text)
            item_file.write(item_text)
    with (folder / "appointment.tsv").open("w", encoding="utf-8") as stream:
        for text in appointment_lines(appointments, services_ids):
            stream.write(text)
    built.seconds = clock.perf_counter() - started
    return built


def _indexes(connection: Any, dialect: str) -> list[tuple[str, str]]:
    """(name, DDL) of the loaded tables' secondary indexes."""
    names = ", ".join(f"'{table}'" for table, _columns in TABLES)
    if dialect == "sqlite":
        sql = f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({names})"
    else:
        sql = (f"SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ({names}) "
               "AND indexname NOT LIKE '%pkey'")
    return [(str(name), str(ddl)) for name, ddl in connection.execute(sql).fetchall()]


def load(services: Any, folder: Path, built: Built) -> float:
    """The files of :func:`generate` into ``services``' empty database, indexes built after; seconds."""
    import time as clock

    from sqlalchemy import insert, text

    from guichet.store.tables import HandoffRow

    started = clock.perf_counter()
    engine = services.engine
    sqlite = engine.dialect.name == "sqlite"
    raw = engine.raw_connection()
    cursor = raw.cursor()
    if sqlite:
        cursor.execute("PRAGMA synchronous=OFF")  # this load only: a bench database
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.execute("BEGIN")
    indexes = _indexes(cursor, engine.dialect.name)
    for name, _ddl in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    for table, columns in TABLES:
        names = ", ".join(f'"{c}"' for c in columns)
        with (folder / f"{table}.tsv").open(encoding="utf-8") as stream:
            if sqlite:
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})",
                    (tuple(None if v == NULL else v for v in line[:-1].split("\t")) for line in stream))
            else:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    while chunk := stream.read(1 << 20):
                        copy.write(chunk)
    for _name, ddl in indexes:
        cursor.execute(ddl)
    if sqlite:
        cursor.execute("COMMIT")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        cursor.execute("PRAGMA synchronous=FULL")
    else:
        cursor.execute("SELECT setval(pg_get_serial_sequence('passage', 'id'), (SELECT max(id) FROM passage))")
        raw.commit()
    cursor.close()
    raw.close()
    from guichet.store.engine import write_session
    from guichet.store.passages import rebuild_tally

    with write_session(engine) as session:  # the items were loaded alone: their day tally counted once
        rebuild_tally(session=session)
    if built.handoffs:
        with engine.begin() as connection:
            connection.execute(insert(HandoffRow), handoff_rows(built.handoffs))
    if not sqlite:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))  # what autovacuum does after such a load
    return clock.perf_counter() - started
