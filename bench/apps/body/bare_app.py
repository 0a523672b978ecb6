"""Hand-written ASGI app: read the body, parse it with orjson, check each property's type."""

from typing import Any

import orjson

from apps.bare import json_start
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


async def read_body(receive: Any) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


async def respond(send: Any, status: int, payload: Any) -> None:
    body = orjson.dumps(payload)
    await send(json_start(status, body))
    await send({"type": "http.response.body", "body": body})


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    if scope["path"] != "/users" or scope["method"] != "POST":
        await respond(send, 404, {"error": "Not Found"})
        return
    try:
        data = orjson.loads(await read_body(receive))
    except orjson.JSONDecodeError:
        data = None
    if not is_valid(data):
        await respond(send, 400, {"error": "Bad Request"})
        return
    await respond(send, 200, {"ok": True, "id": data["id"]})
