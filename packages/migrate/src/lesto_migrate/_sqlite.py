"""SQLite through the standard library: every migration in its own exclusive transaction.

SQLite has no session lock, so the lock is the transaction itself:
``BEGIN EXCLUSIVE`` waits (the busy timeout) while another runner writes.
A connection opened from a URL is driven from one worker thread, so the
event loop never blocks on the file or on the lock; a ``sqlite3.Connection``
passed in is used on the calling thread, as its owner set it up.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar

from ._backend import Backend, Row
from ._files import Migration
from .errors import LST_MIGRATE_ERR_CONNECT, LST_MIGRATE_ERR_LOCK_TIMEOUT

__all__ = ["SqliteBackend"]

_TABLE_EXISTS = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"

T = TypeVar("T")


class SqliteBackend(Backend):
    """A file path (opened on first use) or a ``sqlite3.Connection``."""

    dialect = "sqlite"
    exclusive_steps = True

    def __init__(
        self,
        table: str,
        where: str,
        lock_timeout: float,
        path: str | None = None,
        client: Any = None,
    ) -> None:
        super().__init__(table, where, lock_timeout)
        self._path = path
        self._conn: sqlite3.Connection | None = client
        self._owned = client is None
        self._executor: ThreadPoolExecutor | None = None
        self._quoted = f'"{table}"'

    @property
    def connection(self) -> Any:
        return self._conn

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        if self._executor is None:
            return fn(*args)
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    async def acquire(self) -> None:
        if self._conn is not None:
            return
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="lesto-migrate-sqlite")
        try:
            self._conn = await self._call(self._open)
        except sqlite3.Error as error:
            raise LST_MIGRATE_ERR_CONNECT(self.where, error, cause=error) from error

    def _open(self) -> sqlite3.Connection:
        return sqlite3.connect(
            self._path or "",
            timeout=self.lock_timeout,
            isolation_level=None,
            check_same_thread=False,
        )

    async def release(self) -> None:
        return None

    async def close(self) -> None:
        if self._owned and self._conn is not None:
            conn, self._conn = self._conn, None
            await self._call(conn.close)
        if self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None

    def _run(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        assert self._conn is not None
        return self._conn.execute(sql, args).fetchall()

    async def take_lock(self) -> None:
        return None

    async def drop_lock(self) -> None:
        return None

    async def execute(self, sql: str) -> None:
        await self._call(self._run, sql)

    async def begin(self) -> None:
        await self._waiting(self._run, "BEGIN EXCLUSIVE")

    async def _waiting(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn``, which may wait for another runner's lock: busy means lock timeout."""
        try:
            return await self._call(fn, *args)
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise
            timeout = self.lock_timeout
            raise LST_MIGRATE_ERR_LOCK_TIMEOUT(self.where, timeout, cause=error) from error

    async def commit(self) -> None:
        await self._call(self._run, "COMMIT")

    async def rollback(self) -> None:
        assert self._conn is not None
        if self._conn.in_transaction:
            await self._call(self._run, "ROLLBACK")

    async def rows(self) -> list[Row]:
        found = await self._waiting(
            self._run,
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
            (self.table,),
        )
        if not found:
            return []
        sql = f"SELECT version, name, md5, run_at FROM {self._quoted} ORDER BY version"
        found = await self._waiting(self._run, sql)
        return [Row(int(v), n, m, _parse(at)) for v, n, m, at in found]

    async def ensure_table(self) -> None:
        await self._waiting(
            self._run,
            f"CREATE TABLE IF NOT EXISTS {self._quoted} "
            "(version INTEGER PRIMARY KEY, name TEXT, md5 TEXT, run_at TEXT)",
        )

    async def record(self, migration: Migration) -> None:
        if migration.action == "do":
            now = datetime.now(UTC).isoformat()
            sql = f"INSERT INTO {self._quoted} (version, name, md5, run_at) VALUES (?, ?, ?, ?)"
            await self._call(
                self._run, sql, (migration.version, migration.name, migration.md5, now)
            )
        else:
            sql = f"DELETE FROM {self._quoted} WHERE version = ?"
            await self._call(self._run, sql, (migration.version,))

    async def drop_table(self) -> None:
        await self._waiting(self._run, f"DROP TABLE IF EXISTS {self._quoted}")


def _parse(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
