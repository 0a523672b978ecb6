"""The readiness check: one PING before ``ready()`` completes."""

from __future__ import annotations

import asyncio
from typing import Any

from .errors import LST_REDIS_ERR_CONNECT, LST_REDIS_ERR_UNAVAILABLE

__all__ = ["already_connected", "check_server"]


async def check_server(client: Any, address: str, seconds: float) -> None:
    """PING through ``client`` within ``seconds``.

    Raises:
        LST_REDIS_ERR_CONNECT: no PONG, naming ``address`` and the cause.
    """
    try:
        async with asyncio.timeout(seconds):
            await client.ping()
    except TimeoutError as exc:
        cause = f"no reply to PING within {seconds:g} s (a TLS mismatch or dropped packets?)"
        raise LST_REDIS_ERR_CONNECT(address, cause) from exc
    except Exception as exc:  # any failure of the PING, RedisClusterException included
        driver_error: BaseException = exc
        if isinstance(exc, LST_REDIS_ERR_UNAVAILABLE) and exc.__cause__ is not None:
            driver_error = exc.__cause__  # the driver's own error says more at startup
        raise LST_REDIS_ERR_CONNECT(address, _describe(driver_error)) from driver_error


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def already_connected(client: Any) -> bool:
    """Whether a client passed in holds an open connection (then it is not waited on)."""
    single = getattr(client, "connection", None)
    if single is not None:
        return bool(getattr(single, "is_connected", False))
    pool = getattr(client, "connection_pool", None)
    idle = getattr(pool, "_available_connections", ())
    return any(getattr(conn, "is_connected", False) for conn in idle)
