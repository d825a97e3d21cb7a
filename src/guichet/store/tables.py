"""Database rows (SQLModel ``table=True``), kept apart from the domain objects.

Instants are stored as naive UTC datetimes on every backend, so that the unique index on a
slot's start compares the same values on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from pydantic import ConfigDict
from sqlalchemy import DateTime, Index, text
from sqlmodel import Field, SQLModel

from guichet.domain.clock import to_paris
from guichet.domain.models import Status

# Naive UTC on every backend (SQLModel's default type insists on aware datetimes).
UTC_NAIVE = DateTime(timezone=False)



def to_db(moment: datetime) -> datetime:
    """An aware instant → naive UTC, the storage convention."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_db(moment: datetime) -> datetime:
    """Naive UTC from the database → Europe/Paris."""
    return to_paris(moment.replace(tzinfo=UTC))


# Statuses that hold a seat (the domain's Status.holds_seat): a seen or missed appointment still used its slot.
ACTIVE_STATUSES = tuple(s.value for s in Status if s.holds_seat)
_ACTIVE_SQL = "status IN ({})".format(", ".join(f"'{s}'" for s in ACTIVE_STATUSES))


class _Row(SQLModel):
    """A row's pydantic validator and serializer are built on first use, not at import (0.4 MB the
    counter's session never uses: SQLAlchemy reads and writes rows without them)."""

    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]  # SQLModelConfig is private


class SchemaVersion(_Row, table=True):
    """One row per schema version applied; the highest is the database's version."""

    __tablename__ = "schema_version"

    version: int = Field(primary_key=True)
    applied_at: datetime = Field(sa_type=UTC_NAIVE)  # naive UTC


# One active appointment per seat (PostgreSQL's condition: name_postgresql_options()).
ACTIVE_SEAT = Index("uq_appointment_active_seat", "agency", "kind", "channel", "start", "seat", unique=True,
                    sqlite_where=text(_ACTIVE_SQL))


def name_postgresql_options() -> None:
    """Give the tables their PostgreSQL options; called as a PostgreSQL engine is made (store/engine.py).
    Naming them here at import would load SQLAlchemy's whole PostgreSQL dialect (2.2 MB, 60 ms) on
    every counter that runs on SQLite."""
    ACTIVE_SEAT.dialect_kwargs["postgresql_where"] = text(_ACTIVE_SQL)


class AppointmentRow(_Row, table=True):
    """One appointment: a seat of a slot, held while its status is active."""

    __tablename__ = "appointment"
    __table_args__ = (
        # No double booking, enforced by the database itself (docs/architecture.md).
        ACTIVE_SEAT,
        Index("ix_appointment_slot", "agency", "kind", "channel", "start"),
        Index("ix_appointment_day", "agency", "start"),
        Index("ix_appointment_file_number", "file_number"),
        Index("ix_appointment_rescheduled_from", "rescheduled_from"),  # schema v4: a moved one's successor
        # schema v6: a period's statistics over every agency, from the index alone
        Index("ix_appointment_period", "start", "kind", "channel", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agency: str = Field(max_length=60)
    kind: str = Field(max_length=10)
    channel: str = Field(max_length=20)
    start: datetime = Field(sa_type=UTC_NAIVE)  # naive UTC
    end: datetime = Field(sa_type=UTC_NAIVE)  # naive UTC
    seat: int
    service_id: str | None = Field(default=None, max_length=60)
    file_number: str | None = Field(default=None, max_length=7)
    name: str = Field(max_length=80)
    phone: str | None = Field(default=None, max_length=10)
    objective: str = Field(default="", max_length=300)
    status: str = Field(default="booked", max_length=10)
    booked_by: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UTC_NAIVE)  # naive UTC
    updated_at: datetime = Field(sa_type=UTC_NAIVE)  # naive UTC
    rescheduled_from: int | None = Field(default=None)
    checked_in_at: datetime | None = Field(default=None, sa_type=UTC_NAIVE)  # naive UTC (schema v2)
    booked_by_name: str | None = Field(default=None, max_length=80)  # the agent's name (schema v4)


class JournalRow(_Row, table=True):
    """Append-only journal: who did what to which record, when. No personal data."""

    __tablename__ = "journal"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTC_NAIVE)  # naive UTC
    actor: str = Field(max_length=64)
    action: str = Field(max_length=40)  # e.g. "appointment.booked"
    record_type: str = Field(max_length=20)  # "appointment" | "handoff"
    record_id: int | None = Field(default=None)


