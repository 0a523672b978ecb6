"""What ``Migrator.status()`` returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ._files import Migration

__all__ = ["AppliedMigration", "Status"]


@dataclass(frozen=True)
class AppliedMigration:
    """A row of the schema table, beside the ``do`` file it came from (if still there).

    ``checksum_ok`` is ``None`` when there is nothing to compare: no file, or
    no checksum recorded (Postgrator records none for JavaScript files).
    """

    version: int
    name: str | None
    md5: str | None
    run_at: datetime | None
    migration: Migration | None
    checksum_ok: bool | None


@dataclass(frozen=True)
class Status:
    """Where the database stands against the migration files."""

    database_version: int
    max_version: int
    applied: tuple[AppliedMigration, ...]
    pending: tuple[Migration, ...]
