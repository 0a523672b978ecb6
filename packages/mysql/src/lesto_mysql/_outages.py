"""Which aiomysql/PyMySQL failures mean "the server is unavailable", and the 503 for them.

``app.mysql``'s queries, ``connect()``, ``transaction()``, ``transact()``,
the methods of the connections they hand out and per-route transactions raise
``LST_MYSQL_ERR_UNAVAILABLE`` (503) instead of these, with the driver's error
as ``__cause__``. Errors that are the query's fault (syntax, duplicate keys,
constraints) are not in these lists and reach the caller unchanged.
"""

from __future__ import annotations

from typing import Any

import pymysql  # type: ignore[import-untyped]

from . import errors

__all__ = ["LOST_CONNECTION_CODES", "describe_connection", "is_server_gone", "unavailable"]

#: ``OperationalError`` codes of a server that cannot be reached or went away.
LOST_CONNECTION_CODES = frozenset(
    {
        2002,  # CR_CONNECTION_ERROR: cannot connect through the socket
        2003,  # CR_CONN_HOST_ERROR: cannot connect to the host
        2006,  # CR_SERVER_GONE_ERROR: server has gone away
        2013,  # CR_SERVER_LOST: lost connection during a query
        2055,  # CR_SERVER_LOST_EXTENDED: lost connection at a stage
        1053,  # ER_SERVER_SHUTDOWN: shutdown in progress
        1927,  # ER_CONNECTION_KILLED (MariaDB): the connection was killed
        1040,  # ER_CON_COUNT_ERROR: too many connections
    }
)
#: Raised by the driver around a connection that broke: they count only when the
#: connection is closed as well (or when none was made yet).
_ON_A_CLOSED_CONNECTION: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    pymysql.err.InterfaceError,
)


def is_server_gone(error: BaseException, raw: Any = None) -> bool:
    """Whether ``error`` means the server is unavailable.

    ``raw`` is the aiomysql connection in use (``None`` while one is being
    acquired, when a refused or timed-out connect counts as well).
    """
    if getattr(error, "status_code", None) is not None:
        return False  # an answer of its own (LST_MYSQL_ERR_POOL_TIMEOUT, ...)
    if isinstance(error, pymysql.err.OperationalError):
        return bool(error.args) and error.args[0] in LOST_CONNECTION_CODES
    if isinstance(error, _ON_A_CLOSED_CONNECTION):
        return raw is None or bool(getattr(raw, "closed", False))
    return False


def describe_connection(raw: Any) -> str:
    """``host:port (database 'db')`` of an aiomysql connection (never the password)."""
    database = getattr(raw, "db", None)
    where = f"{getattr(raw, 'host', '?')}:{getattr(raw, 'port', '?')}"
    return f"{where} (database {database!r})" if database else f"{where} (database (none))"


def unavailable(target: str, error: BaseException) -> Exception:
    """``LST_MYSQL_ERR_UNAVAILABLE`` naming the server and the driver's error;
    raise it ``from error``."""
    return errors.LST_MYSQL_ERR_UNAVAILABLE(target, f"{type(error).__name__}: {error}")
