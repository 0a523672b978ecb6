"""FastAPI: the body is validated by the pydantic model `UserIn`."""

from typing import Any

from fastapi import FastAPI

from apps.body.models import UserIn

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.post("/users")
async def create_user(user: UserIn) -> dict[str, Any]:
    return {"ok": True, "id": user.id}