class HandoffRow(_Row, table=True):
    """One handoff to a social worker: one situation of one person (004, annex 1)."""

    __tablename__ = "handoff"
    __table_args__ = (
        Index("ix_handoff_status", "status", "created_at"),
        Index("ix_handoff_file_number", "file_number"),
        Index("ix_handoff_closed_at", "closed_at"),
        Index("ix_handoff_listing", "urgent", "created_at", "id"),  # schema v3
        Index("ix_handoff_due", "status", "due_on"),  # schema v5: the late ones, first in the list
        Index("ix_handoff_open_since", "status", "updated_at"),  # schema v5: the retention run's expiry
        Index("ix_handoff_created", "created_at"),  # schema v6: a period's statistics
    )

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(sa_type=UTC_NAIVE)  # naive UTC
    updated_at: datetime = Field(sa_type=UTC_NAIVE)  # naive UTC
    closed_at: datetime | None = Field(default=None, sa_type=UTC_NAIVE)  # cloturee/refusee/expiree, retention
    created_by: str = Field(max_length=64)
    agency: str | None = Field(default=None, max_length=60)
    status: str = Field(max_length=20)
    status_reason: str = Field(default="", max_length=300)
    # The person: the minimum the social worker needs to call back.
    name: str = Field(max_length=80)
    file_number: str | None = Field(default=None, max_length=7)
    phone: str | None = Field(default=None, max_length=10)
    contact: str = Field(max_length=20)
    # The situation.
    life_event: str = Field(max_length=30)
    event_date: date | None = None
    motifs: str = Field(default="", max_length=300)
    benefits: str = Field(default="", max_length=200)  # codes, comma-separated
    comment: str = Field(default="", max_length=2000)
    specificities: str = Field(default="", max_length=200)  # codes, comma-separated
    specificity_other: str = Field(default="", max_length=200)
    rights_opened: date | None = None
    non_payment_since: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    sharp_drop: bool = False
    emergency: str | None = Field(default=None, max_length=30)
    already_followed: bool = False
    referent: str = Field(default="", max_length=120)
    partner: str = Field(default="", max_length=120)
    documents_to_professional: bool = False
    consent: bool = False
    service_id: str | None = Field(default=None, max_length=60)
    # What the rules said when it was logged, and the message as sent (None when refused).
    urgent: bool = False
    destination: str = Field(max_length=30)
    destination_label: str = Field(max_length=200)
    message: str | None = Field(default=None, max_length=6000)
    due_on: date | None = None  # the answer's due date (Paris day), set when transmitted (schema v5)


class HandoffEventRow(_Row, table=True):
    """Follow-up: who moved a handoff to which status, when (and why for a refusal)."""

    __tablename__ = "handoff_event"

    id: int | None = Field(default=None, primary_key=True)
    handoff_id: int = Field(foreign_key="handoff.id", index=True, ondelete="CASCADE")
    at: datetime = Field(sa_type=UTC_NAIVE)  # naive UTC
    actor: str = Field(max_length=64)
    status: str = Field(max_length=20)
    reason: str = Field(default="", max_length=300)


class PassageRow(_Row, table=True):
    """One person received (schema v6): what the counter did, never who for (domain.passage)."""

    __tablename__ = "passage"
    __table_args__ = (
        # Covering indexes (bench/stats.py): the live header (this agency's half-day, counted by workstation)
        # and an agency's statistics read them alone, in (day, half, channel) order: no table row, no sort.
        Index("ix_passage_half_day", "agency", "day", "half", "channel", "workstation", "seconds", "closed_how"),
        Index("ix_passage_day", "day", "half", "channel", "seconds", "closed_how"),  # every agency; retention
    )

    id: int | None = Field(default=None, primary_key=True)
    agency: str | None = Field(default=None, max_length=60)  # None: the counter has no agency set
    workstation: str = Field(max_length=64)
    agent: str = Field(max_length=64)  # the OS login, as booked_by
    channel: str = Field(max_length=10)  # guichet | telephone
    day: date  # the Paris day it started (with half: its half-day), fixed at opening
    half: str = Field(max_length=10)  # matin | apres_midi
    started_at: datetime = Field(sa_type=UTC_NAIVE)  # naive UTC
    ended_at: datetime | None = Field(default=None, sa_type=UTC_NAIVE)  # None while the person is there
    seconds: int | None = None  # its length, set when it closes (None for a quick question)
    closed_how: str | None = Field(default=None, max_length=10)  # suivant | inactif | fin | rapide


class PassageItemRow(_Row, table=True):
    """A service read or an outcome of a passage (schema v6). ``agency`` and ``day`` repeat the
    passage's (fixed at its opening), so that a period's breakdowns need no join."""

    __tablename__ = "passage_item"
    # A period's items counted from these alone, grouped in their order (store/stats.py: by day, kind, ref).
    __table_args__ = (Index("ix_passage_item_period", "agency", "day", "kind", "ref"),
                      Index("ix_passage_item_day", "day", "kind", "ref"))

    id: int | None = Field(default=None, primary_key=True)
    passage_id: int = Field(foreign_key="passage.id", index=True, ondelete="CASCADE")
    agency: str | None = Field(default=None, max_length=60)
    day: date
    kind: str = Field(max_length=20)  # domain.passage.Outcome
    ref: str = Field(default="", max_length=120)  # a service id, a record's id, a partner's name


class PassageTallyRow(_Row, table=True):
    """The items of a day counted by agency, kind and ref (schema v6), kept with them in the same
    transaction (``store.passages.add_items``): a period's breakdowns add a few thousand counts up instead
    of grouping every item (a month of four agencies: 52,000 items, 139 ms on SQLite; bench/stats.py).
    A record's id is not kept (``ref`` empty): those are counted by kind. ``agency`` is empty for a
    counter with no agency (a primary key holds no NULL)."""

    __tablename__ = "passage_tally"
    __table_args__ = (Index("ix_passage_tally_agency", "agency", "day", "kind", "ref", "n"),  # one agency
                      Index("ix_passage_tally_day", "day", "kind", "ref", "agency", "n"))  # all of them

    agency: str = Field(primary_key=True, max_length=60)
    day: date = Field(primary_key=True)
    kind: str = Field(primary_key=True, max_length=20)
    ref: str = Field(primary_key=True, max_length=120)
    n: int = 0
