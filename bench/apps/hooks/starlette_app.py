"""Starlette has no hooks: 10 pure ASGI middlewares, each counting in `scope["state"]`."""

from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from apps.hooks import HOOKS


class Count:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            state = scope.setdefault("state", {})
            state["hits"] = state.get("hits", 0) + 1
        await self.app(scope, receive, send)


async def hello(request: Request) -> JSONResponse:
    return JSONResponse({"hits": request.state.hits})


app = Starlette(routes=[Route("/", hello)], middleware=[Middleware(Count)] * (2 * HOOKS))
