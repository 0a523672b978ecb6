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

__all__ = ["CONNECTING", "RELEASE_ERRORS", "SERVER_GONE", "is_server_gone", "unavailable"]

#: What asyncpg raises when a connection broke or the server refuses connections for now.
SERVER_GONE: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,  # SQLSTATE class 08, ConnectionDoesNotExistError
    asyncpg.CannotConnectNowError,  # 57P03: starting up, shutting down, recovering
    asyncpg.AdminShutdownError,  # 57P01: terminated by a fast shutdown
    asyncpg.CrashShutdownError,  # 57P02: another backend crashed
    asyncpg.TooManyConnectionsError,  # 53300: max_connections reached
)
#: Around borrowing a connection, which may open one: also refused, reset or
#: unresolvable (``OSError``) and too slow (asyncpg's connect timeout is a ``TimeoutError``).
CONNECTING: tuple[type[BaseException], ...] = (*SERVER_GONE, OSError, TimeoutError)
#: Raised on a connection that broke under it (asyncpg's protocol may report a lost
#: connection as an ``InternalClientError`` "another operation is in progress" or an
#: ``InterfaceError``): they count only when the connection is closed as well.
_ON_A_CLOSED_CONNECTION: tuple[type[BaseException], ...] = (
    OSError,
    asyncpg.InterfaceError,
    asyncpg.exceptions._base.InternalClientError,
)

#: What giving a connection back can raise when the connection broke as asyncpg reset it.
RELEASE_ERRORS: tuple[type[BaseException], ...] = (*SERVER_GONE, *_ON_A_CLOSED_CONNECTION)


def is_server_gone(error: BaseException, conn: Any) -> bool:
    """Whether ``error``, raised while ``conn`` was in use, means the server went away.

    Errors that are the query's fault (syntax, constraints, a statement's own
    ``timeout``) and errors that already carry a status are not.
    """
    if getattr(error, "status_code", None) is not None:
        return False  # an answer of its own (LST_PG_ERR_UNAVAILABLE itself, ...)
    if isinstance(error, SERVER_GONE):
        return True
    return isinstance(error, _ON_A_CLOSED_CONNECTION) and conn is not None and conn.is_closed()


def unavailable(target: str, error: BaseException) -> Exception:
    """``LST_PG_ERR_UNAVAILABLE`` naming the server (no password) and the driver's error;
    raise it ``from error``."""
    return LST_PG_ERR_UNAVAILABLE(target, f"{type(error).__name__}: {error}")
