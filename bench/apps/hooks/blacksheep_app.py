"""BlackSheep has no hooks: 10 middlewares, each counting in a request attribute."""

from typing import Any

from blacksheep import Application, Request, json

from apps.hooks import HOOKS

app = Application()


async def count(request: Request, handler: Any) -> Any:
    request.hits = getattr(request, "hits", 0) + 1  # type: ignore[attr-defined]
    return await handler(request)


for _ in range(2 * HOOKS):
    app.middlewares.append(count)


@app.router.get("/")
async def hello(request: Request) -> Any:
    return json({"hits": request.hits})  # type: ignore[attr-defined]
