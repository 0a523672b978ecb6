"""Hand-written ASGI app: a per-request object, 10 awaited hook functions, then the handler."""

from typing import Any

import orjson

from apps.bare import json_start
from apps.hooks import HOOKS


class Request:
    __slots__ = ("hits", "scope")

    def __init__(self, scope: dict[str, Any]) -> None:
        self.scope = scope
        self.hits = 0


async def hook(request: Request) -> None:
    request.hits += 1


ON_REQUEST = (hook,) * HOOKS
PRE_HANDLER = (hook,) * HOOKS


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    if scope["path"] != "/" or scope["method"] != "GET":
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    request = Request(scope)
    for fn in ON_REQUEST:
        await fn(request)
    for fn in PRE_HANDLER:
        await fn(request)
    body = orjson.dumps({"hits": request.hits})
    await send(json_start(200, body))
    await send({"type": "http.response.body", "body": body})
