"""``GET /health``: the readiness probe. 200 when every database answers, else 503."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, cast

import lesto_mongodb
import lesto_postgres
import lesto_redis
from lesto import Lesto, Reply, Request

from . import schemas

__all__ = ["health"]

Check = Callable[[], Awaitable[Any]]


async def _probe(check: Check, seconds: float) -> str:
    try:
        async with asyncio.timeout(seconds):
            await check()
    except TimeoutError:
        return "down: no answer"
    except Exception as exc:
        return f"down: {type(exc).__name__}"
    return "up"


async def health(app: Lesto, opts: Mapping[str, Any]) -> None:
    """The health plugin; needs ``app.mongo``, ``app.pg`` and ``app.redis`` from its parent."""
    timeout: float = opts["timeout"]
    mongo: lesto_mongodb.Mongo = app.get_decorator("mongo")
    pg: lesto_postgres.Postgres = app.get_decorator("pg")
    redis: lesto_redis.Client = app.get_decorator("redis")
    checks: dict[str, Check] = {
        "mongodb": lambda: mongo.client.admin.command("ping"),
        "postgres": pg.ping,
        # redis-py types ping() for its sync and async clients at once
        "redis": lambda: cast("Awaitable[bool]", redis.ping()),
    }

    async def readiness(request: Request, reply: Reply) -> dict[str, Any]:
        states = await asyncio.gather(*(_probe(check, timeout) for check in checks.values()))
        results = dict(zip(checks, states, strict=True))
        healthy = all(state == "up" for state in states)
        reply.code(200 if healthy else 503)
        return {"status": "ok" if healthy else "unavailable", "checks": results}

    app.get("/health", readiness, schema=schemas.HEALTH)
