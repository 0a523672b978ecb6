"""``GET /health``: the readiness probe. 200 when every database answers, else 503.

The checks are a dictionary shared with the other branches: this plugin adds
those of the databases it sees (MongoDB, PostgreSQL, Redis), and a branch
that connects a database of its own (``/api`` and MariaDB) adds that one
while it loads. Every check runs on each request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, cast

import lesto_mongodb
import lesto_postgres
import lesto_redis
from lesto import Lesto, Reply, Request

from . import schemas

__all__ = ["Check", "Checks", "health"]

Check = Callable[[], Awaitable[Any]]
#: Readiness checks by database name, filled while the application loads.
Checks = dict[str, Check]


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
    """The health plugin; needs ``app.mongo``, ``app.pg`` and ``app.redis`` from its parent.

    Options: ``timeout`` (seconds per check) and ``checks``, the shared
    :data:`Checks` (other branches may add theirs).
    """
    timeout: float = opts["timeout"]
    checks: Checks = opts["checks"]
    mongo: lesto_mongodb.Mongo = app.get_decorator("mongo")
    pg: lesto_postgres.Postgres = app.get_decorator("pg")
    redis: lesto_redis.Client = app.get_decorator("redis")
    checks.update(
        {
            "mongodb": lambda: mongo.client.admin.command("ping"),
            "postgres": pg.ping,
            # redis-py types ping() for its sync and async clients at once
            "redis": lambda: cast("Awaitable[bool]", redis.ping()),
        }
    )

    async def readiness(request: Request, reply: Reply) -> dict[str, Any]:
        names = list(checks)
        states = await asyncio.gather(*(_probe(checks[name], timeout) for name in names))
        results = dict(zip(names, states, strict=True))
        healthy = all(state == "up" for state in states)
        reply.code(200 if healthy else 503)
        return {"status": "ok" if healthy else "unavailable", "checks": results}

    app.get("/health", readiness, schema=schemas.HEALTH)
