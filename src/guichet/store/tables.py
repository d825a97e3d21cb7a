"""Database rows (SQLModel ``table=True``), kept apart from the domain objects.

Instants are stored as naive UTC datetimes on every backend, so that the unique index on a
slot's start compares the same values on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, text
from sqlmodel import Field, SQLModel

# Naive UTC on every backend (SQLModel's default type insists on aware datetimes).
UTC_NAIVE = DateTime(timezone=False)

# Statuses that hold a seat: a seen or missed appointment still used its slot.
ACTIVE_STATUSES = ("booked", "seen", "noshow")
_ACTIVE_SQL = "status IN ('booked', 'seen', 'noshow')"


class SchemaVersion(SQLModel, table=True):
    """One row per schema version applied; the highest is the database's version."""

    __tablename__ = "schema_version"

    version: int = Field(primary_key=True)
    applied_at: datetime = Field(sa_type=UTC_NAIVE)  # naive UTC


class AppointmentRow(SQLModel, table=True):
    """One appointment: a seat of a slot, held while its status is active."""

    __tablename__ = "appointment"
    __table_args__ = (
        # No double booking, enforced by the database itself (DESIGN.md).
        Index(
            "uq_appointment_active_seat",
            "agency", "kind", "channel", "start", "seat",
            unique=True,
            sqlite_where=text(_ACTIVE_SQL),
            postgresql_where=text(_ACTIVE_SQL),
        ),
        Index("ix_appointment_slot", "agency", "kind", "channel", "start"),
        Index("ix_appointment_day", "agency", "start"),
        Index("ix_appointment_file_number", "file_number"),
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


class JournalRow(SQLModel, table=True):
    """Append-only journal: who did what to which record, when. No personal data."""

    __tablename__ = "journal"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTC_NAIVE)  # naive UTC
    actor: str = Field(max_length=64)
    action: str = Field(max_length=40)  # e.g. "appointment.booked"
    record_type: str = Field(max_length=20)  # "appointment" | "handoff"
    record_id: int | None = Field(default=None)
