"""Opening, checking and closing asyncpg pools.

The plugin never lets ``ready()`` finish on a pool it has not used: after
the pool is made (or a pool passed in is initialised) one ``SELECT 1``
crosses the network. Every failure on the way, including running out of
``connect_timeout``, becomes ``LST_PG_ERR_CONNECT`` naming the server and
carrying the cause.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import Any

import asyncpg  # type: ignore[import-untyped]

from ._target import describe_target
from .errors import LST_PG_ERR_CONNECT
from .options import Options

__all__ = ["close_pool", "open_pool", "target_of"]

logger = logging.getLogger("lesto_postgres")


def target_of(options: Options) -> str:
    """``host:port, database "db"`` of the server the registration uses."""
    if options.pool is None:
        return describe_target(options.url)
    # asyncpg keeps how a pool connects only in private attributes; read them
    # for the message alone, and fall back to the defaults when they move.
    args = getattr(options.pool, "_connect_args", ()) or (None,)
    kwargs = getattr(options.pool, "_connect_kwargs", None)
    return describe_target(
        args[0] if isinstance(args[0], str) else None,
        kwargs if isinstance(kwargs, Mapping) else None,
    )


async def open_pool(options: Options) -> Any:
    """The pool to use, ready and checked with one round trip.

    Raises:
        LST_PG_ERR_CONNECT: the server is unreachable, refuses the
            connection, or does not answer within ``connect_timeout``.
    """
    pool = options.pool
    if pool is None:
        pool = asyncpg.create_pool(
            options.url, timeout=options.connect_timeout, **options.pool_options
        )
    try:
        async with asyncio.timeout(options.connect_timeout) as deadline:
            await pool
            await pool.fetchval("SELECT 1")
    except Exception as exc:
        if options.pool is None:
            _terminate(pool)
        raise LST_PG_ERR_CONNECT(target_of(options), _cause(exc, deadline, options)) from exc
    return pool


def _cause(exc: BaseException, deadline: asyncio.Timeout, options: Options) -> str:
    if isinstance(exc, TimeoutError) and deadline.expired():
        return f"no answer within {options.connect_timeout:g} s (connect_timeout)"
    return f"{type(exc).__name__}: {exc}"


def _terminate(pool: Any) -> None:
    """Drop whatever a failed start left open (asyncpg versions differ in what that is)."""
    with contextlib.suppress(asyncpg.InterfaceError):
        pool.terminate()


async def close_pool(pool: Any, limit: float, target: str) -> None:
    """Close ``pool`` gracefully, waiting up to ``limit`` seconds for borrowed
    connections to come back, then terminate whatever is left."""
    try:
        async with asyncio.timeout(limit):
            await pool.close()
    except TimeoutError:
        logger.warning(
            "lesto-postgres: connections to %s still in use after close_timeout (%g s); terminated",
            target,
            limit,
        )
        _terminate(pool)
