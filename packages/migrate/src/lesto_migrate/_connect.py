"""Pick the backend for a URL or for a driver's connection or pool."""

from __future__ import annotations

import importlib.util
import sqlite3
from typing import Any

from ._backend import Backend
from ._mysql import MysqlBackend
from ._postgres import PostgresBackend
from ._sqlite import SqliteBackend
from ._url import dialect_of, mysql_params, redact, sqlite_path
from .errors import LST_MIGRATE_ERR_BAD_CONNECTION, LST_MIGRATE_ERR_DRIVER_MISSING

__all__ = ["make_backend"]

_DRIVERS = {"postgres": ("asyncpg", "postgres"), "mysql": ("aiomysql", "mysql")}


def make_backend(database: Any, table: str, lock_timeout: float) -> Backend:
    """A backend for ``database``: a URL string, or an asyncpg/aiomysql/sqlite3 client."""
    if isinstance(database, str):
        return _from_url(database, table, lock_timeout)
    if isinstance(database, sqlite3.Connection):
        return SqliteBackend(table, "sqlite3 connection", lock_timeout, client=database)
    package = type(database).__module__.partition(".")[0]
    if package == "asyncpg":
        return PostgresBackend(table, "asyncpg connection", lock_timeout, client=database)
    if package == "aiomysql":
        return MysqlBackend(table, "aiomysql connection", lock_timeout, client=database)
    raise LST_MIGRATE_ERR_BAD_CONNECTION(type(database).__qualname__)


def _from_url(url: str, table: str, lock_timeout: float) -> Backend:
    dialect = dialect_of(url)
    where = redact(url)
    if dialect == "sqlite":
        return SqliteBackend(table, where, lock_timeout, path=sqlite_path(url))
    module, extra = _DRIVERS[dialect]
    if importlib.util.find_spec(module) is None:
        raise LST_MIGRATE_ERR_DRIVER_MISSING(where, module, extra)
    if dialect == "postgres":
        return PostgresBackend(table, where, lock_timeout, url=url)
    return MysqlBackend(table, where, lock_timeout, params=mysql_params(url))
