"""Which server a registration talks to, as errors print it: ``host:port, database "db"``.

Read from the URL (several hosts, ``?host=``/``?port=``/``?dbname=``
parameters and socket directories included) and, where it says nothing,
from the libpq variables asyncpg also reads (``PGHOST``, ``PGPORT``,
``PGDATABASE``, ``PGUSER``). The password never appears.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from urllib.parse import parse_qs, unquote

__all__ = ["describe_target"]

_DEFAULT_PORT = "5432"


def describe_target(url: str | None, kwargs: Mapping[str, object] | None = None) -> str:
    """``127.0.0.1:5432, database "app"`` for a URL and asyncpg connect keywords."""
    kwargs = kwargs or {}
    user, hosts, path, query = _split(url or "")
    port = _first(query, "port") or _text(kwargs.get("port")) or os.environ.get("PGPORT")
    host_list = (
        _hosts(_first(query, "host"))
        or hosts
        or _hosts(_text(kwargs.get("host")) or os.environ.get("PGHOST"))
        or [("localhost", None)]
    )
    user = (
        user
        or _first(query, "user")
        or _text(kwargs.get("user"))
        or os.environ.get("PGUSER")
        or _os_user()
    )
    database = (
        path
        or _first(query, "dbname", "database")
        or _text(kwargs.get("database"))
        or os.environ.get("PGDATABASE")
        or user
    )
    where = ", ".join(_address(host, host_port or port) for host, host_port in host_list)
    return f'{where}, database "{database}"'


def _split(url: str) -> tuple[str, list[tuple[str, str | None]], str, dict[str, list[str]]]:
    """(user, hosts, database, query parameters) of a URL; empty parts when absent."""
    rest = url.partition("://")[2]
    rest, _, query = rest.partition("?")
    netloc, _, path = rest.partition("/")
    credentials, _, hostspec = netloc.rpartition("@")
    user = unquote(credentials.partition(":")[0])
    return user, _hosts(hostspec), unquote(path), parse_qs(query)


def _hosts(spec: str | None) -> list[tuple[str, str | None]]:
    """``h1:5432,[::1]:5433,/run/sock`` as (host, port or None) pairs."""
    if not spec:
        return []
    pairs: list[tuple[str, str | None]] = []
    for item in unquote(spec).split(","):
        if item.startswith("["):
            host, _, tail = item[1:].partition("]")
            pairs.append((host, tail.lstrip(":") or None))
        elif item.startswith("/") or item.count(":") != 1:
            pairs.append((item, None))
        else:
            host, _, port = item.partition(":")
            pairs.append((host or "localhost", port or None))
    return pairs


def _address(host: str, port: str | None) -> str:
    port = port or _DEFAULT_PORT
    if host.startswith("/"):
        return f"{host}/.s.PGSQL.{port}"
    if ":" in host:
        return f"[{host}]:{port}"
    return f"{host}:{port}"


def _first(query: dict[str, list[str]], *names: str) -> str | None:
    for name in names:
        if query.get(name):
            return query[name][0]
    return None


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    return str(value)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "postgres"
