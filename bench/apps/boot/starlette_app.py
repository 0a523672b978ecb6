from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route


def handler_of(i: int, j: int) -> Any:
    async def handler(request: Request) -> JSONResponse:
        return JSONResponse({"p": i, "r": j})

    return handler


def build(plugins: int, routes: int) -> Any:
    mounts = [
        Mount(f"/p{i}", routes=[Route(f"/r{j}", handler_of(i, j)) for j in range(routes)])
        for i in range(plugins)
    ]
    return Starlette(routes=mounts)
