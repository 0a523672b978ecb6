"""Opening a source of connections and checking the server answers before ``ready()``."""

from __future__ import annotations

import asyncio
from typing import Any

import aiomysql  # type: ignore[import-untyped]

from . import errors
from ._options import Settings
from ._source import ConnectionSource, PoolSource, Source
from ._url import Address

__all__ = ["describe_server", "open_source"]


async def open_source(settings: Settings, label: str) -> tuple[Source, bool]:
    """A checked source for ``settings`` and whether its connections autocommit.

    Making the connections and a ``SELECT 1`` round trip must finish within
    ``connect_timeout`` seconds.

    Raises:
        LST_MYSQL_ERR_CONNECT: the server cannot be reached, refuses the login or
            the database, or does not answer in time; names host, port and
            database, with the driver's error as the cause.
    """
    source: Source | None = None
    try:
        async with asyncio.timeout(settings.connect_timeout):
            source = await _make_source(settings, label)
            autocommit = await _round_trip(source)
    except Exception as error:
        if source is not None:
            await source.close(0.1)
        host, port, database = _where(settings)
        raise errors.LST_MYSQL_ERR_CONNECT(
            host, port, database, _describe(error, settings.connect_timeout), cause=error
        ) from error
    return source, autocommit


async def _make_source(settings: Settings, label: str) -> Source:
    if settings.pool is not None:
        return PoolSource(settings.pool, settings.acquire_timeout, settings.close_pool, label)
    assert settings.address is not None
    params = _connect_params(settings, settings.address)
    if settings.type == "connection":

        async def connect() -> Any:
            return await aiomysql.connect(**params)

        return ConnectionSource(connect, await connect(), settings.acquire_timeout, label)
    pool = await aiomysql.create_pool(
        minsize=settings.minsize,
        maxsize=settings.maxsize,
        pool_recycle=settings.pool_recycle,
        **params,
    )
    return PoolSource(pool, settings.acquire_timeout, True, label)


def _connect_params(settings: Settings, address: Address) -> dict[str, Any]:
    return {
        "host": address.host,
        "port": address.port,
        "user": address.user,
        "password": address.password,
        "db": address.database,
        "charset": settings.charset,
        "autocommit": settings.autocommit,
        "connect_timeout": settings.connect_timeout,
        "ssl": settings.ssl,
    }


async def _round_trip(source: Source) -> bool:
    conn = await source.acquire()
    try:
        async with conn.cursor() as cursor:
            await cursor.execute("SELECT 1")
            await cursor.fetchall()
        return bool(conn.get_autocommit())
    finally:
        source.release(conn)


def describe_server(settings: Settings) -> str:
    """``host:port (database 'db')`` of the server, as errors name it (never the password)."""
    host, port, database = _where(settings)
    return f"{host}:{port} (database {database})"


def _where(settings: Settings) -> tuple[str, Any, str]:
    if settings.address is not None:
        return settings.address.describe()
    known = getattr(settings.pool, "_conn_kwargs", {})
    database = known.get("db")
    return (
        known.get("host", "?"),
        known.get("port", "?"),
        repr(database) if database else "(none)",
    )


def _describe(error: BaseException, timeout: float) -> str:
    if isinstance(error, TimeoutError):
        return f"no answer within {timeout:g} s (connect_timeout)"
    return f"{type(error).__name__}: {error}"
