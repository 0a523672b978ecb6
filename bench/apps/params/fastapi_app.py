"""FastAPI: typed path and query params, pydantic `response_model` drops `password`."""

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


class UserOut(BaseModel):
    id: int
    name: str
    email: str
    fields: str


def load_user(user_id: int, fields: str) -> dict[str, Any]:
    return {
        "id": user_id,
        "name": f"User {user_id}",
        "email": f"user{user_id}@example.com",
        "fields": fields,
        "password": "s3cret",
    }


@app.get("/users/{id}", response_model=UserOut)
async def get_user(id: int, fields: str) -> Any:
    return load_user(id, fields)
