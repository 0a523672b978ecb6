from typing import Any

from lesto import Lesto


def handler_of(i: int, j: int) -> Any:
    async def handler(request: Any, reply: Any) -> dict[str, int]:
        return {"p": i, "r": j}

    return handler


def plugin_of(i: int, routes: int) -> Any:
    async def routes_plugin(app: Any, opts: Any) -> None:
        for j in range(routes):
            app.get(f"/r{j}", handler_of(i, j))

    return routes_plugin


def build(plugins: int, routes: int) -> Any:
    app = Lesto()
    for i in range(plugins):
        app.register(plugin_of(i, routes), prefix=f"/p{i}")
    return app
