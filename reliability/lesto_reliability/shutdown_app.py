"""The application of the graceful-shutdown test, served with ``lesto run``.

``lesto run lesto_reliability.shutdown_app:build`` with:

- ``RELIABILITY_REDIS_URL``: where acknowledged writes go (lesto-redis);
- ``RELIABILITY_EVENTS``: a file that gets one line per close step.

Routes: ``GET /health``, ``GET /slow?s=SECONDS`` (in flight during the
shutdown), ``POST /write/:id`` (answers 201 once the key is stored).
Close hooks are registered so that their order is observable: the child
plugin's runs first, then lesto-redis closes its client, then the root's,
which also records how many connections the app still has on Redis.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import lesto_redis
import redis.asyncio as aioredis
from lesto import Lesto

CLIENT_NAME = "reliability-shutdown"


def _record(line: str) -> None:
    with open(os.environ["RELIABILITY_EVENTS"], "a", encoding="utf-8") as events:
        events.write(line + "\n")


async def _connections_left(url: str) -> int:
    """Connections named :data:`CLIENT_NAME` that Redis still sees (given 2 s to notice)."""
    probe = aioredis.Redis.from_url(url)
    try:
        for _ in range(40):
            clients = await probe.client_list()
            left = sum(1 for client in clients if client.get("name") == CLIENT_NAME)
            if left == 0:
                return 0
            await asyncio.sleep(0.05)
        return left
    finally:
        await probe.aclose()


def build() -> Lesto:
    url = os.environ["RELIABILITY_REDIS_URL"]
    app = Lesto()

    async def root_closed(instance: Any) -> None:
        _record(f"root closed; redis connections left: {await _connections_left(url)}")

    app.add_hook("on_close", root_closed)
    app.add_hook("pre_close", lambda instance: _record("pre_close"))
    app.register(lesto_redis.plugin, url=url, client_name=CLIENT_NAME)

    def routes(instance: Any, opts: Any) -> None:
        instance.add_hook("on_close", lambda instance: _record("routes closed"))
        instance.get("/health", lambda request, reply: {"ok": True})

        async def slow(request: Any, reply: Any) -> dict[str, bool]:
            await asyncio.sleep(float(request.query.get("s", "1")))
            return {"slow": True}

        async def write(request: Any, reply: Any) -> Any:
            await asyncio.sleep(0.05)
            await instance.redis.set(f"write:{request.params['id']}", "1")
            return reply.code(201).send({"id": request.params["id"]})

        instance.get("/slow", slow)
        instance.post("/write/:id", write)

    app.register(routes)
    return app
