"""Building the redis-py client a registration uses, and closing what the plugin owns."""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio
import redis.asyncio.client
from redis.asyncio import RedisCluster, Sentinel
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import AuthenticationError, AuthorizationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from ._options import Settings, describe_url
from .errors import LST_REDIS_ERR_UNAVAILABLE

__all__ = [
    "DEFAULT_RETRIES",
    "Built",
    "Client",
    "Pipeline",
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


#: What redis-py raises when the server cannot be reached, dropped the connection, is
#: loading its data, or did not answer within ``socket_timeout`` (after its retries).
_GONE = (RedisConnectionError, RedisTimeoutError)
#: Connection errors that are a configuration mistake, not an outage: left as they are.
_NOT_AN_OUTAGE = (AuthenticationError, AuthorizationError)


def _unavailable(client: Any, error: BaseException) -> Exception | None:
    """``LST_REDIS_ERR_UNAVAILABLE`` for a connection-level ``error``, else ``None``."""
    if isinstance(error, _NOT_AN_OUTAGE) or getattr(error, "status_code", None) is not None:
        return None
    address = client.__dict__.get("_lesto_address") or describe_client(client)
    return LST_REDIS_ERR_UNAVAILABLE(address, f"{type(error).__name__}: {error}")


# redis-py's own execute_command, called without super() on every command.
_execute_command: Callable[..., Awaitable[Any]] = redis.asyncio.Redis.execute_command


class Client(redis.asyncio.Redis):
    """``redis.asyncio.Redis`` that reports an outage as ``LST_REDIS_ERR_UNAVAILABLE`` (503)
    and remembers its pub/sub objects, so closing the app closes them.

    A command (or pipeline) that fails with redis-py's ``ConnectionError`` or
    ``TimeoutError`` after the retry policy gave up raises
    ``LST_REDIS_ERR_UNAVAILABLE`` instead, which subclasses both and carries the
    original as ``__cause__``. Reply errors (``ResponseError``, ``WatchError``...)
    and authentication errors are unchanged.
    """

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        try:
            return await _execute_command(self, *args, **options)
        except _GONE as error:
            replacement = _unavailable(self, error)
            if replacement is None:
                raise
            raise replacement from error

    def pipeline(self, transaction: bool = True, shard_hint: str | None = None) -> Pipeline:
        """A :class:`Pipeline` (redis-py's, reporting outages as the client does)."""
        pipe = Pipeline(self.connection_pool, self.response_callbacks, transaction, shard_hint)
        address = self.__dict__.get("_lesto_address")
        if address is not None:
            pipe.__dict__["_lesto_address"] = address
        return pipe

    def pubsub(self, **kwargs: Any) -> PubSub:
        """A :class:`~redis.asyncio.client.PubSub`, closed with the app."""
        pubsub = super().pubsub(**kwargs)
        pubsubs: weakref.WeakSet[PubSub] = self.__dict__.setdefault(
            "_lesto_pubsubs", weakref.WeakSet()
        )
        pubsubs.add(pubsub)
        return pubsub


class Pipeline(redis.asyncio.client.Pipeline):
    """redis-py's pipeline whose ``execute()`` (and commands run at once after
    ``WATCH``) report an outage as ``LST_REDIS_ERR_UNAVAILABLE``."""

    async def execute(self, raise_on_error: bool = True) -> list[Any]:
        try:
            return await super().execute(raise_on_error)
        except _GONE as error:
            replacement = _unavailable(self, error)
            if replacement is None:
                raise
            raise replacement from error

    async def immediate_execute_command(self, *args: Any, **options: Any) -> Any:
        try:
            return await super().immediate_execute_command(*args, **options)  # type: ignore[no-untyped-call]
        except _GONE as error:
            replacement = _unavailable(self, error)
            if replacement is None:
                raise
            raise replacement from error


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
    _remember_address(client, address)
    return Built(client, address, [lambda: close_client(client)])


def _remember_address(client: Any, address: str) -> None:
    """Keep where ``client`` points for outage errors (``Client`` uses it)."""
    with contextlib.suppress(AttributeError):
        client.__dict__["_lesto_address"] = address


def _host_port(kwargs: dict[str, Any]) -> str:
    return f"{kwargs.get('host') or 'localhost'}:{kwargs.get('port') or 6379}"


def _sentinel_client(settings: Settings, kwargs: dict[str, Any]) -> Built:
    spec = settings.sentinel
    assert spec is not None
    sentinel = Sentinel(  # type: ignore[no-untyped-call, unused-ignore]
        list(spec.hosts),
        min_other_sentinels=spec.min_other_sentinels,
        sentinel_kwargs=dict(spec.sentinel_kwargs) or None,
        **kwargs,
    )
    client = sentinel.master_for(spec.service_name, redis_class=Client)
    hosts = ", ".join(f"{host}:{port}" for host, port in spec.hosts)
    _remember_address(client, f"master {spec.service_name!r} via Sentinels {hosts}")
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
