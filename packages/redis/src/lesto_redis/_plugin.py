"""The plugin: validate options, make or take a client, check the server, decorate, close."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from lesto import Lesto, plugin

from ._client import Built, build_client, close_client, describe_client
from ._namespaces import RedisNamespaces, check_namespace
from ._options import Settings, parse_options
from ._readiness import already_connected, check_server
from .errors import LST_REDIS_ERR_ALREADY_REGISTERED, LST_REDIS_ERR_DUPLICATE_NAMESPACE

__all__ = ["DECORATOR", "redis_plugin"]

#: The instance decorator the plugin adds.
DECORATOR = "redis"


@plugin(name="lesto-redis", lesto=">=0.1,<1")
async def redis_plugin(app: Lesto, opts: Mapping[str, Any]) -> None:
    """Share a ``redis.asyncio`` client as ``app.redis`` (or ``app.redis.<namespace>``).

    Raises:
        LST_REDIS_ERR_UNKNOWN_OPTION, LST_REDIS_ERR_INVALID_OPTION: bad options.
        LST_REDIS_ERR_ALREADY_REGISTERED, LST_REDIS_ERR_DUPLICATE_NAMESPACE,
        LST_REDIS_ERR_RESERVED_NAMESPACE: ``app.redis`` cannot take this client.
        LST_REDIS_ERR_CONNECT: the server did not answer PING.
    """
    settings = parse_options(opts, app.initial_config["plugin_timeout"])
    namespaces = _slot(app, settings.namespace)
    built = await _connect(settings)
    if namespaces is None:
        app.decorate(DECORATOR, built.client)
    else:
        assert settings.namespace is not None
        namespaces._add(settings.namespace, built.client)
    if built.closers:
        app.add_hook("on_close", _closer(built))


def _slot(app: Lesto, namespace: str | None) -> RedisNamespaces | None:
    """The container a namespaced client goes in (made if needed); ``None`` for ``app.redis``."""
    current = app.get_decorator(DECORATOR) if app.has_decorator(DECORATOR) else None
    if namespace is None:
        if current is not None:
            raise LST_REDIS_ERR_ALREADY_REGISTERED(_taken(current))
        return None
    check_namespace(namespace)
    if current is None:
        current = RedisNamespaces()
        app.decorate(DECORATOR, current)
    elif not isinstance(current, RedisNamespaces):
        raise LST_REDIS_ERR_ALREADY_REGISTERED(_taken(current))
    if namespace in current:
        raise LST_REDIS_ERR_DUPLICATE_NAMESPACE(namespace)
    return current


def _taken(current: Any) -> str:
    if isinstance(current, RedisNamespaces):
        return "app.redis holds namespaced clients; register this one with a namespace= too"
    return (
        "app.redis is already the client of an earlier registration; "
        "give every registration a namespace= to have several clients"
    )


async def _connect(settings: Settings) -> Built:
    """The client to decorate with, after a PING (skipped for a connected client passed in)."""
    if settings.client is not None:
        given = settings.client
        built = Built(given, describe_client(given))
        if settings.close_client:
            built.closers.append(lambda: close_client(given))
        if not already_connected(given):
            await check_server(given, built.address, settings.connect_timeout)
        return built
    built = build_client(settings)
    try:
        await check_server(built.client, built.address, settings.connect_timeout)
    except BaseException:
        await _close(built)
        raise
    return built


def _closer(built: Built) -> Callable[[Lesto], Awaitable[None]]:
    async def close_redis(instance: Lesto) -> None:
        await _close(built)

    return close_redis


async def _close(built: Built) -> None:
    for close in built.closers:
        await close()
