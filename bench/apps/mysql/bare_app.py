"""Hand-written ASGI app on an aiomysql pool, created at lifespan startup."""

from typing import Any

import aiomysql
import orjson

from apps.bare import json_start
from apps.mysql import POOL_SIZE, SQL, connect_args, mysql_url

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
            pool = await aiomysql.create_pool(
                minsize=POOL_SIZE, maxsize=POOL_SIZE, **connect_args(mysql_url())
            )
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            pool.close()
            await pool.wait_closed()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def fetch_user(user_id: int) -> dict[str, Any] | None:
    async with pool.acquire() as conn, conn.cursor(aiomysql.DictCursor) as cur:
        await cur.execute(SQL, (user_id,))
        return await cur.fetchone()


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
    row = await fetch_user(int(raw_id))
    if row is None:
        await respond(send, 404, {"error": "Not Found"})
        return
    await respond(send, 200, row)
