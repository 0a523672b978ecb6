"""Litestar: the body is decoded and validated by msgspec into `UserStruct`."""

from typing import Any

from litestar import Litestar, post

from apps.body.models import UserStruct


@post("/users", status_code=200)
async def create_user(data: UserStruct) -> dict[str, Any]:
    return {"ok": True, "id": data.id}


app = Litestar(route_handlers=[create_user], openapi_config=None)
