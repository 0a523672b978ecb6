from typing import Any

from blacksheep import Application, Router, json


def handler_of(i: int, j: int) -> Any:
    async def handler() -> Any:
        return json({"p": i, "r": j})

    return handler


def build(plugins: int, routes: int) -> Any:
    # BlackSheep has no plugin or sub-router with a prefix of its own: one router, 1,000 routes.
    router = Router()
    for i in range(plugins):
        for j in range(routes):
            router.add_get(f"/p{i}/r{j}", handler_of(i, j))
    return Application(router=router)
