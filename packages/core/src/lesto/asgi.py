"""The ASGI 3 entry for the connection types other than HTTP: lifespan and websocket.

HTTP requests go straight from ``Lesto.__call__`` to the routing layer
(:meth:`lesto.routing.Routing.dispatch`); this module handles the rest.

Lifespan: ``lifespan.startup`` readies the application (a failure is logged
and reported with ``lifespan.startup.failed`` carrying the error, plugin
chain included) and marks the start of serving (:mod:`lesto.gc_freeze`);
``lifespan.shutdown`` closes it. Websocket connections are
closed, as Lesto has no websocket routes.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Protocol

__all__ = ["handle"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

logger = logging.getLogger("lesto")


class Application(Protocol):
    async def ready(self) -> None: ...

    def _begin_serving(self) -> None: ...

    async def close(self) -> None: ...


async def handle(app: Application, scope: Scope, receive: Receive, send: Send) -> None:
    """Serve one ASGI connection that is not HTTP."""
    kind = scope["type"]
    if kind == "lifespan":
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
            app._begin_serving()
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
