"""Hand-written ASGI app: the first path segment picks the route from a dict."""

from typing import Any

import orjson

from apps.bare import json_start
from apps.routes import paths

ROUTES: dict[str, str] = {path.split("/")[1]: label for label, path in paths(":")}


async def respond(send: Any, status: int, payload: Any) -> None:
    body = orjson.dumps(payload)
    await send(json_start(status, body))
    await send({"type": "http.response.body", "body": body})


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    parts = scope["path"].split("/")
    label = ROUTES.get(parts[1]) if len(parts) == 4 and parts[2] == "items" else None
    if scope["method"] != "GET" or label is None:
        await respond(send, 404, {"error": "Not Found"})
        return
    if not parts[3].isdigit():
        await respond(send, 400, {"error": "Bad Request"})
        return
    await respond(send, 200, {"route": label, "id": int(parts[3])})
