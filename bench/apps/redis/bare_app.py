"""Hand-written ASGI app on a redis.asyncio client (decode_responses, default pool)."""

from typing import Any
from urllib.parse import unquote

import orjson
import redis.asyncio

from apps.bare import json_start
from apps.redis import redis_url

client: Any = redis.asyncio.Redis.from_url(redis_url(), decode_responses=True)


def query_value(query: bytes, key: bytes) -> str | None:
    for part in query.split(b"&"):
        name, _, value = part.partition(b"=")
        if name == key:
            return unquote(value.decode("latin-1").replace("+", " "))
    return None


async def respond(send: Any, status: int, payload: Any) -> None:
    body = orjson.dumps(payload)
    await send(json_start(status, body))
    await send({"type": "http.response.body", "body": body})


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    if scope["method"] != "GET" or scope["path"] != "/foo":
        await respond(send, 404, {"error": "Not Found"})
        return
    key = query_value(scope["query_string"], b"key")
    if key is None:
        await respond(send, 400, {"error": "Bad Request"})
        return
    await respond(send, 200, {"key": key, "value": await client.get(key)})
