"""Per-route transactions: ``config={"mysql": {"transact": True | "name"}}``.

The ``on_route`` hook reads the route's ``config`` once, when the route is
added, and gives such a route three hooks of its own:

* ``pre_handler`` (first of the route's): acquire a connection and ``BEGIN``;
  ``request.mysql`` (or ``request.mysql.<name>``) is that connection; a server
  that is down is 503 ``LST_MYSQL_ERR_UNAVAILABLE`` (so is one lost at ``COMMIT``);
* ``on_send`` (last of the route's): ``COMMIT`` once the handler succeeded and
  the reply is serialised, before it is transmitted, so a failed commit
  becomes an error reply instead of a lost write;
* ``on_error``: ``ROLLBACK`` when the handler or a later hook raised.

The connection goes back to the pool when the transaction ends. Should a
request end without either hook (it was cancelled, or its reply hijacked), a
finaliser closes the connection when the request is freed, so the server
rolls back and the pool gets its slot back.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Mapping, MutableMapping
from types import SimpleNamespace
from typing import Any

from . import errors
from ._client import MySQL, rollback_quietly
from ._connection import Connection
from ._outages import describe_connection, is_server_gone, unavailable
from ._source import Source

__all__ = ["route_hook"]

RouteOptions = MutableMapping[str, Any]


def route_hook(root: MySQL) -> Callable[[RouteOptions], None]:
    """The ``on_route`` hook that adds transactions to routes asking for them."""

    def on_route(route_options: RouteOptions) -> None:
        config = route_options.get("config")
        if not isinstance(config, Mapping) or config.get("mysql") is None:
            return
        name = _transact_name(route_options, config["mysql"])
        if name is False:
            return
        instance = _instance(route_options, root, name)
        _add_hooks(route_options, instance, name if isinstance(name, str) else None)

    return on_route


def _transact_name(route_options: RouteOptions, spec: Any) -> str | bool:
    method, url = route_options.get("method"), route_options.get("url")
    if not isinstance(spec, Mapping):
        raise errors.LST_MYSQL_ERR_ROUTE_CONFIG(method, url, "must be a mapping")
    for key in spec:
        if key != "transact":
            raise errors.LST_MYSQL_ERR_ROUTE_CONFIG(method, url, f"has an unknown key {key!r}")
    transact = spec.get("transact", False)
    if not isinstance(transact, bool | str):
        raise errors.LST_MYSQL_ERR_ROUTE_CONFIG(
            method, url, "['transact'] must be True, False or an instance name"
        )
    return transact


def _instance(route_options: RouteOptions, root: MySQL, name: str | bool) -> MySQL:
    method, url = route_options.get("method"), route_options.get("url")
    if isinstance(name, str):
        instance = root.names.get(name)
        if instance is None:
            raise errors.LST_MYSQL_ERR_UNKNOWN_INSTANCE(method, url, name)
        return instance
    if not root._configured:
        raise errors.LST_MYSQL_ERR_UNKNOWN_INSTANCE(method, url, "(registered without a name)")
    return root


def _add_hooks(route_options: RouteOptions, instance: MySQL, name: str | None) -> None:
    source = instance._require("transact")
    cursor_class = instance._cursor_class
    target = instance._target

    def held(request: Any) -> Connection | None:
        value = request.mysql
        if name is not None:
            value = getattr(value, name, None)
        return value if isinstance(value, Connection) else None

    async def begin(request: Any, reply: Any) -> None:
        conn = await _begin(source, cursor_class, target, request)
        request.mysql = conn if name is None else SimpleNamespace(**{name: conn})

    async def commit(request: Any, reply: Any, payload: Any) -> None:
        conn = held(request)
        if conn is not None:
            await _end(conn, commit=True)

    async def rollback(request: Any, reply: Any, error: Exception) -> None:
        conn = held(request)
        if conn is not None:
            await _end(conn, commit=False)

    route_options["pre_handler"].insert(0, begin)
    route_options["on_send"].append(commit)
    route_options["on_error"].insert(0, rollback)


async def _begin(source: Source, cursor_class: type, target: str, request: Any) -> Connection:
    try:
        raw = await source.acquire()
    except Exception as error:
        if is_server_gone(error):
            raise unavailable(target, error) from error
        raise
    try:
        await raw.begin()
    except BaseException as error:
        gone = is_server_gone(error, raw)  # before release, which closes raw
        source.release(raw, discard=True)
        if gone:
            raise unavailable(target, error) from error
        raise
    conn = Connection(raw, cursor_class)
    conn._route_source = (source, weakref.finalize(request, _abandon, source, raw))
    return conn


async def _end(conn: Connection, *, commit: bool) -> None:
    """Commit or roll back the route's transaction and release its connection, once."""
    held = conn._route_source
    if held is None:
        return
    conn._route_source = None
    source, finalizer = held
    finalizer.detach()
    raw = conn.raw
    clean = False
    try:
        if commit:
            try:
                await raw.commit()
            except Exception as error:
                if is_server_gone(error, raw):
                    raise unavailable(describe_connection(raw), error) from error
                raise
            clean = True
        else:
            clean = await rollback_quietly(raw)
    finally:
        source.release(raw, discard=not clean)


def _abandon(source: Source, raw: Any) -> None:
    """A request freed with its transaction open: close the connection (the server rolls back)."""
    with contextlib.suppress(Exception):  # the loop may already be closed
        source.release(raw, discard=True)
