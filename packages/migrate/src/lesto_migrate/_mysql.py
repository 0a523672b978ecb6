"""MySQL and MariaDB through aiomysql: ``GET_LOCK``, and DDL that commits by itself."""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime
from typing import Any

from ._backend import Backend, Row, lock_key
from ._files import Migration
from .errors import LST_MIGRATE_ERR_CONNECT, LST_MIGRATE_ERR_LOCK_TIMEOUT

__all__ = ["MysqlBackend"]

_LOCK_NAME_LIMIT = 64


class MysqlBackend(Backend):
    """A URL (connected on first use), an ``aiomysql.Connection`` or an ``aiomysql.Pool``."""

    dialect = "mysql"
    transactional_ddl = False

    def __init__(
        self,
        table: str,
        where: str,
        lock_timeout: float,
        params: dict[str, Any] | None = None,
        client: Any = None,
    ) -> None:
        super().__init__(table, where, lock_timeout)
        self._params = params
        self._client = client
        self._pooled = client is not None and hasattr(client, "acquire")
        self._conn: Any = None if self._pooled else client
        self._quoted = f"`{table}`"
        self._lock_name = ""

    @property
    def connection(self) -> Any:
        return self._conn

    async def acquire(self) -> None:
        if self._pooled:
            self._conn = await self._client.acquire()
        elif self._conn is None:
            self._conn = await self._connect()

    async def _connect(self) -> Any:
        import aiomysql  # type: ignore[import-untyped]

        try:
            return await aiomysql.connect(**(self._params or {}), autocommit=True)
        except Exception as error:
            raise LST_MIGRATE_ERR_CONNECT(self.where, error, cause=error) from error

    async def release(self) -> None:
        if self._pooled and self._conn is not None:
            conn, self._conn = self._conn, None
            self._client.release(conn)

    async def close(self) -> None:
        if self._client is None and self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()

    async def _query(self, sql: str, args: Any = None) -> list[Any]:
        async with self._conn.cursor() as cursor:
            await cursor.execute(sql, args)
            return list(await cursor.fetchall())

    async def take_lock(self) -> None:
        if not self._lock_name:
            self._lock_name = self._name_lock(await self._query("SELECT DATABASE()"))
        seconds = max(1, math.ceil(self.lock_timeout))
        got = await self._query("SELECT GET_LOCK(%s, %s)", (self._lock_name, seconds))
        if got[0][0] != 1:
            raise LST_MIGRATE_ERR_LOCK_TIMEOUT(self.where, self.lock_timeout)

    def _name_lock(self, database: list[Any]) -> str:
        name = lock_key(str(database[0][0]), self.table)
        if len(name) > _LOCK_NAME_LIMIT:
            name = "lesto-migrate:" + hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()
        return name

    async def drop_lock(self) -> None:
        if not self._conn.closed:
            await self._query("SELECT RELEASE_LOCK(%s)", (self._lock_name,))

    async def execute(self, sql: str) -> None:
        async with self._conn.cursor() as cursor:
            await cursor.execute(sql)
            while await cursor.nextset():
                pass

    async def begin(self) -> None:
        await self._conn.begin()

    async def commit(self) -> None:
        await self._conn.commit()

    async def rollback(self) -> None:
        await self._conn.rollback()

    async def rows(self) -> list[Row]:
        if not await self._table_exists():
            return []
        found = await self._query(
            f"SELECT version, name, md5, run_at FROM {self._quoted} ORDER BY version"
        )
        return [Row(int(v), n, m, _utc(at)) for v, n, m, at in found]

    async def _table_exists(self) -> bool:
        sql = (
            "SELECT COUNT(*) FROM information_schema.tables "
            "WHERE table_schema = DATABASE() AND table_name = %s"
        )
        return bool((await self._query(sql, (self.table,)))[0][0])

    async def ensure_table(self) -> None:
        # Checked first: IF NOT EXISTS on an existing table makes the driver warn.
        if await self._table_exists():
            return
        await self._query(
            f"CREATE TABLE IF NOT EXISTS {self._quoted} "
            "(version BIGINT PRIMARY KEY, name TEXT, md5 TEXT, run_at DATETIME(6) NULL)"
        )

    async def record(self, migration: Migration) -> None:
        if migration.action == "do":
            await self._query(
                f"INSERT INTO {self._quoted} (version, name, md5, run_at) "
                "VALUES (%s, %s, %s, UTC_TIMESTAMP(6))",
                (migration.version, migration.name, migration.md5),
            )
        else:
            sql = f"DELETE FROM {self._quoted} WHERE version = %s"
            await self._query(sql, (migration.version,))

    async def drop_table(self) -> None:
        await self._query(f"DROP TABLE IF EXISTS {self._quoted}")


def _utc(value: Any) -> datetime | None:
    """MySQL returns naive datetimes; the schema table stores UTC."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return None
