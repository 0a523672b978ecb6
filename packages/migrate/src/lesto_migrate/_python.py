"""Python migrations: a file defines ``generate_sql()`` (returning SQL) or ``migrate(conn)``.

``generate_sql`` may be sync or async; ``migrate`` is ``async def`` and gets
the driver's connection (asyncpg, aiomysql or sqlite3), already inside the
migration's transaction. The module is imported when the migration runs (or
a dry run shows it), not when the directory is read.
"""

from __future__ import annotations

import importlib.util
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from ._files import Migration
from .errors import LST_MIGRATE_ERR_BAD_PY_MIGRATION

__all__ = ["PythonMigration", "load_python"]


@dataclass(frozen=True)
class PythonMigration:
    """What a Python migration file provides: SQL to run, or a function to call."""

    sql: str | None
    migrate: Callable[[Any], Awaitable[None]] | None


async def load_python(migration: Migration) -> PythonMigration:
    """Import ``migration``'s file and return its SQL or its ``migrate`` function."""
    module = _import(migration)
    generate = getattr(module, "generate_sql", None)
    migrate = getattr(module, "migrate", None)
    if callable(generate) == callable(migrate):
        which = "both" if callable(generate) else "neither"
        message = f"defines {which} of generate_sql() and migrate(conn); define exactly one"
        raise LST_MIGRATE_ERR_BAD_PY_MIGRATION(migration.filename, message)
    if callable(migrate):
        if not inspect.iscoroutinefunction(migrate):
            message = "migrate(conn) must be an async function"
            raise LST_MIGRATE_ERR_BAD_PY_MIGRATION(migration.filename, message)
        return PythonMigration(None, migrate)
    assert callable(generate)
    sql = generate()
    if inspect.isawaitable(sql):
        sql = await sql
    if not isinstance(sql, str):
        message = f"generate_sql() returned {type(sql).__name__}, not str"
        raise LST_MIGRATE_ERR_BAD_PY_MIGRATION(migration.filename, message)
    return PythonMigration(sql, None)


def _import(migration: Migration) -> ModuleType:
    name = f"lesto_migrate_file_{migration.version}_{migration.action}"
    spec = importlib.util.spec_from_file_location(name, migration.path)
    if spec is None or spec.loader is None:
        raise LST_MIGRATE_ERR_BAD_PY_MIGRATION(migration.filename, "cannot be imported")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        message = f"import failed: {type(error).__name__}: {error}"
        raise LST_MIGRATE_ERR_BAD_PY_MIGRATION(migration.filename, message, cause=error) from error
    return module
