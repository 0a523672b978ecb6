from typing import Any

from litestar import Litestar, get

from apps.routes import paths


def handler_of(label: str, path: str) -> Any:
    @get(path, name=f"route-{label}")
    async def handler(id: int) -> dict[str, Any]:
        return {"route": label, "id": id}

    return handler


app = Litestar(
    route_handlers=[handler_of(label, path) for label, path in paths("{int}")],
    openapi_config=None,
)
