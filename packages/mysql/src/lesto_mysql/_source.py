"""Where connections come from: an aiomysql pool, or one connection shared in turn.

Both sources hand out raw aiomysql connections with the same guarantees:
waiting at most ``acquire_timeout`` (then ``LST_MYSQL_ERR_POOL_TIMEOUT``),
never handing out a connection the server has closed (see :mod:`._health`),
and never putting back one left inside a transaction.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from . import errors
from ._health import is_stale

__all__ = ["ConnectionSource", "PoolSource", "Source"]

#: Turns given at once for a pool without a size limit (``maxsize=0``).
_UNBOUNDED = 1 << 30


class Source(Protocol):
    """What :class:`~lesto_mysql.MySQL` needs from a source of connections."""

    async def acquire(self) -> Any: ...

    def release(self, conn: Any, discard: bool = False) -> None: ...

    async def close(self, grace: float) -> None: ...


class PoolSource:
    """Connections from an ``aiomysql.Pool``; the pool is closed only when ``owned``.

    Callers take turns, at most ``maxsize`` at once. When all are busy a caller
    queues, and a released connection goes straight to the first in the queue
    (it stays checked out of the pool). aiomysql alone wakes waiters through a
    condition that newcomers can overtake, so under load one request could wait
    far past ``acquire_timeout`` while others are served; the queue serves
    callers in arrival order and saves the pool's wake-up round per release.

    Every caller waits with the same limit, so the queue is in deadline order too,
    and one timer, armed for the oldest waiter, gives up on all of them: on a busy
    server nearly every request queues, and ``asyncio.timeout`` per wait would arm
    and disarm a timer each time (about five microseconds on uvloop, plus two
    ``getpid()`` system calls for finding the loop and the task).
    """

    __slots__ = (
        "_acquire_timeout",
        "_busy",
        "_closed",
        "_label",
        "_limit",
        "_loop",
        "_owned",
        "_timer",
        "_waiters",
        "pool",
    )

    def __init__(self, pool: Any, acquire_timeout: float, owned: bool, label: str) -> None:
        """Make the source in the event loop that will use it."""
        self.pool = pool
        self._acquire_timeout = acquire_timeout
        self._owned = owned
        self._label = label
        self._closed = False
        self._limit: int = pool.maxsize or _UNBOUNDED
        self._busy = 0
        # Queued callers' turns and their deadlines, oldest first.
        self._waiters: deque[tuple[asyncio.Future[Any], float]] = deque()
        self._loop = asyncio.get_running_loop()
        self._timer: asyncio.TimerHandle | None = None

    async def acquire(self) -> Any:
        """A live connection from the pool.

        Raises:
            LST_MYSQL_ERR_CLOSED: the instance is closed.
            LST_MYSQL_ERR_POOL_TIMEOUT: no connection became free in time.
            pymysql.err.OperationalError: a new connection could not be made.
        """
        if self._closed:
            raise errors.LST_MYSQL_ERR_CLOSED(self._label)
        if self._busy < self._limit and not self._pending():
            self._busy += 1
        else:
            handed = await self._wait_turn()
            if handed is not None:
                return handed
        try:
            return await self._live_connection()
        except BaseException:
            self._pass_turn()
            raise

    def _pending(self) -> bool:
        """Whether a caller is queued (dropping those that gave up from the front)."""
        waiters = self._waiters
        while waiters and waiters[0][0].done():
            waiters.popleft()
        return bool(waiters)

    async def _wait_turn(self) -> Any:
        """Queue; the result is a handed-over connection, or ``None`` for a bare turn.

        Raises:
            LST_MYSQL_ERR_POOL_TIMEOUT: no turn came within ``acquire_timeout``.
        """
        loop = self._loop
        turn: asyncio.Future[Any] = loop.create_future()
        deadline = loop.time() + self._acquire_timeout
        self._waiters.append((turn, deadline))
        if self._timer is None:
            self._timer = loop.call_at(deadline, self._expire)
        try:
            return await turn
        except BaseException:
            if turn.done() and not turn.cancelled() and turn.exception() is None:
                self._give_back(turn.result())  # served just as the caller was cancelled
            raise

    def _expire(self) -> None:
        """Fail the queued turns whose deadline has passed; arm the timer for the next one."""
        self._timer = None
        now = self._loop.time()
        waiters = self._waiters
        while waiters:
            turn, deadline = waiters[0]
            if turn.done():
                waiters.popleft()
            elif deadline > now:
                self._timer = self._loop.call_at(deadline, self._expire)
                return
            else:
                waiters.popleft()
                turn.set_exception(errors.LST_MYSQL_ERR_POOL_TIMEOUT(self._acquire_timeout))

    async def _live_connection(self) -> Any:
        pool = self.pool
        while True:
            conn = await pool.acquire()
            if not is_stale(conn):
                return conn
            conn.close()
            pool.release(conn)

    def release(self, conn: Any, discard: bool = False) -> None:
        """Give ``conn`` back; ``discard`` closes it first (its state is unknown).

        A reusable connection goes to the first queued caller, if any; one that
        is closed or left inside a transaction goes back to the pool (which
        drops it) and the turn passes on.
        """
        if discard:
            conn.close()
        reusable = not (self._closed or conn.closed or conn.get_transaction_status())
        if reusable and self._pending():
            self._waiters.popleft()[0].set_result(conn)
            return
        self.pool.release(conn)
        self._pass_turn()

    def _give_back(self, handed: Any) -> None:
        if handed is None:
            self._pass_turn()
        else:
            self.release(handed)

    def _pass_turn(self) -> None:
        if self._pending():
            self._waiters.popleft()[0].set_result(None)
        else:
            self._busy -= 1

    async def close(self, grace: float) -> None:
        """Refuse new work; close an owned pool, waiting up to ``grace`` for busy connections."""
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        while self._pending():
            self._waiters.popleft()[0].set_exception(errors.LST_MYSQL_ERR_CLOSED(self._label))
        if not self._owned:
            return
        pool = self.pool
        pool.close()
        try:
            async with asyncio.timeout(grace):
                await pool.wait_closed()
        except TimeoutError:
            pool.terminate()
            await pool.wait_closed()


class ConnectionSource:
    """One connection, used by one caller at a time, made again when the server dropped it."""

    __slots__ = ("_acquire_timeout", "_closed", "_connect", "_label", "_lock", "connection")

    def __init__(
        self,
        connect: Callable[[], Awaitable[Any]],
        connection: Any,
        acquire_timeout: float,
        label: str,
    ) -> None:
        self.connection = connection
        self._connect = connect
        self._acquire_timeout = acquire_timeout
        self._label = label
        self._lock = asyncio.Lock()
        self._closed = False

    async def acquire(self) -> Any:
        """The connection, once the previous user released it.

        Raises:
            LST_MYSQL_ERR_CLOSED: the instance is closed.
            LST_MYSQL_ERR_POOL_TIMEOUT: the connection stayed busy for ``acquire_timeout``.
            pymysql.err.OperationalError: the connection had to be made again and could not be.
        """
        if self._closed:
            raise errors.LST_MYSQL_ERR_CLOSED(self._label)
        await self._wait_turn()
        try:
            if is_stale(self.connection):
                self.connection.close()
                self.connection = await self._connect()
        except BaseException:
            self._lock.release()
            raise
        return self.connection

    async def _wait_turn(self) -> None:
        deadline = asyncio.timeout(self._acquire_timeout)
        try:
            async with deadline:
                await self._lock.acquire()
        except TimeoutError:
            if deadline.expired():
                raise errors.LST_MYSQL_ERR_POOL_TIMEOUT(self._acquire_timeout) from None
            raise

    def release(self, conn: Any, discard: bool = False) -> None:
        """Let the next caller have the connection; one left in a transaction is closed."""
        if discard or conn.get_transaction_status():
            conn.close()
        self._lock.release()

    async def close(self, grace: float) -> None:
        """Wait up to ``grace`` for the current user, then say goodbye to the server."""
        self._closed = True
        try:
            async with asyncio.timeout(grace):
                await self._lock.acquire()
                await self.connection.ensure_closed()
        except TimeoutError:
            self.connection.close()
