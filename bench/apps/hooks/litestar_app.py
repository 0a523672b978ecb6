"""Litestar has one `before_request` hook: 10 pure ASGI middlewares, counting in the scope's
state."""

from typing import Any

from litestar import Litestar, Request, get

from apps.hooks import HOOKS


def count(app: Any) -> Any:
    async def middleware(scope: Any, receive: Any, send: Any) -> None:
        state = scope.setdefault("state", {})
        state["hits"] = state.get("hits", 0) + 1
        await app(scope, receive, send)

    return middleware


@get("/")
async def hello(request: Request[Any, Any, Any]) -> dict[str, int]:
    return {"hits": request.state.hits}


app = Litestar(route_handlers=[hello], middleware=[count] * (2 * HOOKS), openapi_config=None)
