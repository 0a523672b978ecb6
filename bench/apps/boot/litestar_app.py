from typing import Any

from litestar import Litestar, Router, get


def handler_of(i: int, j: int) -> Any:
    @get(f"/r{j}", name=f"p{i}r{j}", sync_to_thread=False)
    async def handler() -> dict[str, int]:
        return {"p": i, "r": j}

    return handler


def build(plugins: int, routes: int) -> Any:
    routers = [
        Router(path=f"/p{i}", route_handlers=[handler_of(i, j) for j in range(routes)])
        for i in range(plugins)
    ]
    return Litestar(route_handlers=routers, openapi_config=None)
