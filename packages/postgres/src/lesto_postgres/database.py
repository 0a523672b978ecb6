"""``app.pg``: queries, connections and transactions on a pool.

One :class:`Postgres` object is decorated as ``app.pg``. It serves the
instance registered without a name, and carries the named instances as
attributes (``app.pg.replica``), each a :class:`Postgres` of its own.

Every way in borrows a connection with ``Postgres._acquire``, which waits
at most ``acquire_timeout`` seconds for a free one and then raises
``LST_PG_ERR_POOL_TIMEOUT`` (503): a request never waits without a limit, and
the event loop never blocks. A server that is down, or drops the connection,
is ``LST_PG_ERR_UNAVAILABLE`` (503) wherever this API meets it
(:mod:`lesto_postgres.outages`).
"""

from __future__ import annotations

import asyncio
import collections.abc
import inspect
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import (
    LST_PG_ERR_POOL_TIMEOUT,
    LST_PG_ERR_TRANSACT_INVALID,
    LST_PG_ERR_UNKNOWN_INSTANCE,
)
from .outages import (
    RELEASE_ERRORS,
    connection_closed,
    is_acquire_unavailable,
    is_server_gone,
    unavailable,
)
from .waiting import WaitLimit

if TYPE_CHECKING:
    # A borrowed connection is asyncpg's Connection, which forwards
    # every Connection method; it is typed as a Connection so editors see them.
    from asyncpg import Connection, Record  # type: ignore[import-untyped]
    from asyncpg.pool import Pool  # type: ignore[import-untyped]

__all__ = ["Postgres"]

T = TypeVar("T")

logger = logging.getLogger("lesto_postgres")


