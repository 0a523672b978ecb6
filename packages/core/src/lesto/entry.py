"""The ASGI 3 entry of an application (``Lesto.__call__``): the server's call for each request.

An HTTP request is checked against the header limits, matched to its route
and, for a route that needs none of the optional steps (no hooks, logging or
timeout, see ``Route.direct``), served right here: one coroutine from the
server to the handler, as each extra coroutine costs every time the request
waits (for a database, say). Every other route goes through
:meth:`lesto.lifecycle.Route.handle`, which runs the same steps with the
hooks between them. Lifespan and websocket connections go to :mod:`lesto.asgi`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import asgi, errors
from ._router.router import PLAIN_VALUE_BYTES
from .asgi import Receive, Scope, Send
from .body import RequestAborted
from .lifecycle import JSON_BYTES, JSON_KINDS, JSON_TYPE, is_json_payload
from .reply import UNSET
from .schema import default_serializer

if TYPE_CHECKING:
    from .app import Lesto

__all__ = ["asgi_entry"]


async def asgi_entry(app: Lesto, scope: Scope, receive: Receive, send: Send) -> None:
    """The ASGI 3 entry point (lifespan and HTTP).

    HTTP requests whose headers exceed ``max_header_count`` or
    ``max_header_size`` are answered 431 ``LST_ERR_HEADERS_TOO_LARGE``,
    whatever server runs the app.
    """
    if scope["type"] != "http":
        await asgi.handle(app, scope, receive, send)
        return
    routing = app._routing
    try:
        headers = scope["headers"]
    except KeyError:  # required by ASGI, but tolerated
        headers = ()
    size = 0
    for name, value in headers:  # inline: a call would cost more than the sum
        size += len(name) + len(value)
    if size > routing.max_header_size or len(headers) > routing.max_header_count:
        await routing.refuse_headers(scope, send, routing.headers_too_large(headers))
        return
    # Routing.match, inlined: the exact-path table first (static routes), then the table
    # of last-segment parameters (/users/:id, see match_tail), then the tree.
    method = scope["method"]
    raw_path: bytes = scope.get("raw_path")  # type: ignore[assignment]
    exact = routing.exact_routes.get(method)
    route = None if exact is None else exact.get(raw_path)
    params: dict[str, str]
    if route is not None:
        params = {}
    else:
        tails = routing.tail_routes.get(method)
        tail = None
        if tails is not None and raw_path:
            head, slash, value = raw_path.rpartition(b"/")
            if slash:
                tail = tails.get(head)
        if (
            tail is not None
            and value
            and len(value) <= routing.max_param_length
            and not value.strip(PLAIN_VALUE_BYTES)
            and value[:1] not in tail.firsts
        ):
            route = tail.store
            params = {tail.name: value.decode("ascii")}
        else:
            if not routing.built:
                await app.ready()
            try:
                hit = routing.match_tree(scope, tails_checked=True)
            except errors.LST_ERR_BAD_URL:
                hit = None
            if hit is None:
                await routing.dispatch(scope, receive, send)  # closing, or a malformed URL
                return
            route, params = hit
    if not route.direct:
        await route.handle(scope, receive, send, params)
        return

    # Route.handle without the optional steps; a dict, list or row returned with no
    # header set goes out from here.
    request = route.request_class(scope, receive, params, route, route.root_log)
    reply = route.reply_class(request, send, route, request.log)
    try:
        if route.straight_to_handler:
            result = await route.handler(request, reply)
        else:
            if route.parses_body:
                await route.parse_body(request, reply)
            if route.validators is not None:
                route.validate(request)
            if route.handler_is_async:
                result = await route.handler(request, reply)
            else:
                result = route.handler(request, reply)
        kind = type(result)
        if (
            reply._payload is UNSET
            and not reply._headers
            and reply._serializer is None
            and (kind is dict or kind is list or JSON_KINDS.get(kind) or is_json_payload(result))
        ):
            if reply._hijacked:
                return
            serializers = route.serializers
            serializer = None if serializers is None else serializers.get(reply._status, JSON_TYPE)
            body = default_serializer(result) if serializer is None else serializer(result)
            reply._flushed = True  # (no hook reads the reply's headers here: none are set)
            await send(
                {
                    "type": "http.response.start",
                    "status": reply._status,
                    "headers": [
                        (b"content-type", JSON_BYTES),
                        (b"content-length", b"%d" % len(body)),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        if not reply.sent:
            reply.send(None if result is reply else result)
        await route.flush(request, reply)
    except RequestAborted:
        request.is_aborted = True
    except Exception as error:
        await route.handle_error(request, reply, error)
