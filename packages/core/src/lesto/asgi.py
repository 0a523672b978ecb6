"""The ASGI 3 entry point: the lifespan protocol, and HTTP dispatch.

Lifespan: ``lifespan.startup`` readies the application (a failure is reported
with ``lifespan.startup.failed`` carrying the error, plugin chain included);
``lifespan.shutdown`` closes it.

HTTP: until routing exists, every request is answered with the JSON 404 of
``LST_ERR_NOT_FOUND``.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from http import HTTPStatus
from typing import Any, Protocol

import orjson

from . import errors

__all__ = ["handle"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

logger = logging.getLogger("lesto")


class Application(Protocol):
    async def ready(self) -> None: ...

    async def close(self) -> None: ...


async def handle(app: Application, scope: Scope, receive: Receive, send: Send) -> None:
    """Serve one ASGI connection of any type."""
    kind = scope["type"]
    if kind == "http":
        await _not_found(scope, send)
    elif kind == "lifespan":
        await _lifespan(app, receive, send)
    elif kind == "websocket":
        await send({"type": "websocket.close", "code": 1000})


async def _lifespan(app: Application, receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            try:
                await app.ready()
            except Exception as exc:
                logger.error("Lesto failed to start", exc_info=exc)
                await send({"type": "lifespan.startup.failed", "message": _describe(exc)})
                return
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            try:
                await app.close()
            except Exception as exc:
                await send({"type": "lifespan.shutdown.failed", "message": _describe(exc)})
                return
            await send({"type": "lifespan.shutdown.complete"})
            return


def _describe(exc: BaseException) -> str:
    """The error as one text: its type, code and message, then its notes (the plugin chain)."""
    return "".join(traceback.format_exception_only(exc)).strip()


async def _not_found(scope: Scope, send: Send) -> None:
    error = errors.LST_ERR_NOT_FOUND(scope.get("method", "GET"), scope.get("path", "/"))
    status = error.status_code or 404
    body = orjson.dumps(
        {
            "statusCode": status,
            "code": error.code,
            "error": HTTPStatus(status).phrase,
            "message": error.message,
        }
    )
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
