"""``client=``: a client of your own, closed only with ``close_client=True``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import lesto_redis
import pytest
import redis.asyncio
from lesto import Lesto

Lookup = Callable[[str], Awaitable[list[dict[str, Any]]]]


async def test_client_kept_open_by_default(
    redis_url: str, client_name: str, connections: Lookup
) -> None:
    client = redis.asyncio.Redis.from_url(redis_url, client_name=client_name)
    app = Lesto()
    app.register(lesto_redis.plugin, client=client)
    await app.ready()
    assert app.redis is client
    await app.close()
    assert len(await connections(client_name)) == 1  # the readiness PING's connection
    assert await client.ping() is True
    await client.aclose()


async def test_close_client_closes_it(
    redis_url: str, client_name: str, connections: Lookup, wait_gone: Lookup
) -> None:
    client = redis.asyncio.Redis.from_url(redis_url, client_name=client_name)
    app = Lesto()
    app.register(lesto_redis.plugin, client=client, close_client=True, namespace="mine")
    await app.ready()
    assert app.redis.mine is client
    assert len(await connections(client_name)) == 1
    await app.close()
    assert await wait_gone(client_name) == []


@pytest.mark.parametrize("single", [False, True])
async def test_connected_client_is_not_pinged(
    redis_url: str, client_name: str, connections: Lookup, single: bool
) -> None:
    client = redis.asyncio.Redis.from_url(
        redis_url, client_name=client_name, single_connection_client=single
    )
    await client.set("warm", "1")
    app = Lesto()
    app.register(lesto_redis.plugin, client=client)
    await app.ready()
    [entry] = await connections(client_name)
    assert entry["cmd"] == "set"  # the last command is still the app's own, not a PING
    await app.close()
    await client.aclose()


async def test_unconnected_client_is_pinged(
    redis_url: str, client_name: str, connections: Lookup
) -> None:
    client = redis.asyncio.Redis.from_url(redis_url, client_name=client_name)
    app = Lesto()
    app.register(lesto_redis.plugin, client=client)
    await app.ready()
    [entry] = await connections(client_name)
    assert entry["cmd"] == "ping"
    await app.close()
    await client.aclose()


async def test_unreachable_client_fails_ready(free_port: int) -> None:
    client = redis.asyncio.Redis(port=free_port)
    app = Lesto()
    app.register(lesto_redis.plugin, client=client, connect_timeout=1)
    with pytest.raises(lesto_redis.LST_REDIS_ERR_CONNECT) as info:
        await app.ready()
    assert f":{free_port}" in str(info.value)
    await client.aclose()
