"""Database rows (SQLModel ``table=True``), kept apart from the domain objects."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class SchemaVersion(SQLModel, table=True):
    """One row per schema version applied; the highest is the database's version."""

    __tablename__ = "schema_version"

    version: int = Field(primary_key=True)
    applied_at: datetime
