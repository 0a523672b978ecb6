"""Starlette has no schemas: the query check and response filtering are written by hand."""

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

PUBLIC_FIELDS = ("id", "name", "email", "fields")


def load_user(user_id: int, fields: str) -> dict[str, Any]:
    return {
        "id": user_id,
        "name": f"User {user_id}",
        "email": f"user{user_id}@example.com",
        "fields": fields,
        "password": "s3cret",
    }


async def get_user(request: Request) -> JSONResponse:
    fields = request.query_params.get("fields")
    if fields is None:
        return JSONResponse({"error": "fields is required"}, status_code=400)
    user = load_user(request.path_params["id"], fields)
    return JSONResponse({key: user[key] for key in PUBLIC_FIELDS})


app = Starlette(routes=[Route("/users/{id:int}", get_user)])
