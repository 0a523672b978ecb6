"""Share a ``redis.asyncio`` client across a Lesto application (like @fastify/redis).

``app.register(lesto_redis.plugin, url="redis://localhost:6379/0")`` gives
``app.redis``; ``namespace="cache"`` gives ``app.redis.cache`` instead.
"""

from . import errors
from .__about__ import __version__
from ._client import DEFAULT_RETRIES, Client, Pipeline, default_retry
from ._namespaces import RedisNamespaces
from ._options import DEFAULT_CONNECT_TIMEOUT
from ._plugin import redis_plugin
from .errors import (
    LST_REDIS_ERR_ALREADY_REGISTERED,
    LST_REDIS_ERR_CONNECT,
    LST_REDIS_ERR_DUPLICATE_NAMESPACE,
    LST_REDIS_ERR_INVALID_OPTION,
    LST_REDIS_ERR_RESERVED_NAMESPACE,
    LST_REDIS_ERR_UNAVAILABLE,
    LST_REDIS_ERR_UNKNOWN_NAMESPACE,
    LST_REDIS_ERR_UNKNOWN_OPTION,
)

#: The plugin: ``app.register(lesto_redis.plugin, **options)``.
plugin = redis_plugin

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_RETRIES",
    "LST_REDIS_ERR_ALREADY_REGISTERED",
    "LST_REDIS_ERR_CONNECT",
    "LST_REDIS_ERR_DUPLICATE_NAMESPACE",
    "LST_REDIS_ERR_INVALID_OPTION",
    "LST_REDIS_ERR_RESERVED_NAMESPACE",
    "LST_REDIS_ERR_UNAVAILABLE",
    "LST_REDIS_ERR_UNKNOWN_NAMESPACE",
    "LST_REDIS_ERR_UNKNOWN_OPTION",
    "Client",
    "Pipeline",
    "RedisNamespaces",
    "__version__",
    "default_retry",
    "errors",
    "plugin",
    "redis_plugin",
]
