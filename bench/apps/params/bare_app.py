"""Hand-written ASGI app: path param, query check and response filtering by hand."""

from typing import Any
from urllib.parse import unquote

import orjson

from apps.bare import json_start

PUBLIC_FIELDS = ("id", "name", "email", "fields")


def load_user(user_id: int, fields: str) -> dict[str, Any]:
    return {
        "id": user_id,
        "name": f"User {user_id}",
        "email": f"user{user_id}@example.com",
        "fields": fields,
        "password": "s3cret",
    }


def query_value(query: bytes, key: bytes) -> str | None:
    for part in query.split(b"&"):
        name, _, value = part.partition(b"=")
        if name == key:
            return unquote(value.decode("latin-1").replace("+", " "))
    return None


async def respond(send: Any, status: int, payload: Any) -> None:
    body = orjson.dumps(payload)
    await send(json_start(status, body))
    await send({"type": "http.response.body", "body": body})


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    path: str = scope["path"]
    if scope["method"] != "GET" or not path.startswith("/users/"):
        await respond(send, 404, {"error": "Not Found"})
        return
    raw_id = path[7:]
    fields = query_value(scope["query_string"], b"fields")
    if not raw_id.isdigit() or fields is None:
        await respond(send, 400, {"error": "Bad Request"})
        return
    user = load_user(int(raw_id), fields)
    await respond(send, 200, {key: user[key] for key in PUBLIC_FIELDS})