class Postgres:
    """The query API of one pool; as ``app.pg``, also the named instances.

    Attributes:
        name: the instance name, ``None`` for the unnamed instance (and ``app.pg``).
    """

    def __init__(self, name: str | None = None) -> None:
        self.name = name
        self._pool: Pool | None = None
        self._free: Any = None
        self._target = ""
        self._acquire_timeout: float | None = None
        self._wait_limit: WaitLimit | None = None
        self._instances: dict[str, Postgres] = {}

    def __repr__(self) -> str:
        label = "unnamed" if self.name is None else repr(self.name)
        where = self._target or "no pool"
        named = f", named: {', '.join(self._instances)}" if self._instances else ""
        return f"<lesto_postgres.Postgres {label} ({where}){named}>"

    # --- setting up (the plugin) ---------------------------------------------------------------

    def _attach(self, pool: Pool, target: str, acquire_timeout: float | None) -> None:
        self._pool = pool
        self._target = target
        self._acquire_timeout = acquire_timeout
        self._wait_limit = None if acquire_timeout is None else WaitLimit(acquire_timeout)
        # The free connection slots in asyncpg's queue (private, so optional): while
        # there is one, acquire() cannot wait for a slot, and the wait limit can be
        # skipped. (The queue's own storage: testing it is cheaper than empty().)
        slots = getattr(getattr(pool, "_queue", None), "_queue", None)
        self._free = slots if isinstance(slots, collections.abc.Sized) else None

    def _add_instance(self, instance: Postgres) -> None:
        assert instance.name is not None
        self._instances[instance.name] = instance
        setattr(self, instance.name, instance)

    @property
    def _has_pool(self) -> bool:
        return self._pool is not None

    def _describe_missing(self) -> tuple[str, str]:
        """The arguments of LST_PG_ERR_UNKNOWN_INSTANCE for the missing unnamed instance."""
        return "without a name", self._registered_names()

    def _instance(self, name: str | None) -> Postgres:
        """The instance registered as ``name`` (``None``: the unnamed one).

        Raises:
            LST_PG_ERR_UNKNOWN_INSTANCE: no such instance is registered.
        """
        if name is None:
            if self._pool is None:
                raise LST_PG_ERR_UNKNOWN_INSTANCE(*self._describe_missing())
            return self
        found = self._instances.get(name)
        if found is None:
            raise LST_PG_ERR_UNKNOWN_INSTANCE(f'"{name}"', self._registered_names())
        return found

    def _registered_names(self) -> str:
        names = (["unnamed"] if self._pool is not None else []) + [
            f'"{name}"' for name in self._instances
        ]
        return ", ".join(names) or "none"

    if TYPE_CHECKING:
        # Named instances are attributes set at registration: app.pg.replica. (Only for
        # the type checker: a real __getattr__ would send every attribute access of the
        # query path through the slow lookup hook, about 40 ns each; an unknown name is
        # Python's own AttributeError, with its "Did you mean" suggestion.)
        def __getattr__(self, name: str) -> Postgres: ...

    # --- the pool --------------------------------------------------------------------------------

    @property
    def pool(self) -> Pool:
        """The ``asyncpg.Pool`` itself.

        Raises:
            LST_PG_ERR_UNKNOWN_INSTANCE: ``app.pg`` has only named instances.
        """
        pool = self._pool
        if pool is None:
            raise LST_PG_ERR_UNKNOWN_INSTANCE(*self._describe_missing())
        return pool

    async def _acquire(self) -> Connection:
        """Borrow a connection (what every way in uses).

        Raises:
            LST_PG_ERR_POOL_TIMEOUT: no connection became free within ``acquire_timeout``.
            LST_PG_ERR_UNAVAILABLE: a new connection was needed and the server is
                unreachable, refuses connections, or is too slow to answer; or the
                pool is closing.
        """
        pool = self._pool
        if pool is None:
            raise LST_PG_ERR_UNKNOWN_INSTANCE(*self._describe_missing())
        limit = self._wait_limit
        free = self._free
        if limit is None or free:
            try:
                return await pool.acquire()
            except Exception as error:
                if is_acquire_unavailable(error, pool):
                    raise unavailable(self._target, error) from error
                raise
        task = limit.start()
        try:
            return await pool.acquire()
        except asyncio.CancelledError:
            if limit.expired(task):
                raise LST_PG_ERR_POOL_TIMEOUT(
                    self._target, f"{self._acquire_timeout:g}", pool.get_max_size()
                ) from None
            raise
        except Exception as error:
            if is_acquire_unavailable(error, pool):
                raise unavailable(self._target, error) from error
            raise
        finally:
            limit.end(task)

    async def _release(self, conn: Connection) -> None:
        try:
            await self.pool.release(conn)
        except Exception as error:
            _release_failed(error)

    async def _on_connection(
        self,
        method: str,
        query: str,
        args: Sequence[Any],
        timeout: float | None,  # noqa: ASYNC109
        column: int | None = None,
    ) -> Any:
        """Borrow a connection, call its ``method``, give it back; a lost server is a 503.

        (The one-statement methods' hot path: no wait is possible while a connection is
        free, so the borrow is :meth:`_acquire` without its wait limit, inlined.)
        """
        pool = self._pool
        free = self._free
        if pool is not None and free:
            try:
                conn = await pool.acquire()
            except Exception as error:
                if is_acquire_unavailable(error, pool):
                    raise unavailable(self._target, error) from error
                raise
        else:
            conn = await self._acquire()
        try:
            call = getattr(conn, method)
            if column is None:
                return await call(query, *args, timeout=timeout)
            return await call(query, *args, column=column, timeout=timeout)
        except Exception as error:
            if is_server_gone(error, conn):
                raise unavailable(self._target, error) from error
            raise
        finally:
            try:
                await pool.release(conn)  # type: ignore[union-attr]
            except Exception as error:
                _release_failed(error)

    async def ping(self) -> None:
        """One round trip to the server (``SELECT 1``); raises when it fails."""
        await self.fetchval("SELECT 1")

    # --- queries (each borrows a connection for one statement) ---------------------------------
    # ``timeout`` is asyncpg's per-statement timeout, passed through as is.

    def query(
        self,
        query: str,
        *args: Any,
        timeout: float | None = None,
    ) -> Coroutine[Any, Any, list[Record]]:
        """The rows of ``query`` (the same as :meth:`fetch`)."""
        return self._on_connection("fetch", query, args, timeout)

    def fetch(
        self,
        query: str,
        *args: Any,
        timeout: float | None = None,
    ) -> Coroutine[Any, Any, list[Record]]:
        """The rows of ``query``, as asyncpg Records."""
        return self._on_connection("fetch", query, args, timeout)

    def fetchrow(
        self,
        query: str,
        *args: Any,
        timeout: float | None = None,
    ) -> Coroutine[Any, Any, Record | None]:
        """The first row of ``query``, or ``None``."""
        return self._on_connection("fetchrow", query, args, timeout)

    def fetchval(
        self,
        query: str,
        *args: Any,
        column: int = 0,
        timeout: float | None = None,
    ) -> Coroutine[Any, Any, Any]:
        """One value of the first row of ``query`` (``column`` picks it), or ``None``."""
        return self._on_connection("fetchval", query, args, timeout, column)

    def execute(
        self,
        query: str,
        *args: Any,
        timeout: float | None = None,
    ) -> Coroutine[Any, Any, str]:
        """Run ``query``; returns the status of the last command (``"INSERT 0 1"``)."""
        return self._on_connection("execute", query, args, timeout)

    async def executemany(
        self,
        command: str,
        args: Iterable[Sequence[Any]],
        *,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> None:
        """Run ``command`` once per argument tuple (atomically, as asyncpg does)."""
        await self._on_connection("executemany", command, (args,), timeout)

    # --- connections and transactions ----------------------------------------------------------

    def connect(self) -> Connect:
        """``async with app.pg.connect() as conn``: a borrowed connection, given back after."""
        return Connect(self)

    def transaction(
        self,
        *,
        isolation: str | None = None,
        readonly: bool = False,
        deferrable: bool = False,
    ) -> Transaction:
        """``async with app.pg.transaction() as conn``: a connection in a transaction.

        Commits when the block ends normally, rolls back when it raises, and
        gives the connection back either way. ``isolation``
        (``"serializable"``, ``"repeatable_read"``, ``"read_committed"``),
        ``readonly`` and ``deferrable`` are asyncpg's.
        """
        return Transaction(self, isolation, readonly, deferrable)

    async def transact(
        self,
        fn: Callable[[Connection], Awaitable[T] | T],
        *,
        isolation: str | None = None,
        readonly: bool = False,
        deferrable: bool = False,
    ) -> T:
        """Run ``fn(conn)`` in a transaction and return its result.

        Commits when ``fn`` returns, rolls back when it raises (and re-raises).

        Raises:
            LST_PG_ERR_TRANSACT_INVALID: ``fn`` is not callable.
        """
        if not callable(fn):
            raise LST_PG_ERR_TRANSACT_INVALID(fn)
        async with self.transaction(
            isolation=isolation, readonly=readonly, deferrable=deferrable
        ) as conn:
            result = fn(conn)
            if inspect.isawaitable(result):
                return await result
            return result


class Connect:
    """The context manager of :meth:`Postgres.connect`."""

    __slots__ = ("_conn", "_db")

    def __init__(self, db: Postgres) -> None:
        self._db = db
        self._conn: Connection | None = None

    async def __aenter__(self) -> Connection:
        self._conn = await self._db._acquire()
        return self._conn

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        gone = exc is not None and is_server_gone(exc, conn)  # before release: conn is a proxy
        await self._db._release(conn)
        if gone and exc is not None:
            raise unavailable(self._db._target, exc) from exc


class Transaction:
    """The context manager of :meth:`Postgres.transaction`."""

    __slots__ = ("_conn", "_db", "_options", "_transaction")

    def __init__(
        self, db: Postgres, isolation: str | None, readonly: bool, deferrable: bool
    ) -> None:
        self._db = db
        self._options = {"isolation": isolation, "readonly": readonly, "deferrable": deferrable}
        self._conn: Connection | None = None
        self._transaction: Any = None

    async def __aenter__(self) -> Connection:
        conn = await self._db._acquire()
        try:
            self._transaction = await begin(conn, **self._options)
        except BaseException as error:
            gone = is_server_gone(error, conn)
            await self._db._release(conn)
            if gone:
                raise unavailable(self._db._target, error) from error
            raise
        self._conn = conn
        return conn

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        transaction, self._transaction = self._transaction, None
        gone = False
        try:
            if exc_type is None:
                await commit(conn, transaction, self._db._target)
            else:
                await rollback_quietly(conn, transaction)
                gone = exc is not None and is_server_gone(exc, conn)
        finally:
            await self._db._release(conn)
        if gone and exc is not None:
            raise unavailable(self._db._target, exc) from exc


def _release_failed(error: Exception) -> None:
    """A connection that broke while asyncpg reset it for reuse: asyncpg has terminated
    it and freed its slot, and the work done on it was complete (committed or rolled
    back), so the caller's result stands. Anything else is raised."""
    if not isinstance(error, RELEASE_ERRORS):
        raise error
    logger.debug("lesto-postgres: a connection broke as it was given back", exc_info=error)


async def begin(conn: Connection, **options: Any) -> Any:
    """Start a top-level transaction on ``conn``; returns asyncpg's Transaction."""
    transaction = conn.transaction(**options)
    await transaction.start()
    return transaction


async def commit(conn: Connection, transaction: Any, target: str) -> None:
    """Commit; a server that went away meanwhile is ``LST_PG_ERR_UNAVAILABLE``.

    (The transaction is then lost: the server rolls back what it did not commit.)
    """
    try:
        await transaction.commit()
    except Exception as error:
        if is_server_gone(error, conn):
            raise unavailable(target, error) from error
        raise


async def rollback_quietly(conn: Connection, transaction: Any) -> None:
    """Roll back while another error is on its way: a failure here is logged, not raised,
    and a connection whose rollback failed is terminated rather than reused. A closed
    connection has nothing to roll back (the server ended the transaction with it), and
    one lost during the rollback neither."""
    if connection_closed(conn):
        return
    try:
        await transaction.rollback()
    except Exception:
        if connection_closed(conn):
            logger.debug("lesto-postgres: the connection was lost during a rollback", exc_info=True)
            return
        logger.warning("lesto-postgres: rollback failed; the connection is dropped", exc_info=True)
        conn.terminate()
