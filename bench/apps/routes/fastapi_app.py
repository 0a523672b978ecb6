from typing import Any

from fastapi import FastAPI

from apps.routes import paths

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


def handler_of(label: str) -> Any:
    async def handler(id: int) -> dict[str, Any]:
        return {"route": label, "id": id}

    return handler


for label, path in paths("{}"):
    app.add_api_route(path, handler_of(label), methods=["GET"])
