"""The error catalogue of lesto-redis: every error the plugin raises, with its code and status."""

from __future__ import annotations

import redis.exceptions
from lesto_errors import create_error

__all__ = [
    "LST_REDIS_ERR_ALREADY_REGISTERED",
    "LST_REDIS_ERR_CONNECT",
    "LST_REDIS_ERR_DUPLICATE_NAMESPACE",
    "LST_REDIS_ERR_INVALID_OPTION",
    "LST_REDIS_ERR_RESERVED_NAMESPACE",
    "LST_REDIS_ERR_UNAVAILABLE",
    "LST_REDIS_ERR_UNKNOWN_NAMESPACE",
    "LST_REDIS_ERR_UNKNOWN_OPTION",
]


class _MissingNamespaceError(KeyError, AttributeError):
    """Base of the unknown-namespace error, so both ``[name]`` and ``.name`` users can catch it."""


class _UnavailableError(redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
    """Base of the outage error: code that catches redis-py's ``ConnectionError`` or
    ``TimeoutError`` (the errors it replaces) keeps catching it."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        # redis-py sets ``status_code = None`` on every instance, which would hide the
        # class's 503 from Lesto's error handler.
        self.__dict__.pop("status_code", None)


LST_REDIS_ERR_UNKNOWN_OPTION = create_error(
    "LST_REDIS_ERR_UNKNOWN_OPTION",
    "lesto-redis: unknown option %r (not a lesto-redis option nor a %s argument)",
    500,
    TypeError,
)
LST_REDIS_ERR_INVALID_OPTION = create_error(
    "LST_REDIS_ERR_INVALID_OPTION", "lesto-redis: option %r %s", 500, ValueError
)
LST_REDIS_ERR_CONNECT = create_error(
    "LST_REDIS_ERR_CONNECT", "lesto-redis: cannot reach Redis at %s: %s", 503, ConnectionError
)
LST_REDIS_ERR_UNAVAILABLE = create_error(
    "LST_REDIS_ERR_UNAVAILABLE",
    "lesto-redis: Redis at %s is unavailable: %s",
    503,
    _UnavailableError,
)
LST_REDIS_ERR_ALREADY_REGISTERED = create_error(
    "LST_REDIS_ERR_ALREADY_REGISTERED", "lesto-redis: %s", 500, RuntimeError
)
LST_REDIS_ERR_DUPLICATE_NAMESPACE = create_error(
    "LST_REDIS_ERR_DUPLICATE_NAMESPACE",
    "lesto-redis: namespace %r is already registered",
    500,
    RuntimeError,
)
LST_REDIS_ERR_RESERVED_NAMESPACE = create_error(
    "LST_REDIS_ERR_RESERVED_NAMESPACE",
    "lesto-redis: namespace %r is reserved (it would hide %s)",
    500,
    ValueError,
)
LST_REDIS_ERR_UNKNOWN_NAMESPACE = create_error(
    "LST_REDIS_ERR_UNKNOWN_NAMESPACE",
    "lesto-redis: no Redis client in namespace %r (registered: %s)",
    500,
    _MissingNamespaceError,
)
