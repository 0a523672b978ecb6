"""lesto-postgres: a PostgreSQL pool on asyncpg for Lesto (the analogue of @fastify/postgres).

``app.register(lesto_postgres.plugin, url="postgresql://localhost/app")``
decorates ``app.pg``; see the README for the API, the options and the errors.
"""

from . import errors
from .__about__ import __version__
from .database import Connect, Postgres, Transaction
from .errors import (
    LST_PG_ERR_ALREADY_REGISTERED,
    LST_PG_ERR_CONNECT,
    LST_PG_ERR_INVALID_OPTION,
    LST_PG_ERR_POOL_TIMEOUT,
    LST_PG_ERR_RESERVED_NAME,
    LST_PG_ERR_ROUTE_CONFIG,
    LST_PG_ERR_TRANSACT_INVALID,
    LST_PG_ERR_UNAVAILABLE,
    LST_PG_ERR_UNKNOWN_INSTANCE,
    LST_PG_ERR_UNKNOWN_OPTION,
)
from .hints import PgApp, PgNamedRequest, PgRequest
from .options import DEFAULTS
from .plugin import RESERVED_NAMES, plugin
from .transactions import RequestConnections

__all__ = [
    "DEFAULTS",
    "LST_PG_ERR_ALREADY_REGISTERED",
    "LST_PG_ERR_CONNECT",
    "LST_PG_ERR_INVALID_OPTION",
    "LST_PG_ERR_POOL_TIMEOUT",
    "LST_PG_ERR_RESERVED_NAME",
    "LST_PG_ERR_ROUTE_CONFIG",
    "LST_PG_ERR_TRANSACT_INVALID",
    "LST_PG_ERR_UNAVAILABLE",
    "LST_PG_ERR_UNKNOWN_INSTANCE",
    "LST_PG_ERR_UNKNOWN_OPTION",
    "RESERVED_NAMES",
    "Connect",
    "PgApp",
    "PgNamedRequest",
    "PgRequest",
    "Postgres",
    "RequestConnections",
    "Transaction",
    "__version__",
    "errors",
    "plugin",
]
