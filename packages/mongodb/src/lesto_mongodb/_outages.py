"""An outage as a 503: PyMongo's connection errors become ``LST_MONGO_ERR_UNAVAILABLE``.

Handlers use the driver's own objects (``app.mongo.db.users.find_one(...)``),
so the plugin cannot catch their errors where they are raised, and cannot
make PyMongo raise a class of its own. It translates them where Lesto hands
an error to its error handlers instead: the plugin's ``on_route`` hook gives
each route added after it an error handler of the route's own (Lesto tries
it first). That handler turns a ``pymongo.errors.ConnectionFailure`` (server
selection timed out, connection refused or reset, network timeout, the
primary stepped down) into ``LST_MONGO_ERR_UNAVAILABLE`` (503, the driver's
error as ``__cause__``) and passes every error on: to the route's own
``error_handler`` when it has one, else to the context's handlers. Nothing
runs on the success path.

So does a ``DuplicateKeyError`` that PyMongo's retry of a write ran into
after the first attempt may have been applied (:mod:`lesto_mongodb._retried_writes`):
the write's outcome is unknown, absent or complete, as with a connection
that broke during any write.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, MutableMapping
from typing import Any

from pymongo.errors import ConnectionFailure, DuplicateKeyError

from . import _drivers, errors
from ._retried_writes import retried_writes_listener

__all__ = ["OutageTranslator", "unavailable"]


def unavailable(error: BaseException, hosts: str) -> Exception | None:
    """``LST_MONGO_ERR_UNAVAILABLE`` for a PyMongo connection error, or for the
    ``DuplicateKeyError`` of a retried write that may already have been applied; else ``None``.

    Also for code that catches driver errors itself:
    ``raise lesto_mongodb.unavailable(exc, "db:27017") from exc``.
    """
    if getattr(error, "status_code", None):
        return None
    if isinstance(error, ConnectionFailure):
        return errors.LST_MONGO_ERR_UNAVAILABLE(hosts, _drivers.describe_error(error))
    if isinstance(error, DuplicateKeyError) and retried_writes_listener.met_on_retry(error):
        return errors.LST_MONGO_ERR_UNAVAILABLE(hosts, _outcome_unknown(error))
    return None


def _outcome_unknown(error: DuplicateKeyError) -> str:
    return (
        "the connection broke during a write and PyMongo's retry of it found the key taken,"
        f" so the write may be complete ({_drivers.describe_error(error)})"
    )


class OutageTranslator:
    """The ``on_route`` hook; ``clients()`` lists the registered clients (for the message)."""

    __slots__ = ("_clients",)

    def __init__(self, clients: Callable[[], list[Any]]) -> None:
        self._clients = clients

    def on_route(self, route_options: MutableMapping[str, Any]) -> None:
        route_options["error_handler"] = RouteErrorHandler(
            self._clients, route_options.get("error_handler")
        )


class RouteErrorHandler:
    """A route's first error handler: translate an outage, then hand the error on."""

    __slots__ = ("_clients", "_own")

    def __init__(self, clients: Callable[[], list[Any]], own: Any) -> None:
        self._clients = clients
        self._own = own

    async def __call__(self, error: Exception, request: Any, reply: Any) -> Any:
        replacement = unavailable(error, self._hosts())
        if self._own is None:
            # The context's error handlers take it from here (the default one answers it).
            if replacement is not None:
                raise replacement from error
            raise error
        if replacement is not None:
            replacement.__cause__ = error
            reply.code(503)
            error = replacement
        result = self._own(error, request, reply)
        if asyncio.iscoroutine(result):
            result = await result
        return result

    def _hosts(self) -> str:
        seen: dict[str, None] = {}
        for client in self._clients():
            try:
                seen[_drivers.hosts(client)] = None
            except Exception:  # a detail of the message must not hide the outage
                continue
        return "; ".join(seen) or "(unknown)"
