"""Hand-written ASGI app: the least work any framework can do for this route."""

from typing import Any

import orjson

from apps.bare import json_start


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    if scope["path"] != "/" or scope["method"] != "GET":
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    body = orjson.dumps({"hello": "world"})
    await send(json_start(200, body))
    await send({"type": "http.response.body", "body": body})
