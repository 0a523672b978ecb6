"""Per-route transactions: ``config={"pg": {"transact": True}}`` (or an instance name).

The plugin adds one ``on_route`` hook (:meth:`RouteTransactions.on_route`).
For each route whose ``config["pg"]["transact"]`` names an instance, it
appends that instance's request hooks to the route, once, when the route is
added; routes without it get nothing and pay nothing per request:

- ``pre_handler`` borrows a connection (``acquire_timeout``, else 503
  ``LST_PG_ERR_POOL_TIMEOUT``), opens a transaction and sets ``request.pg``
  (``request.pg.<name>`` for a named instance); a server that is down is
  503 ``LST_PG_ERR_UNAVAILABLE``, as is one lost before the commit;
- ``on_send`` commits and gives the connection back: it runs after the reply
  is serialised and before the first byte is sent, so a failed commit still
  becomes an error response (500) instead of a lost write;
- ``on_error`` rolls back and gives the connection back when the handler or
  any later hook raises.

The handler itself is wrapped (:meth:`RequestHooks.guard`, same kind, sync or
async): its statements run on ``request.pg``, asyncpg's own connection, so an
error that means the server went away under them (the connection was lost)
is raised as ``LST_PG_ERR_UNAVAILABLE`` (503) while the connection is still
at hand to tell; every other error passes unchanged.

The hooks of one instance are shared by all its routes, and keep their state
in the request (``request._pg_transaction``), so each step is idempotent:
the ``on_send`` of an error response finds nothing left to do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from lesto import is_async_callable

from .database import Postgres, begin, commit, rollback_quietly
from .errors import LST_PG_ERR_ROUTE_CONFIG
from .outages import is_server_gone, unavailable

if TYPE_CHECKING:
    from asyncpg import Connection  # type: ignore[import-untyped]

__all__ = ["RequestConnections", "RouteTransactions"]

_HOOKS = ("pre_handler", "on_send", "on_error")
Handler = Callable[[Any, Any], Any]
_SETTINGS = frozenset({"transact"})


class RequestConnections(SimpleNamespace):
    """``request.pg`` on a route that uses a named instance: ``request.pg.<name>``."""

    if TYPE_CHECKING:

        def __getattr__(self, name: str) -> Connection: ...


class RouteTransactions:
    """The ``on_route`` hook of one ``app.pg``, and the request hooks of its instances."""

    def __init__(self, registry: Postgres) -> None:
        self._registry = registry
        self._hooks: dict[str | None, RequestHooks] = {}

    def on_route(self, route_options: MutableMapping[str, Any]) -> None:
        """Give the route a transaction per request when its config asks for one.

        Raises:
            LST_PG_ERR_ROUTE_CONFIG: ``config["pg"]`` is not ``{"transact": True | False | name}``.
            LST_PG_ERR_UNKNOWN_INSTANCE: ``transact`` names no registered instance.
        """
        config = route_options.get("config") or {}
        settings = config.get("pg") if isinstance(config, Mapping) else None
        if settings is None:
            return
        where = f"{route_options.get('method')} {route_options.get('url')}"
        transact = _transact_setting(settings, where)
        if transact is False:
            return
        name = None if transact is True else transact
        db = self._registry._instance(name)
        hooks = self._hooks.get(name)
        if hooks is None:
            hooks = self._hooks[name] = RequestHooks(db, name)
        for hook in _HOOKS:
            _append(route_options, hook, getattr(hooks, hook))
        route_options["handler"] = hooks.guard(route_options["handler"])


def _transact_setting(settings: Any, where: str) -> bool | str:
    if not isinstance(settings, Mapping):
        raise LST_PG_ERR_ROUTE_CONFIG(where, 'must be a dict like {"transact": True}', settings)
    unknown = sorted(set(settings) - _SETTINGS)
    if unknown:
        raise LST_PG_ERR_ROUTE_CONFIG(where, "accepts only the key transact", unknown)
    transact = settings.get("transact", False)
    if not isinstance(transact, bool | str) or transact == "":
        raise LST_PG_ERR_ROUTE_CONFIG(
            where, '["transact"] must be True, False or an instance name', transact
        )
    return transact


def _append(route_options: MutableMapping[str, Any], hook: str, fn: Any) -> None:
    """Add ``fn`` after the route's own ``hook`` hooks (a function, a list or nothing)."""
    current = route_options.get(hook)
    if current is None:
        route_options[hook] = [fn]
    elif isinstance(current, list):
        current.append(fn)
    elif isinstance(current, tuple):
        route_options[hook] = [*current, fn]
    else:
        route_options[hook] = [current, fn]


class RequestHooks:
    """The request hooks of one instance, shared by every route that uses it."""

    __slots__ = ("db", "name")

    def __init__(self, db: Postgres, name: str | None) -> None:
        self.db = db
        self.name = name

    def guard(self, handler: Handler) -> Handler:
        """``handler``, raising ``LST_PG_ERR_UNAVAILABLE`` for the error of a lost connection."""
        lost = self._lost
        if is_async_callable(handler):

            async def guarded_async(request: Any, reply: Any) -> Any:
                try:
                    return await handler(request, reply)
                except Exception as error:
                    if lost(request, error):
                        raise unavailable(self.db._target, error) from error
                    raise

            return guarded_async

        def guarded(request: Any, reply: Any) -> Any:
            try:
                return handler(request, reply)
            except Exception as error:
                if lost(request, error):
                    raise unavailable(self.db._target, error) from error
                raise

        return guarded

    @staticmethod
    def _lost(request: Any, error: Exception) -> bool:
        """Whether ``error`` means the request's connection was lost (asked while the
        request still holds it: a pool proxy tells nothing once given back)."""
        state = request._pg_transaction
        return state is not None and is_server_gone(error, state[0])

    async def pre_handler(self, request: Any, reply: Any) -> None:
        db = self.db
        conn = await db._acquire()
        try:
            transaction = await begin(conn)
        except BaseException as error:
            gone = is_server_gone(error, conn)  # before release: conn is a pool proxy
            await db._release(conn)
            if gone:
                raise unavailable(db._target, error) from error
            raise
        request._pg_transaction = (conn, transaction)
        if self.name is None:
            request.pg = conn
        else:
            named = RequestConnections()
            setattr(named, self.name, conn)
            request.pg = named

    async def on_send(self, request: Any, reply: Any, payload: Any) -> None:
        state = request._pg_transaction
        if state is None:
            return
        request._pg_transaction = None
        conn, transaction = state
        try:
            await commit(conn, transaction, self.db._target)
        finally:
            await self.db._release(conn)

    async def on_error(self, request: Any, reply: Any, error: Exception) -> None:
        state = request._pg_transaction
        if state is None:
            return
        request._pg_transaction = None
        conn, transaction = state
        try:
            await rollback_quietly(conn, transaction)
        finally:
            await self.db._release(conn)
