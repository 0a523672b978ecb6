"""Validation of the plugin's options into :class:`Settings`."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal
from urllib.parse import urlsplit

from redis.asyncio import Redis, RedisCluster

from .errors import LST_REDIS_ERR_INVALID_OPTION, LST_REDIS_ERR_UNKNOWN_OPTION

__all__ = ["DEFAULT_CONNECT_TIMEOUT", "SentinelSettings", "Settings", "parse_options"]

Kind = Literal["single", "cluster", "sentinel"]

#: Seconds the readiness PING may take when neither option nor plugin_timeout says less.
DEFAULT_CONNECT_TIMEOUT = 5.0

#: Options of the plugin itself; every other key must be an argument of the redis-py client.
_OWN = frozenset(
    {"url", "client", "close_client", "namespace", "connect_timeout", "cluster", "sentinel"}
)
#: Client arguments the plugin does not pass on: use ``client=`` for a client of your own.
_WITHHELD = frozenset({"self", "connection_pool", "auto_close_connection_pool"})
#: Options that say where the server is, so they conflict with ``client=`` and ``sentinel=``.
_ADDRESS = ("url", "host", "port", "unix_socket_path")
#: Options that say how to build a client, so they conflict with ``client=``.
_SETUP = frozenset({"url", "cluster", "sentinel"})
_CLUSTER_SCHEMES = {"redis+cluster": "redis", "rediss+cluster": "rediss"}
_SENTINEL_KEYS = frozenset({"hosts", "service_name", "sentinel_kwargs", "min_other_sentinels"})


@dataclass(frozen=True, slots=True)
class SentinelSettings:
    """Where the Sentinels are and which master they watch."""

    hosts: tuple[tuple[str, int], ...]
    service_name: str
    sentinel_kwargs: Mapping[str, Any]
    min_other_sentinels: int


@dataclass(frozen=True, slots=True)
class Settings:
    """The validated options of one registration."""

    kind: Kind
    namespace: str | None
    connect_timeout: float
    client: Any = None
    close_client: bool = False
    url: str | None = None
    sentinel: SentinelSettings | None = None
    client_kwargs: Mapping[str, Any] = field(default_factory=dict)


def parse_options(opts: Mapping[str, Any], plugin_timeout: float) -> Settings:
    """Validate ``opts``; ``plugin_timeout`` bounds the connect timeout.

    Raises:
        LST_REDIS_ERR_UNKNOWN_OPTION: a key the plugin and the client do not know.
        LST_REDIS_ERR_INVALID_OPTION: a value of the wrong type, or options that conflict.
    """
    kind = _kind(opts)
    _reject_unknown(opts, kind)
    _check_types(opts)
    _check_conflicts(opts, kind)
    kwargs = {key: value for key, value in opts.items() if key not in _OWN}
    url = opts.get("url")
    if kind == "cluster" and url is not None:
        url = _plain_scheme(url)
    return Settings(
        kind=kind,
        namespace=opts.get("namespace"),
        connect_timeout=_connect_timeout(opts.get("connect_timeout"), plugin_timeout),
        client=opts.get("client"),
        close_client=opts.get("close_client", False),
        url=url,
        sentinel=_sentinel(opts["sentinel"]) if kind == "sentinel" else None,
        client_kwargs=kwargs,
    )


def _kind(opts: Mapping[str, Any]) -> Kind:
    url = opts.get("url")
    if opts.get("cluster") is True or (isinstance(url, str) and _scheme(url) in _CLUSTER_SCHEMES):
        return "cluster"
    if opts.get("sentinel") is not None:
        return "sentinel"
    return "single"


def _reject_unknown(opts: Mapping[str, Any], kind: Kind) -> None:
    target = RedisCluster if kind == "cluster" else Redis
    accepted = _client_arguments(target)
    for key in opts:
        if key not in _OWN and key not in accepted:
            raise LST_REDIS_ERR_UNKNOWN_OPTION(key, f"redis.asyncio.{target.__name__}")


@cache
def _client_arguments(cls: type) -> frozenset[str]:
    params = inspect.signature(cls).parameters
    return frozenset(params) - _WITHHELD


def _check_types(opts: Mapping[str, Any]) -> None:
    _expect(opts, "url", str, "must be a URL string")
    _expect(opts, "host", str, "must be a string")
    _expect(opts, "username", str, "must be a string")
    _expect(opts, "password", str, "must be a string")
    _expect(opts, "namespace", str, "must be a string")
    for flag in ("ssl", "close_client", "cluster"):
        _expect(opts, flag, bool, "must be True or False")
    port = opts.get("port")
    if port is not None and not (_is_int(port) and 0 < port < 65536):
        raise LST_REDIS_ERR_INVALID_OPTION("port", f"must be a TCP port number, got {port!r}")
    db = opts.get("db")
    if db is not None and not (_is_int(db) and db >= 0):
        raise LST_REDIS_ERR_INVALID_OPTION("db", f"must be an integer >= 0, got {db!r}")
    if "client" in opts and not callable(getattr(opts["client"], "ping", None)):
        raise LST_REDIS_ERR_INVALID_OPTION("client", "must be a redis.asyncio client")


def _expect(opts: Mapping[str, Any], key: str, kind: type, what: str) -> None:
    value = opts.get(key)
    if value is not None and (not isinstance(value, kind) or (kind is str and not value)):
        raise LST_REDIS_ERR_INVALID_OPTION(key, f"{what}, got {value!r}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_conflicts(opts: Mapping[str, Any], kind: Kind) -> None:
    if "client" in opts:
        clash = next((key for key in opts if key not in _OWN or key in _SETUP), None)
        if clash is not None:
            raise LST_REDIS_ERR_INVALID_OPTION(
                "client", f"cannot be combined with {clash!r}: configure the client you pass"
            )
    elif "close_client" in opts:
        raise LST_REDIS_ERR_INVALID_OPTION("close_client", "only applies with client=")
    if opts.get("cluster") and opts.get("sentinel") is not None:
        raise LST_REDIS_ERR_INVALID_OPTION("sentinel", "cannot be combined with cluster")
    if kind == "sentinel":
        for key in _ADDRESS:
            if key in opts:
                raise LST_REDIS_ERR_INVALID_OPTION(
                    key, "cannot be combined with sentinel (the Sentinels name the master)"
                )
    elif "url" in opts:
        for key in _ADDRESS[1:]:
            if key in opts:
                raise LST_REDIS_ERR_INVALID_OPTION(key, "cannot be combined with url")


def _connect_timeout(value: object, plugin_timeout: float) -> float:
    if value is None:
        if plugin_timeout > 0:
            return min(DEFAULT_CONNECT_TIMEOUT, plugin_timeout / 2)
        return DEFAULT_CONNECT_TIMEOUT
    if not (isinstance(value, int | float) and not isinstance(value, bool) and value > 0):
        raise LST_REDIS_ERR_INVALID_OPTION(
            "connect_timeout", f"must be a number of seconds > 0, got {value!r}"
        )
    if plugin_timeout > 0 and value >= plugin_timeout:
        raise LST_REDIS_ERR_INVALID_OPTION(
            "connect_timeout",
            f"({value} s) must be shorter than the app's plugin_timeout ({plugin_timeout} s)",
        )
    return float(value)


def _sentinel(value: object) -> SentinelSettings:
    if not isinstance(value, Mapping):
        raise LST_REDIS_ERR_INVALID_OPTION(
            "sentinel", f"must be a mapping with hosts and service_name, got {value!r}"
        )
    for key in value:
        if key not in _SENTINEL_KEYS:
            raise LST_REDIS_ERR_UNKNOWN_OPTION(f"sentinel.{key}", "Sentinel")
    service = value.get("service_name")
    if not (isinstance(service, str) and service):
        raise LST_REDIS_ERR_INVALID_OPTION("sentinel.service_name", "must be a non-empty string")
    extra = value.get("sentinel_kwargs", {})
    if not isinstance(extra, Mapping):
        raise LST_REDIS_ERR_INVALID_OPTION("sentinel.sentinel_kwargs", "must be a mapping")
    others = value.get("min_other_sentinels", 0)
    if not (_is_int(others) and others >= 0):
        raise LST_REDIS_ERR_INVALID_OPTION("sentinel.min_other_sentinels", "must be an int >= 0")
    return SentinelSettings(_sentinel_hosts(value.get("hosts")), service, dict(extra), others)


def _sentinel_hosts(value: object) -> tuple[tuple[str, int], ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
        raise LST_REDIS_ERR_INVALID_OPTION(
            "sentinel.hosts", f'must be a non-empty list of ("host", port), got {value!r}'
        )
    return tuple(_host_port(item) for item in value)


def _host_port(item: object) -> tuple[str, int]:
    if isinstance(item, str):
        host, _, port = item.rpartition(":")
        if host and port.isdigit():
            return host, int(port)
    elif isinstance(item, list | tuple) and len(item) == 2:
        host, port = item
        if isinstance(host, str) and host and _is_int(port):
            return host, port
    raise LST_REDIS_ERR_INVALID_OPTION(
        "sentinel.hosts", f'items must be ("host", port) or "host:port", got {item!r}'
    )


def _scheme(url: str) -> str:
    return url.partition("://")[0].lower()


def _plain_scheme(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    return f"{_CLUSTER_SCHEMES.get(scheme.lower(), scheme)}{sep}{rest}"


def describe_url(url: str) -> str:
    """``host:port`` (or the socket path) of a Redis URL, without credentials."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return parts.path
    return f"{parts.hostname or 'localhost'}:{parts.port or 6379}"
