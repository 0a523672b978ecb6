"""The ``/api`` context: visitors (MongoDB), statistics (PostgreSQL + Redis), audit (MariaDB).

From "Fastify demo goes to Production": ``PUT /users/:user_id`` upserts a
visitor and ``GET /users`` pages through them with the total. Every visit is
also a row in PostgreSQL, which answers ``GET /stats``; Redis caches that
answer for ``cache_ttl`` seconds and forgets it when a visit arrives.

Every visitor write is also a row of the audit log in MariaDB, read back by
``GET /audit``. MariaDB is used by this branch only, so lesto-mysql (and the
migrations of the audit table, through its pool) is registered here, not in
the parent: ``app.mysql`` does not exist elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lesto_migrate
import lesto_mongodb
import lesto_mysql
import lesto_postgres
import lesto_redis
import orjson
from lesto import Lesto, Reply, Request

from . import schemas
from .errors import json_error, json_not_found
from .health import Checks
from .usernames import fake_username

__all__ = ["AUDIT_MIGRATIONS", "STATS_CACHE_KEY", "api", "audit"]

#: MariaDB's migrations: the audit table.
AUDIT_MIGRATIONS = Path(__file__).parent / "audit_migrations"

STATS_CACHE_KEY = "visitors:stats"

_DAYS_SQL = """
SELECT visited_at::date AS day, count(*) AS visits
FROM visits GROUP BY 1 ORDER BY 1 DESC LIMIT 7
"""


_AUDIT_SQL = """
INSERT INTO audit (user_id, action, message, at) VALUES (%s, %s, %s, %s)
"""


async def api(app: Lesto, opts: Mapping[str, Any]) -> None:
    """The API plugin; needs ``app.mongo``, ``app.pg`` and ``app.redis`` from its parent.

    Options: ``cache_ttl``, ``mysql_url`` (the audit log's database) and
    ``checks`` (the readiness checks of ``/health``, to add MariaDB's to).
    """
    cache_ttl: int = opts["cache_ttl"]
    mongo: lesto_mongodb.Mongo = app.get_decorator("mongo")
    pg: lesto_postgres.Postgres = app.get_decorator("pg")
    redis: lesto_redis.Client = app.get_decorator("redis")
    users = mongo.db.Users
    app.set_error_handler(json_error)
    app.set_not_found_handler(json_not_found)
    app.register(lesto_mysql.plugin, url=opts["mysql_url"])
    app.register(lesto_migrate.plugin, use="mysql", directory=str(AUDIT_MIGRATIONS))
    app.register(audit, checks=opts["checks"])

    async def put_visitor(request: Request, reply: Reply) -> dict[str, str]:
        user_id: str = request.params["user_id"]
        username = fake_username(user_id)
        now = datetime.now(UTC)
        result = await users.update_one(
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
        # request.mysql: this route's MariaDB transaction, committed before the reply is sent
        action = "create" if result.upserted_id is not None else "update"
        message = (request.body or {}).get("message")
        await request.mysql.execute(
            _AUDIT_SQL, [user_id, action, message, now.replace(tzinfo=None)]
        )
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

    # Declared right after registering lesto-mysql: as in Fastify, the route waits for
    # that plugin to load, so its on_route hook gives it request.mysql.
    app.put(
        "/users/:user_id",
        put_visitor,
        schema=schemas.PUT_VISITOR,
        config={"mysql": {"transact": True}},
    )
    app.get("/users", search_visitors, schema=schemas.SEARCH_VISITORS)
    app.get("/stats", stats, schema=schemas.STATS)


async def audit(app: Lesto, opts: Mapping[str, Any]) -> None:
    """``GET /audit``: the audit log, newest first; adds MariaDB to the readiness checks."""
    mysql: lesto_mysql.MySQL = app.get_decorator("mysql")
    checks: Checks = opts["checks"]
    checks["mysql"] = mysql.ping

    async def list_audit(request: Request, reply: Reply) -> dict[str, Any]:
        offset: int = request.query["offset"]
        limit: int = request.query["limit"]
        user_id: str | None = request.query.get("user_id")
        where, args = ("WHERE user_id = %s", [user_id]) if user_id else ("", [])
        rows = await mysql.query(
            f"SELECT id, user_id, action, message, at FROM audit {where} "
            "ORDER BY id DESC LIMIT %s OFFSET %s",
            [*args, limit, offset],
        )
        total = await mysql.query(f"SELECT COUNT(*) AS n FROM audit {where}", args or None)
        for row in rows:  # stored as UTC without a zone: say so
            row["at"] = row["at"].replace(tzinfo=UTC)
            if row["message"] is None:
                del row["message"]
        return {"rows": rows, "total": total[0]["n"]}

    app.get("/audit", list_audit, schema=schemas.LIST_AUDIT)
