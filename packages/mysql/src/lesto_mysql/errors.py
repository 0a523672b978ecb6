"""The error catalogue of lesto-mysql: every error the plugin raises, with its code and status.

Match on the class (``except errors.LST_MYSQL_ERR_CONNECT``) or on ``err.code``;
the message text may change between releases, the codes do not.
"""

from lesto_errors import create_error

__all__ = [
    "LST_MYSQL_ERR_ALREADY_REGISTERED",
    "LST_MYSQL_ERR_CLOSED",
    "LST_MYSQL_ERR_CONNECT",
    "LST_MYSQL_ERR_DUPLICATE_NAME",
    "LST_MYSQL_ERR_NO_DEFAULT",
    "LST_MYSQL_ERR_OPTION_INVALID",
    "LST_MYSQL_ERR_OPTION_UNKNOWN",
    "LST_MYSQL_ERR_POOL_TIMEOUT",
    "LST_MYSQL_ERR_RESERVED_NAME",
    "LST_MYSQL_ERR_ROUTE_CONFIG",
    "LST_MYSQL_ERR_UNAVAILABLE",
    "LST_MYSQL_ERR_UNKNOWN_INSTANCE",
]

# --- registration ---------------------------------------------------------------------------

LST_MYSQL_ERR_OPTION_UNKNOWN = create_error(
    "LST_MYSQL_ERR_OPTION_UNKNOWN", "lesto-mysql has no option %r", 500, TypeError
)
LST_MYSQL_ERR_OPTION_INVALID = create_error(
    "LST_MYSQL_ERR_OPTION_INVALID", "lesto-mysql option %r: %s", 500, ValueError
)
LST_MYSQL_ERR_ALREADY_REGISTERED = create_error(
    "LST_MYSQL_ERR_ALREADY_REGISTERED",
    "lesto-mysql is already registered without a name here; give the second one a name=",
    500,
    RuntimeError,
)
LST_MYSQL_ERR_DUPLICATE_NAME = create_error(
    "LST_MYSQL_ERR_DUPLICATE_NAME",
    "a lesto-mysql instance named %r is already registered",
    500,
    RuntimeError,
)
LST_MYSQL_ERR_RESERVED_NAME = create_error(
    "LST_MYSQL_ERR_RESERVED_NAME",
    "%r cannot name a lesto-mysql instance: app.mysql.%s is part of its API",
    500,
    ValueError,
)

# --- connecting and using -------------------------------------------------------------------

LST_MYSQL_ERR_CONNECT = create_error(
    "LST_MYSQL_ERR_CONNECT",
    "cannot connect to MySQL at %s:%s (database %s): %s",
    503,
    ConnectionError,
)
LST_MYSQL_ERR_POOL_TIMEOUT = create_error(
    "LST_MYSQL_ERR_POOL_TIMEOUT",
    "no MySQL connection became free within %s s (acquire_timeout)",
    503,
    TimeoutError,
)
LST_MYSQL_ERR_UNAVAILABLE = create_error(
    "LST_MYSQL_ERR_UNAVAILABLE",
    "MySQL at %s is unavailable: %s",
    503,
    ConnectionError,
)
LST_MYSQL_ERR_CLOSED = create_error(
    "LST_MYSQL_ERR_CLOSED", "the lesto-mysql instance %s is closed", 503, RuntimeError
)
LST_MYSQL_ERR_NO_DEFAULT = create_error(
    "LST_MYSQL_ERR_NO_DEFAULT",
    "app.mysql.%s needs an instance registered without a name; only named ones exist (%s)",
    500,
    RuntimeError,
)

# --- routes ---------------------------------------------------------------------------------

LST_MYSQL_ERR_ROUTE_CONFIG = create_error(
    "LST_MYSQL_ERR_ROUTE_CONFIG", "route %s %s: config['mysql'] %s", 500, ValueError
)
LST_MYSQL_ERR_UNKNOWN_INSTANCE = create_error(
    "LST_MYSQL_ERR_UNKNOWN_INSTANCE",
    "route %s %s: no lesto-mysql instance named %r is registered",
    500,
    LookupError,
)
