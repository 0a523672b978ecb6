"""Building the redis-py client a registration uses, and closing what the plugin owns."""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio
from redis.asyncio import RedisCluster, Sentinel
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff

from ._options import Settings, describe_url

__all__ = [
    "DEFAULT_RETRIES",
    "Built",
    "Client",
    "build_client",
    "close_client",
    "default_retry",
    "describe_client",
]

#: Retries of a command that failed with a connection error or a timeout (after startup).
DEFAULT_RETRIES = 4
#: Backoff before retry n: a random delay in [0, base * 2**n], at most cap (seconds).
DEFAULT_BACKOFF_BASE = 0.05
DEFAULT_BACKOFF_CAP = 1.0


class Client(redis.asyncio.Redis):
    """``redis.asyncio.Redis`` remembering its pub/sub objects, so closing the app closes them."""

    def pubsub(self, **kwargs: Any) -> PubSub:
        """A :class:`~redis.asyncio.client.PubSub`, closed with the app."""
        pubsub = super().pubsub(**kwargs)
        pubsubs: weakref.WeakSet[PubSub] = self.__dict__.setdefault(
            "_lesto_pubsubs", weakref.WeakSet()
        )
        pubsubs.add(pubsub)
        return pubsub


@dataclass(slots=True)
class Built:
    """A client the plugin made, where it points, and what closing it involves."""

    client: Any
    address: str
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)


def default_retry() -> Retry:
    """The retry policy of clients the plugin makes when ``retry`` is not given."""
    backoff = ExponentialWithJitterBackoff(base=DEFAULT_BACKOFF_BASE, cap=DEFAULT_BACKOFF_CAP)
    return Retry(backoff, DEFAULT_RETRIES)


def build_client(settings: Settings) -> Built:
    """Make the client ``settings`` describe; nothing connects yet."""
    kwargs = dict(settings.client_kwargs)
    kwargs.setdefault("retry", default_retry())
    kwargs.setdefault("socket_connect_timeout", settings.connect_timeout)
    if settings.kind == "sentinel":
        return _sentinel_client(settings, kwargs)
    cls: Any = RedisCluster if settings.kind == "cluster" else Client
    if settings.url is not None:
        client = cls.from_url(settings.url, **kwargs)
        address = describe_url(settings.url)
    else:
        client = cls(**kwargs)
        address = kwargs.get("unix_socket_path") or _host_port(kwargs)
    return Built(client, address, [lambda: close_client(client)])


def _host_port(kwargs: dict[str, Any]) -> str:
    return f"{kwargs.get('host') or 'localhost'}:{kwargs.get('port') or 6379}"


def _sentinel_client(settings: Settings, kwargs: dict[str, Any]) -> Built:
    spec = settings.sentinel
    assert spec is not None
    sentinel = Sentinel(  # type: ignore[no-untyped-call]
        list(spec.hosts),
        min_other_sentinels=spec.min_other_sentinels,
        sentinel_kwargs=dict(spec.sentinel_kwargs) or None,
        **kwargs,
    )
    client = sentinel.master_for(spec.service_name, redis_class=Client)
    hosts = ", ".join(f"{host}:{port}" for host, port in spec.hosts)
    closers: list[Callable[[], Awaitable[None]]] = [lambda: close_client(client)]
    closers.extend(node.aclose for node in sentinel.sentinels)
    return Built(client, f"master {spec.service_name!r} via Sentinels {hosts}", closers)


def describe_client(client: Any) -> str:
    """Where a client passed in points, for error messages."""
    pool = getattr(client, "connection_pool", None)
    kwargs = getattr(pool, "connection_kwargs", None)
    if isinstance(kwargs, dict):
        return str(kwargs.get("path") or _host_port(kwargs))
    node = getattr(client, "get_default_node", lambda: None)()
    name = getattr(node, "name", None)
    return str(name) if name else f"the given {type(client).__name__}"


async def close_client(client: Any) -> None:
    """Close ``client``: its pub/sub objects, then every connection of its pool (in use too)."""
    for pubsub in list(client.__dict__.get("_lesto_pubsubs", ())):
        await pubsub.aclose()
    if isinstance(client, redis.asyncio.Redis):
        await client.aclose(close_connection_pool=True)
    else:
        await client.aclose()
