"""The ``/api`` context: the visitors book (MongoDB), visit statistics (PostgreSQL + Redis cache).

From "Fastify demo goes to Production": ``PUT /users/:user_id`` upserts a
visitor and ``GET /users`` pages through them with the total. Every visit is
also a row in PostgreSQL, which answers ``GET /stats``; Redis caches that
answer for ``cache_ttl`` seconds and forgets it when a visit arrives.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import lesto_mongodb
import lesto_postgres
import lesto_redis
import orjson
from lesto import Lesto, Reply, Request

from . import schemas
from .errors import json_error, json_not_found
from .usernames import fake_username

__all__ = ["STATS_CACHE_KEY", "api"]

STATS_CACHE_KEY = "visitors:stats"

_DAYS_SQL = """
SELECT visited_at::date AS day, count(*) AS visits
FROM visits GROUP BY 1 ORDER BY 1 DESC LIMIT 7
"""


async def api(app: Lesto, opts: Mapping[str, Any]) -> None:
    """The API plugin; needs ``app.mongo``, ``app.pg`` and ``app.redis`` from its parent."""
    cache_ttl: int = opts["cache_ttl"]
    mongo: lesto_mongodb.Mongo = app.get_decorator("mongo")
    pg: lesto_postgres.Postgres = app.get_decorator("pg")
    redis: lesto_redis.Client = app.get_decorator("redis")
    users = mongo.db.Users
    app.set_error_handler(json_error)
    app.set_not_found_handler(json_not_found)

    async def put_visitor(request: Request, reply: Reply) -> dict[str, str]:
        user_id: str = request.params["user_id"]
        username = fake_username(user_id)
        now = datetime.now(UTC)
        await users.update_one(
            {"user_id": user_id},
            {
                "$set": request.body,
                "$push": {"visits": now},
                "$setOnInsert": {"created": now, "username": username},
            },
            upsert=True,
        )
        await pg.execute("INSERT INTO visits (user_id, visited_at) VALUES ($1, $2)", user_id, now)
        await redis.delete(STATS_CACHE_KEY)
        request.log.debug(f"visit of {user_id}")
        return {"user_id": user_id, "username": username}

    async def search_visitors(request: Request, reply: Reply) -> dict[str, Any]:
        offset: int = request.query["offset"]
        limit: int = request.query["limit"]
        cursor = users.find({}, {"visits": {"$slice": -1}}).sort([("created", 1), ("user_id", 1)])
        rows = await cursor.skip(offset).limit(limit).to_list(None)
        return {"rows": rows, "total": await users.count_documents({})}

    async def stats(request: Request, reply: Reply) -> Any:
        cached = await redis.get(STATS_CACHE_KEY)
        if cached is not None:
            reply.header("x-cache", "hit")
            return orjson.loads(cached)
        totals = await pg.fetchrow(
            "SELECT count(*) AS visits, count(DISTINCT user_id) AS visitors FROM visits"
        )
        days = [
            {"day": row["day"].isoformat(), "visits": row["visits"]}
            for row in await pg.fetch(_DAYS_SQL)
        ]
        answer = {"visits": 0, "visitors": 0, **dict(totals or {}), "days": days}
        await redis.set(STATS_CACHE_KEY, orjson.dumps(answer), ex=cache_ttl)
        reply.header("x-cache", "miss")
        return answer

    app.put("/users/:user_id", put_visitor, schema=schemas.PUT_VISITOR)
    app.get("/users", search_visitors, schema=schemas.SEARCH_VISITORS)
    app.get("/stats", stats, schema=schemas.STATS)
