"""Which asyncpg failures mean "the server is unavailable", and the 503 that replaces them.

The plugin's own API (queries, ``connect()``, ``transaction()``,
``transact()``, per-route transactions) raises ``LST_PG_ERR_UNAVAILABLE``
(503) instead of these, with the driver's error as ``__cause__``. Errors
that are the query's fault (syntax, constraints, a statement's own
``timeout``) are not in these lists and reach the caller unchanged.
"""

from __future__ import annotations

from typing import Any

import asyncpg  # type: ignore[import-untyped]

from .errors import LST_PG_ERR_UNAVAILABLE

__all__ = [
    "CONNECTING",
    "RELEASE_ERRORS",
    "SERVER_GONE",
    "connection_closed",
    "is_acquire_unavailable",
    "is_server_gone",
    "unavailable",
]

#: What asyncpg raises when a connection broke or the server refuses connections for now.
#: A connection lost in the middle of a statement is a ``ConnectionDoesNotExistError``
#: whose ``__cause__`` is the server's last word when it sent one (``AdminShutdownError``
#: "terminating connection due to administrator command" or "... unexpected postmaster
#: exit") or the socket error (``ConnectionResetError``).
SERVER_GONE: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,  # SQLSTATE class 08, ConnectionDoesNotExistError
    asyncpg.CannotConnectNowError,  # 57P03: starting up, shutting down, recovering
    asyncpg.AdminShutdownError,  # 57P01: terminated by a fast or immediate shutdown
    asyncpg.CrashShutdownError,  # 57P02: another backend crashed
    asyncpg.TooManyConnectionsError,  # 53300: max_connections reached
)
#: Around borrowing a connection, which may open one: also refused, reset or
#: unresolvable (``OSError``), too slow (asyncpg's connect timeout is a ``TimeoutError``)
#: and no server of the wanted kind (``target_session_attrs``) answering.
CONNECTING: tuple[type[BaseException], ...] = (
    *SERVER_GONE,
    OSError,
    TimeoutError,
    asyncpg.TargetServerAttributeNotMatched,
)
#: Raised on a connection that broke under it (asyncpg's protocol may report a lost
#: connection as an ``InternalClientError`` "cannot switch to state ..." or an
#: ``InterfaceError`` "connection is closed"): they count only when the connection is
#: closed as well.
_ON_A_CLOSED_CONNECTION: tuple[type[BaseException], ...] = (
    OSError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
)

#: What giving a connection back can raise when the connection broke as asyncpg reset it.
RELEASE_ERRORS: tuple[type[BaseException], ...] = (*SERVER_GONE, *_ON_A_CLOSED_CONNECTION)


def connection_closed(conn: Any) -> bool:
    """Whether ``conn``, a borrowed connection, is closed.

    Recent asyncpg (0.32 here) gives a pooled connection back to its pool as soon as
    the connection is lost, and its proxy then raises ``InterfaceError`` ("connection
    has been released back to the pool") on every call, ``is_closed()`` included. A
    connection the plugin still holds can only have been released that way: it is closed.
    """
    try:
        return bool(conn.is_closed())
    except asyncpg.InterfaceError:
        return True


def is_server_gone(error: BaseException, conn: Any) -> bool:
    """Whether ``error``, raised while ``conn`` was in use, means the server went away.

    Errors that are the query's fault (syntax, constraints, a statement's own
    ``timeout``) and errors that already carry a status are not.
    """
    if getattr(error, "status_code", None) is not None:
        return False  # an answer of its own (LST_PG_ERR_UNAVAILABLE itself, ...)
    if isinstance(error, SERVER_GONE):
        return True
    return (
        isinstance(error, _ON_A_CLOSED_CONNECTION) and conn is not None and connection_closed(conn)
    )


def is_acquire_unavailable(error: BaseException, pool: Any) -> bool:
    """Whether ``error``, raised while borrowing from ``pool``, means no server to use:
    it cannot be reached or refuses for now, or the pool is closing (the app is)."""
    if isinstance(error, CONNECTING):
        return True
    return isinstance(error, asyncpg.InterfaceError) and bool(pool.is_closing())


def unavailable(target: str, error: BaseException) -> Exception:
    """``LST_PG_ERR_UNAVAILABLE`` naming the server (no password) and the driver's error;
    raise it ``from error``."""
    return LST_PG_ERR_UNAVAILABLE(target, f"{type(error).__name__}: {error}")
