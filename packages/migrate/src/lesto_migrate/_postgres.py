"""PostgreSQL through asyncpg: a session advisory lock, transactional DDL."""

from __future__ import annotations

from typing import Any

from ._backend import Backend, Row, lock_key, lock_number
from ._files import Migration
from .errors import LST_MIGRATE_ERR_CONNECT, LST_MIGRATE_ERR_LOCK_TIMEOUT

__all__ = ["PostgresBackend"]

_LOCK_NOT_AVAILABLE = "55P03"


class PostgresBackend(Backend):
    """A URL (connected on first use), an ``asyncpg.Connection`` or an ``asyncpg.Pool``."""

    dialect = "postgres"
    qualified_tables = True

    def __init__(
        self,
        table: str,
        where: str,
        lock_timeout: float,
        url: str | None = None,
        client: Any = None,
    ) -> None:
        super().__init__(table, where, lock_timeout)
        self._url = url
        self._client = client
        self._pooled = client is not None and hasattr(client, "acquire")
        self._conn: Any = None if self._pooled else client
        self._quoted = ".".join(f'"{part}"' for part in table.split("."))
        self._lock = lock_number(lock_key(table))

    @property
    def connection(self) -> Any:
        return self._conn

    async def acquire(self) -> None:
        if self._pooled:
            self._conn = await self._client.acquire()
        elif self._conn is None:
            self._conn = await self._connect()

    async def _connect(self) -> Any:
        import asyncpg  # type: ignore[import-untyped]

        try:
            return await asyncpg.connect(self._url)
        except Exception as error:
            raise LST_MIGRATE_ERR_CONNECT(self.where, error, cause=error) from error

    async def release(self) -> None:
        if self._pooled and self._conn is not None:
            conn, self._conn = self._conn, None
            await self._client.release(conn)

    async def close(self) -> None:
        if self._client is None and self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()

    async def take_lock(self) -> None:
        milliseconds = max(1, round(self.lock_timeout * 1000))
        await self._conn.execute("BEGIN")
        try:
            await self._conn.execute(f"SET LOCAL lock_timeout = {milliseconds}")
            await self._conn.execute(f"SELECT pg_advisory_lock({self._lock})")
        except Exception as error:
            await self._conn.execute("ROLLBACK")
            if getattr(error, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
                raise LST_MIGRATE_ERR_LOCK_TIMEOUT(
                    self.where, self.lock_timeout, cause=error
                ) from error
            raise
        await self._conn.execute("COMMIT")

    async def drop_lock(self) -> None:
        if not self._conn.is_closed():
            await self._conn.execute(f"SELECT pg_advisory_unlock({self._lock})")

    async def execute(self, sql: str) -> None:
        await self._conn.execute(sql)

    async def begin(self) -> None:
        await self._conn.execute("BEGIN")

    async def commit(self) -> None:
        await self._conn.execute("COMMIT")

    async def rollback(self) -> None:
        await self._conn.execute("ROLLBACK")

    async def rows(self) -> list[Row]:
        if await self._conn.fetchval("SELECT to_regclass($1) IS NULL", self._quoted):
            return []
        sql = f"SELECT version, name, md5, run_at FROM {self._quoted} ORDER BY version"
        return [Row(int(r[0]), r[1], r[2], r[3]) for r in await self._conn.fetch(sql)]

    async def ensure_table(self) -> None:
        if "." in self.table:
            schema = self._quoted.partition(".")[0]
            await self._conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        await self._conn.execute(
            f"CREATE TABLE IF NOT EXISTS {self._quoted} "
            "(version BIGINT PRIMARY KEY, name TEXT, md5 TEXT, run_at TIMESTAMPTZ)"
        )

    async def record(self, migration: Migration) -> None:
        if migration.action == "do":
            columns = "(version, name, md5, run_at) VALUES ($1, $2, $3, now())"
            sql = f"INSERT INTO {self._quoted} {columns}"
            await self._conn.execute(sql, migration.version, migration.name, migration.md5)
        else:
            sql = f"DELETE FROM {self._quoted} WHERE version = $1"
            await self._conn.execute(sql, migration.version)

    async def drop_table(self) -> None:
        await self._conn.execute(f"DROP TABLE IF EXISTS {self._quoted}")
