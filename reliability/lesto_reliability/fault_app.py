"""One small app per database plugin for fault injection (``lesto_reliability.faults``).

``FAULT_DB`` (postgres, mysql, redis, mongodb) picks the plugin, ``FAULT_URL``
its server. ``POST /write/:id`` stores a record made of two parts in one
atomic step (a transaction, MULTI/EXEC, or one document written with
``j=True``) and answers 201 only once it is durable; ``GET /read/:id`` tells
how many parts of a record exist (0 or 2; 1 would be a partial write).
The app maps no driver errors itself: what clients see during an outage is
what the plugins and core give (each plugin's 503 ``LST_*_ERR_UNAVAILABLE``).
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

from lesto import Lesto


def _postgres(app: Lesto, url: str) -> None:
    import lesto_postgres

    app.register(lesto_postgres.plugin, url=url, max_size=4)

    @app.add_hook("on_ready")
    async def create(instance: Any) -> None:
        await instance.pg.execute(
            "CREATE TABLE IF NOT EXISTS parts (id text, part int, PRIMARY KEY (id, part))"
        )

    async def write(key: str) -> None:
        async with app.pg.transaction() as conn:  # type: ignore[attr-defined]
            await conn.execute("INSERT INTO parts VALUES ($1, 1)", key)
            await conn.execute("INSERT INTO parts VALUES ($1, 2)", key)

    async def read(key: str) -> int:
        return int(await app.pg.fetchval("SELECT count(*) FROM parts WHERE id=$1", key))  # type: ignore[attr-defined]

    _routes(app, write, read)


def _mysql(app: Lesto, url: str) -> None:
    import lesto_mysql

    app.register(lesto_mysql.plugin, url=url, maxsize=4)

    @app.add_hook("on_ready")
    async def create(instance: Any) -> None:
        await instance.mysql.query(
            "CREATE TABLE IF NOT EXISTS parts (id varchar(64), part int, PRIMARY KEY (id, part))"
            " ENGINE=InnoDB"
        )

    async def write(key: str) -> None:
        async with app.mysql.transaction() as conn, conn.cursor() as cursor:  # type: ignore[attr-defined]
            await cursor.execute("INSERT INTO parts VALUES (%s, 1)", [key])
            await cursor.execute("INSERT INTO parts VALUES (%s, 2)", [key])

    async def read(key: str) -> int:
        rows = await app.mysql.query("SELECT count(*) AS n FROM parts WHERE id=%s", [key])  # type: ignore[attr-defined]
        return int(rows[0]["n"])

    _routes(app, write, read)


def _redis(app: Lesto, url: str) -> None:
    import lesto_redis

    app.register(lesto_redis.plugin, url=url)

    async def write(key: str) -> None:
        async with app.redis.pipeline(transaction=True) as pipe:  # type: ignore[attr-defined]
            await pipe.set(f"{key}:1", 1).set(f"{key}:2", 1).execute()

    async def read(key: str) -> int:
        return int(await app.redis.exists(f"{key}:1", f"{key}:2"))  # type: ignore[attr-defined]

    _routes(app, write, read)


def _mongodb(app: Lesto, url: str) -> None:
    import lesto_mongodb
    from pymongo import WriteConcern

    app.register(lesto_mongodb.plugin, url=url, database="faults")

    def parts() -> Any:
        return app.mongo.db.get_collection("parts", write_concern=WriteConcern(j=True))  # type: ignore[attr-defined]

    async def write(key: str) -> None:
        await parts().insert_one({"_id": key, "part1": 1, "part2": 2})

    async def read(key: str) -> int:
        document = await parts().find_one({"_id": key})
        return 0 if document is None else ("part1" in document) + ("part2" in document)

    _routes(app, write, read)


def _routes(app: Lesto, write: Any, read: Any) -> None:
    async def write_route(request: Any, reply: Any) -> Any:
        await write(request.params["id"])
        return reply.code(201).send({"id": request.params["id"]})

    async def read_route(request: Any, reply: Any) -> dict[str, int]:
        return {"parts": await read(request.params["id"])}

    app.post("/write/:id", write_route)
    app.get("/read/:id", read_route)
    app.get("/health", lambda request, reply: {"ok": True})
    app.add_hook("on_error", _log_uncoded)


def _log_uncoded(request: Any, reply: Any, error: Exception) -> None:
    """Write an error that has no stable code to stderr, with its traceback and causes:
    a 500 without a code is what the fault runs look for."""
    if getattr(error, "code", None) is None:
        lines = traceback.format_exception(error)
        print(f"fault_app: uncoded {type(error).__name__}\n{''.join(lines)}", file=sys.stderr)


BACKENDS = {"postgres": _postgres, "mysql": _mysql, "redis": _redis, "mongodb": _mongodb}


def build() -> Lesto:
    app = Lesto(handler_timeout=5)
    BACKENDS[os.environ["FAULT_DB"]](app, os.environ["FAULT_URL"])
    return app
