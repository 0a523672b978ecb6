from typing import Any

from fastapi import APIRouter, FastAPI


def handler_of(i: int, j: int) -> Any:
    async def handler() -> dict[str, int]:
        return {"p": i, "r": j}

    return handler


def build(plugins: int, routes: int) -> Any:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    for i in range(plugins):
        router = APIRouter()
        for j in range(routes):
            router.add_api_route(f"/r{j}", handler_of(i, j), methods=["GET"])
        app.include_router(router, prefix=f"/p{i}")
    return app
