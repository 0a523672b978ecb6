"""Hand-written ASGI app on an asyncpg pool, created at lifespan startup."""

from typing import Any

import asyncpg
import orjson

from apps.bare import json_start
from apps.postgres import POOL_SIZE, SQL, database_url

pool: Any = None


async def respond(send: Any, status: int, payload: Any) -> None:
    body = orjson.dumps(payload)
    await send(json_start(status, body))
    await send({"type": "http.response.body", "body": body})


async def lifespan(receive: Any, send: Any) -> None:
    global pool
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            pool = await asyncpg.create_pool(database_url(), min_size=POOL_SIZE, max_size=POOL_SIZE)
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await pool.close()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
        return
    if scope["type"] != "http":
        return
    path: str = scope["path"]
    if scope["method"] != "GET" or not path.startswith("/users/"):
        await respond(send, 404, {"error": "Not Found"})
        return
    raw_id = path[7:]
    if not raw_id.isdigit():
        await respond(send, 400, {"error": "Bad Request"})
        return
    row = await pool.fetchrow(SQL, int(raw_id))
    if row is None:
        await respond(send, 404, {"error": "Not Found"})
        return
    await respond(send, 200, dict(row))
