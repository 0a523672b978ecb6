"""Lesto: an integer path param, a required query string, and a response schema that
drops `password`."""

from typing import Any

from lesto import Lesto

app = Lesto()

SCHEMA = {
    "params": {
        "type": "object",
        "properties": {"id": {"type": "integer"}},
        "required": ["id"],
    },
    "querystring": {
        "type": "object",
        "properties": {"fields": {"type": "string"}},
        "required": ["fields"],
    },
    "response": {
        200: {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "email": {"type": "string"},
                "fields": {"type": "string"},
            },
        }
    },
}


def load_user(user_id: int, fields: str) -> dict[str, Any]:
    return {
        "id": user_id,
        "name": f"User {user_id}",
        "email": f"user{user_id}@example.com",
        "fields": fields,
        "password": "s3cret",
    }


@app.get("/users/:id", schema=SCHEMA)
async def get_user(request: Any, reply: Any) -> dict[str, Any]:
    return load_user(request.params["id"], request.query["fields"])
