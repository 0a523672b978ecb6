"""``app.close()`` closes what the plugin made: connections, pub/sub, pipelines."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import lesto_redis
from lesto import Lesto, plugin

Lookup = Callable[[str], Awaitable[list[dict[str, Any]]]]


async def _app(url: str, name: str, **opts: Any) -> Lesto:
    app = Lesto()
    app.register(lesto_redis.plugin, url=url, client_name=name, **opts)
    await app.ready()
    return app


async def test_close_closes_created_clients(
    redis_url: str, client_name: str, connections: Lookup, wait_gone: Lookup
) -> None:
    app = await _app(redis_url, client_name, namespace="a")
    await asyncio.gather(*(app.redis.a.incr("n") for _ in range(5)))  # several connections
    assert len(await connections(client_name)) >= 1
    await app.close()
    assert await wait_gone(client_name) == []


async def test_close_closes_pubsub(
    redis_url: str, client_name: str, connections: Lookup, wait_gone: Lookup
) -> None:
    app = await _app(redis_url, client_name)
    pubsub = app.redis.pubsub()
    await pubsub.subscribe("news")
    await app.redis.publish("news", "hello")
    message = None
    while message is None:  # the first call reads the subscribe confirmation
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5)
    assert message["data"] == b"hello"
    assert any(entry["sub"] == "1" for entry in await connections(client_name))
    await app.close()
    assert await wait_gone(client_name) == []


async def test_close_with_a_listening_task(
    redis_url: str, client_name: str, connections: Lookup, wait_gone: Lookup
) -> None:
    received: list[Any] = []

    @plugin(name="news")
    async def news(app: Lesto, opts: object) -> None:
        pubsub = app.redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe("news")

        async def listen() -> None:
            async for message in pubsub.listen():
                received.append(message["data"])

        task = asyncio.create_task(listen())
        app.add_hook("on_close", lambda app: task.cancel())  # runs before lesto-redis closes

    app = Lesto()
    app.register(lesto_redis.plugin, url=redis_url, client_name=client_name)
    app.register(news)
    await app.ready()
    await app.redis.publish("news", "hello")
    for _ in range(100):
        if received:
            break
        await asyncio.sleep(0.05)
    assert received == [b"hello"]
    await app.close()
    assert await wait_gone(client_name) == []


async def test_close_closes_watching_pipeline(
    redis_url: str, client_name: str, connections: Lookup, wait_gone: Lookup
) -> None:
    app = await _app(redis_url, client_name)
    pipe = app.redis.pipeline()
    await pipe.watch("balance")  # holds a connection until reset
    assert any(entry["cmd"] == "watch" for entry in await connections(client_name))
    await app.close()
    assert await wait_gone(client_name) == []
