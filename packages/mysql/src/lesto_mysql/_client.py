"""``MySQL``: the object behind ``app.mysql`` and each named ``app.mysql.<name>``."""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from . import errors
from ._connection import Connection, Result, execute, executemany, query
from ._outages import is_server_gone, unavailable
from ._source import ConnectionSource, PoolSource, Source
from ._sql import escape, escape_id, format_sql

__all__ = ["MySQL"]

logger = logging.getLogger("lesto_mysql")

T = TypeVar("T")
Operation = Callable[[Any, type, str, Any], Awaitable[T]]


class MySQL:
    """A MySQL/MariaDB instance: queries, connections and transactions over one source.

    ``app.mysql`` is the instance registered without a name; instances
    registered with ``name="replica"`` are its attributes (``app.mysql.replica``).
    When only named instances exist, ``app.mysql`` holds them and its own
    query methods raise ``LST_MYSQL_ERR_NO_DEFAULT``.

    Arguments use the ``%s`` placeholder style (``%(name)s`` with a mapping);
    the driver escapes them, so values never need quoting by hand.
    """

    escape = staticmethod(escape)
    escape_id = staticmethod(escape_id)
    format = staticmethod(format_sql)

    def __init__(self, label: str) -> None:
        self._label = label
        self._source: Source | None = None
        self._cursor_class: type = object
        self._autocommit = True
        self._target = "?"
        self._named: dict[str, MySQL] = {}

    def __repr__(self) -> str:
        return f"<lesto_mysql.MySQL {self._label}>"

    # --- set up by the plugin --------------------------------------------------------------

    def _configure(
        self, source: Source, cursor_class: type, autocommit: bool, target: str = "?"
    ) -> None:
        self._source = source
        self._cursor_class = cursor_class
        self._autocommit = autocommit
        self._target = target

    def _add_named(self, name: str, instance: MySQL) -> None:
        self._named[name] = instance
        setattr(self, name, instance)

    @property
    def _configured(self) -> bool:
        return self._source is not None

    def _require(self, what: str) -> Source:
        if self._source is None:
            raise errors.LST_MYSQL_ERR_NO_DEFAULT(what, ", ".join(sorted(self._named)))
        return self._source

    def _unavailable(self, error: BaseException, raw: Any = None) -> Exception | None:
        """``LST_MYSQL_ERR_UNAVAILABLE`` when ``error`` means the server is down, else ``None``."""
        return unavailable(self._target, error) if is_server_gone(error, raw) else None

    # --- state -----------------------------------------------------------------------------

    @property
    def pool(self) -> Any:
        """The ``aiomysql.Pool`` (``None`` with ``type="connection"``)."""
        source = self._require("pool")
        return source.pool if isinstance(source, PoolSource) else None

    @property
    def connection(self) -> Any:
        """The ``aiomysql.Connection`` of ``type="connection"`` (``None`` with a pool)."""
        source = self._require("connection")
        return source.connection if isinstance(source, ConnectionSource) else None

    @property
    def names(self) -> Mapping[str, MySQL]:
        """The named instances, by name."""
        return dict(self._named)

    # --- queries ---------------------------------------------------------------------------

    async def query(self, sql: str, args: Any = None) -> list[Any]:
        """Run ``sql`` on a connection of the pool; return every row.

        Rows are dicts (``cursor="dict"``, the default) or tuples. ``args`` fills
        the ``%s`` placeholders (a sequence) or ``%(name)s`` ones (a mapping).
        """
        return await self._run(query, sql, args)

    async def execute(self, sql: str, args: Any = None) -> Result:
        """Run ``sql``; return ``Result(affected_rows, insert_id)``."""
        return await self._run(execute, sql, args)

    async def executemany(self, sql: str, args: Iterable[Any]) -> Result:
        """Run ``sql`` once per item of ``args`` (one multi-row ``INSERT`` when possible)."""
        return await self._run(executemany, sql, args)

    async def _run(self, operation: Operation[T], sql: str, args: Any) -> T:
        if not self._autocommit:
            async with self.transaction() as conn:
                return await operation(conn.raw, self._cursor_class, sql, args)
        source = self._require("query")
        try:
            raw = await source.acquire()
        except Exception as error:
            if (replacement := self._unavailable(error)) is not None:
                raise replacement from error
            raise
        try:
            result = await operation(raw, self._cursor_class, sql, args)
        except Exception as error:
            replacement = self._unavailable(error, raw)  # before release, which may close raw
            source.release(raw)
            if replacement is not None:
                raise replacement from error
            raise
        except BaseException:
            source.release(raw, discard=True)
            raise
        source.release(raw)
        return result

    async def ping(self) -> None:
        """A round trip to the server on a pooled connection; raises when it fails."""
        source = self._require("ping")
        raw = await self._acquire(source)
        try:
            await raw.ping(reconnect=False)
        except Exception as error:
            if (replacement := self._unavailable(error, raw)) is not None:
                raise replacement from error
            raise
        finally:
            source.release(raw)

    async def _acquire(self, source: Source) -> Any:
        """A connection of ``source``; a server that is down is ``LST_MYSQL_ERR_UNAVAILABLE``."""
        try:
            return await source.acquire()
        except Exception as error:
            if (replacement := self._unavailable(error)) is not None:
                raise replacement from error
            raise

    # --- connections and transactions ------------------------------------------------------

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[Connection]:
        """``async with app.mysql.connect() as conn``: a connection, released on exit.

        A connection left inside a transaction is closed rather than reused.
        """
        source = self._require("connect")
        raw = await self._acquire(source)
        try:
            yield Connection(raw, self._cursor_class)
        except Exception as error:
            replacement = self._unavailable(error, raw)  # before release, which may close raw
            source.release(raw)
            if replacement is not None:
                raise replacement from error
            raise
        except BaseException:
            source.release(raw, discard=True)
            raise
        source.release(raw)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        """``async with app.mysql.transaction() as conn``: commit on success, else roll back.

        The connection is released in every case; one whose rollback failed is
        closed instead (the server then rolls back). A server that went away
        (here or in the block) is ``LST_MYSQL_ERR_UNAVAILABLE`` (503).
        """
        source = self._require("transaction")
        raw = await self._acquire(source)
        clean = False
        try:
            await raw.begin()
            yield Connection(raw, self._cursor_class)
            await raw.commit()
            clean = True
        except BaseException as error:
            clean = await rollback_quietly(raw)
            if (replacement := self._unavailable(error, raw)) is not None:
                raise replacement from error
            raise
        finally:
            source.release(raw, discard=not clean)

    async def transact(self, fn: Callable[[Connection], Awaitable[T] | T]) -> T:
        """Run ``fn(conn)`` in a transaction and return its result.

        It commits when ``fn`` returns and rolls back when it raises (the error
        propagates). ``fn`` may be ``async`` or plain.
        """
        async with self.transaction() as conn:
            result = fn(conn)
            if inspect.isawaitable(result):
                return await result
            return result

    # --- closing ---------------------------------------------------------------------------

    async def _close(self, grace: float) -> None:
        if self._source is not None:
            await self._source.close(grace)


async def rollback_quietly(raw: Any) -> bool:
    """Roll back; whether it worked (a failure is logged, the caller discards ``raw``).

    A closed connection has nothing to roll back: the server ended its transaction.
    """
    if raw.closed:
        return False
    try:
        await raw.rollback()
    except Exception:
        logger.warning("lesto-mysql: rollback failed; closing the connection", exc_info=True)
        return False
    return True
