"""Postgrator-like SQL migrations for PostgreSQL, MySQL/MariaDB and SQLite.

Library::

    async with Migrator("postgresql://localhost/app", "migrations") as migrator:
        applied = await migrator.migrate()

CLI: ``lesto-migrate migrate``. Lesto plugin: ``app.register(lesto_migrate.plugin,
url=..., directory=...)`` (needs ``lesto-migrate[lesto]``).
"""

from __future__ import annotations

from typing import Any

from . import errors
from .__about__ import __version__
from ._events import Event, EventKind, Listener
from ._files import Migration, checksum
from ._migrator import Migrator
from ._sql import Statement, split_statements
from ._status import AppliedMigration, Status

__all__ = [
    "AppliedMigration",
    "Event",
    "EventKind",
    "Listener",
    "Migration",
    "Migrator",
    "Statement",
    "Status",
    "__version__",
    "checksum",
    "errors",
    "plugin",
    "split_statements",
]


def __getattr__(name: str) -> Any:
    # The Lesto plugin imports lesto, an optional dependency: load it on first use.
    if name == "plugin":
        try:
            from ._plugin import plugin
        except ModuleNotFoundError as error:
            if error.name != "lesto":
                raise
            missing = errors.LST_MIGRATE_ERR_DRIVER_MISSING("The Lesto plugin", "lesto", "lesto")
            raise missing from error
        return plugin
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
