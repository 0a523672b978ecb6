from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from apps.routes import paths


def handler_of(label: str) -> Any:
    async def handler(request: Request) -> JSONResponse:
        return JSONResponse({"route": label, "id": request.path_params["id"]})

    return handler


app = Starlette(routes=[Route(path, handler_of(label)) for label, path in paths("{int}")])
