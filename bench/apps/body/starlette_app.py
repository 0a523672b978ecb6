"""Starlette has no schemas: the body's property types are checked by hand."""

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from apps.body.spec import BODY_SCHEMA

PY_TYPES: dict[str, tuple[type, ...]] = {
    "integer": (int,),
    "number": (int, float),
    "string": (str,),
    "boolean": (bool,),
}
CHECKS = tuple(
    (name, PY_TYPES[prop["type"]], prop["type"] != "boolean")
    for name, prop in BODY_SCHEMA["properties"].items()
)


def is_valid(data: Any) -> bool:
    if type(data) is not dict:
        return False
    for name, types, no_bool in CHECKS:
        value = data.get(name)
        if not isinstance(value, types) or (no_bool and type(value) is bool):
            return False
    return True


async def create_user(request: Request) -> JSONResponse:
    try:
        data = await request.json()
    except ValueError:
        data = None
    if not is_valid(data):
        return JSONResponse({"error": "Bad Request"}, status_code=400)
    return JSONResponse({"ok": True, "id": data["id"]})


app = Starlette(routes=[Route("/users", create_user, methods=["POST"])])
