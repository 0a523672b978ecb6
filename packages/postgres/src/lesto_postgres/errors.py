"""Every error lesto-postgres raises, with its stable code (``LST_PG_ERR_*``).

Code elsewhere raises these classes; the README lists them. Match on the
class or on ``err.code``, never on the message text.
"""

from __future__ import annotations

from lesto_errors import create_error

__all__ = [
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
]

# Registration: options and names, raised while the plugin loads.
LST_PG_ERR_UNKNOWN_OPTION = create_error(
    "LST_PG_ERR_UNKNOWN_OPTION",
    "Unknown option(s) of lesto-postgres: %s (the options are: %s)",
    500,
    TypeError,
)
LST_PG_ERR_INVALID_OPTION = create_error(
    "LST_PG_ERR_INVALID_OPTION",
    "Option %s of lesto-postgres %s, got %r",
    500,
    ValueError,
)
LST_PG_ERR_RESERVED_NAME = create_error(
    "LST_PG_ERR_RESERVED_NAME",
    "lesto-postgres instance name %r is reserved: app.pg.%s is part of the API",
    500,
    ValueError,
)
LST_PG_ERR_ALREADY_REGISTERED = create_error(
    "LST_PG_ERR_ALREADY_REGISTERED",
    "lesto-postgres %s is already registered in this context",
    500,
    ValueError,
)

# Reaching the server, checked before ready() completes.
LST_PG_ERR_CONNECT = create_error(
    "LST_PG_ERR_CONNECT",
    "Cannot connect to PostgreSQL at %s: %s",
    500,
    ConnectionError,
)

# Using the pool.
LST_PG_ERR_POOL_TIMEOUT = create_error(
    "LST_PG_ERR_POOL_TIMEOUT",
    "No PostgreSQL connection of %s became free within %s s (max_size %d, acquire_timeout)",
    503,
    TimeoutError,
)
LST_PG_ERR_UNAVAILABLE = create_error(
    "LST_PG_ERR_UNAVAILABLE",
    "PostgreSQL at %s is unavailable: %s",
    503,
    ConnectionError,
)
LST_PG_ERR_UNKNOWN_INSTANCE = create_error(
    "LST_PG_ERR_UNKNOWN_INSTANCE",
    "No lesto-postgres instance %s is registered (registered: %s)",
    500,
    LookupError,
)
LST_PG_ERR_TRANSACT_INVALID = create_error(
    "LST_PG_ERR_TRANSACT_INVALID",
    "transact() takes a function of the connection, got %r",
    500,
    TypeError,
)

# Per-route transactions, checked when the route is added.
LST_PG_ERR_ROUTE_CONFIG = create_error(
    "LST_PG_ERR_ROUTE_CONFIG",
    'Route %s: config["pg"] %s, got %r',
    500,
    ValueError,
)
