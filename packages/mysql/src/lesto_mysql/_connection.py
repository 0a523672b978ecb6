"""``Connection``: an acquired connection with the same query methods as ``app.mysql``.

``connect()``, ``transaction()``, ``transact(fn)`` and per-route transactions
(``request.mysql``) all hand out one of these. ``raw`` is the aiomysql
connection underneath, for anything this wrapper does not cover. A server that
went away is ``LST_MYSQL_ERR_UNAVAILABLE`` (503) from these methods; errors of
the query itself are PyMySQL's, unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from ._outages import describe_connection, is_server_gone, unavailable

__all__ = ["Connection", "Result", "execute", "executemany", "query"]


class Result(NamedTuple):
    """What ``execute`` and ``executemany`` return."""

    affected_rows: int
    """Rows inserted, updated or deleted (as the server counts them)."""
    insert_id: int | None
    """The ``AUTO_INCREMENT`` value of the last inserted row, else ``None``."""


async def query(raw: Any, cursor_class: type, sql: str, args: Any) -> list[Any]:
    """Run ``sql`` on ``raw`` and return every row."""
    cursor = await raw.cursor(cursor_class)
    try:
        await cursor.execute(sql, args)
        rows = await cursor.fetchall()
        return list(rows)
    finally:
        await cursor.close()


async def execute(raw: Any, cursor_class: type, sql: str, args: Any) -> Result:
    """Run ``sql`` on ``raw`` and return the affected row count and insert id."""
    cursor = await raw.cursor(cursor_class)
    try:
        affected = await cursor.execute(sql, args)
        return Result(affected, cursor.lastrowid or None)
    finally:
        await cursor.close()


async def executemany(raw: Any, cursor_class: type, sql: str, args: Iterable[Any]) -> Result:
    """Run ``sql`` once per item of ``args`` (batched into one ``INSERT`` when possible)."""
    cursor = await raw.cursor(cursor_class)
    try:
        affected = await cursor.executemany(sql, list(args))
        return Result(affected or 0, cursor.lastrowid or None)
    finally:
        await cursor.close()


class Connection:
    """One connection taken from an instance; hand it back by leaving its ``async with``."""

    __slots__ = ("_cursor_class", "_route_source", "raw")

    def __init__(self, raw: Any, cursor_class: type) -> None:
        self.raw = raw
        self._cursor_class = cursor_class
        # Set while a per-route transaction holds this connection (see ._routes).
        self._route_source: Any = None

    def __repr__(self) -> str:
        return f"<lesto_mysql.Connection {self.raw!r}>"

    async def query(self, sql: str, args: Any = None) -> list[Any]:
        """Run ``sql`` with ``%s`` placeholders filled from ``args``; return every row."""
        try:
            return await query(self.raw, self._cursor_class, sql, args)
        except Exception as error:
            if is_server_gone(error, self.raw):
                raise unavailable(describe_connection(self.raw), error) from error
            raise

    async def execute(self, sql: str, args: Any = None) -> Result:
        """Run ``sql``; return the affected row count and the last insert id."""
        try:
            return await execute(self.raw, self._cursor_class, sql, args)
        except Exception as error:
            if is_server_gone(error, self.raw):
                raise unavailable(describe_connection(self.raw), error) from error
            raise

    async def executemany(self, sql: str, args: Iterable[Any]) -> Result:
        """Run ``sql`` once per item of ``args``; return the total affected rows."""
        try:
            return await executemany(self.raw, self._cursor_class, sql, args)
        except Exception as error:
            if is_server_gone(error, self.raw):
                raise unavailable(describe_connection(self.raw), error) from error
            raise

    def cursor(self) -> Any:
        """An aiomysql cursor of the instance's kind (``async with conn.cursor() as cur``)."""
        return self.raw.cursor(self._cursor_class)

    async def begin(self) -> None:
        """Start a transaction."""
        try:
            await self.raw.begin()
        except Exception as error:
            if is_server_gone(error, self.raw):
                raise unavailable(describe_connection(self.raw), error) from error
            raise

    async def commit(self) -> None:
        """Commit the current transaction."""
        try:
            await self.raw.commit()
        except Exception as error:
            if is_server_gone(error, self.raw):
                raise unavailable(describe_connection(self.raw), error) from error
            raise

    async def rollback(self) -> None:
        """Roll back the current transaction."""
        try:
            await self.raw.rollback()
        except Exception as error:
            if is_server_gone(error, self.raw):
                raise unavailable(describe_connection(self.raw), error) from error
            raise
