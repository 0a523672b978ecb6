"""The request path of one route, compiled when the application is readied.

A :class:`Route` is created when a route is added (so the router can refuse
duplicates at once) and compiled at ``ready()``: its context's hooks and the
route's own are flattened into tuples, validators and serializers are
compiled, and the error-handler chain is resolved. Per request the lifecycle
walks those tuples in order::

    on_request -> pre_parsing -> parsing -> pre_validation -> validation
      -> pre_handler -> handler -> pre_serialization -> on_send -> response
      -> on_response

Any hook may answer early with ``reply.send(...)``; any exception goes to the
error handlers (``on_error`` hooks first).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import errors
from .body import RequestAborted, parse_content_length, read_body
from .content_types import ContentTypeParsers, decode_text
from .error_handler import (
    ErrorHandler,
    default_error_handler,
    fallback_error_body,
    log_failure,
    status_for,
)
from .hooks import HookEntry
from .logging import log_incoming_request, log_request_completed
from .reply import UNSET, Reply
from .request import Request
from .schema import (
    ResponseSerializers,
    RouteSchema,
    RouteValidators,
    compile_response_serializers,
    compile_route_validators,
    custom_validation_error,
    default_serializer,
    format_validation_message,
    validation_error,
)
from .streaming import is_stream, stream_chunks

if TYPE_CHECKING:
    from .context import Context
    from .route import RouteOptions
    from .routing import Routing

__all__ = ["JSON_BYTES", "JSON_KINDS", "JSON_TYPE", "Route", "is_json_payload"]

Hooks = tuple[HookEntry, ...]

_TEXT = "text/plain; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
"""The content type of JSON replies."""
JSON_BYTES = JSON_TYPE.encode()
_OCTETS = "application/octet-stream"

# Header names and values seen in replies, encoded once (bounded: values from
# user input are not kept past the limit).
_ENCODED: dict[str, bytes] = {}
_ENCODED_LIMIT = 1024


async def _run_hooks(hooks: Hooks, request: Request, reply: Reply) -> bool:
    """Run ``(request, reply)`` hooks in order; True when one of them answered."""
    for fn, is_async in hooks:
        if is_async:
            await fn(request, reply)
        else:
            fn(request, reply)
        if reply.sent:
            return True
    return False


async def _run_payload_hooks(hooks: Hooks, request: Request, reply: Reply, payload: Any) -> Any:
    """Run ``(request, reply, payload)`` hooks; a hook's non-None result replaces the payload."""
    for fn, is_async in hooks:
        result = (await fn(request, reply, payload)) if is_async else fn(request, reply, payload)
        if result is not None:
            payload = result
    return payload


_NOT_JSON = (str, bytes, bytearray, memoryview, type(None), BaseException, Reply)
JSON_KINDS: dict[type, bool] = {}
"""The types whose values are sent as JSON (True) or not (False), decided once per type
by :func:`is_json_payload` (bounded, as classes made at run time must not grow it
without end). A reply is never a JSON payload, so callers may look here first."""
_JSON_KINDS_LIMIT = 4096


def is_json_payload(result: Any) -> bool:
    """Whether :meth:`Route.flush` would send ``result`` as JSON (a database row, a
    model...): not text, bytes, ``None``, an exception, a stream or a reply."""
    kind = type(result)
    known = JSON_KINDS.get(kind)
    if known is None:
        known = not (isinstance(result, _NOT_JSON) or is_stream(result))
        if len(JSON_KINDS) < _JSON_KINDS_LIMIT:
            JSON_KINDS[kind] = known
    return known


class Route:
    """One route: its options, and the compiled request path once the app is readied."""

    # The request path reads the first group for every request: kept together, they share
    # two cache lines (slots are laid out in this order).
    __slots__ = (  # noqa: RUF023
        "direct",
        "request_class",
        "reply_class",
        "root_log",
        "straight_to_handler",
        "parses_body",
        "validators",
        "validate",
        "handler_is_async",
        "handler",
        "serializers",
        "attach_validation",
        "body_limit",
        "ctx",
        "error_handlers",
        "handler_timeout",
        "is_head",
        "log_level",
        "method",
        "on_error",
        "on_request",
        "on_request_abort",
        "on_response",
        "on_send",
        "on_timeout",
        "options",
        "parsers",
        "pre_handler",
        "pre_parsing",
        "pre_serialization",
        "pre_validation",
        "route_hooks",
        "routing",
        "schema",
        "schema_error_formatter",
        "url",
    )

    on_request: Hooks
    pre_parsing: Hooks
    pre_validation: Hooks
    pre_handler: Hooks
    pre_serialization: Hooks
    on_send: Hooks
    on_response: Hooks
    on_error: Hooks
    on_timeout: Hooks
    on_request_abort: Hooks

    def __init__(
        self,
        routing: Routing,
        ctx: Context,
        options: RouteOptions,
        schema: RouteSchema,
        route_hooks: dict[str, tuple[HookEntry, ...]],
        *,
        parses_body: bool,
        is_head: bool = False,
    ) -> None:
        self.routing = routing
        self.ctx = ctx
        self.options = options
        self.method = options.method
        self.url = options.url
        self.schema = schema
        self.route_hooks = route_hooks
        self.parses_body = parses_body
        self.is_head = is_head
        self.handler = options.handler
        self.handler_is_async = options.handler_is_async

    # --- compilation (at ready) ------------------------------------------------------------------

    def compile(self) -> None:
        """Resolve everything the request path needs from the (now final) context."""
        ctx, options, routing = self.ctx, self.options, self.routing
        for name in routing.hook_names:
            setattr(self, name, tuple(ctx.hooks[name]) + self.route_hooks.get(name, ()))
        self.request_class = ctx.request_class
        self.reply_class = ctx.reply_class
        parsers: ContentTypeParsers = ctx.content_type_parsers
        self.parsers = parsers
        self.body_limit = options.body_limit
        self.attach_validation = options.attach_validation
        self.handler_timeout = (
            options.handler_timeout
            if options.handler_timeout is not None
            else routing.handler_timeout
        )
        self.schema_error_formatter = (
            options.schema_error_formatter or routing.schema_error_formatter(ctx)
        )
        self.log_level = options.log_level or ctx.log_level
        self.error_handlers = self._error_chain()
        label = {"method": self.method, "url": self.url}
        validator_compiler = options.validator_compiler or routing.validator_compiler(ctx)
        serializer_compiler = options.serializer_compiler or routing.serializer_compiler(ctx)
        validators = compile_route_validators(self.schema, validator_compiler, **label)
        self.validators: RouteValidators | None = (
            validators
            if any((validators.params, validators.body, validators.querystring, validators.headers))
            else None
        )
        self.serializers: ResponseSerializers | None = compile_response_serializers(
            self.schema, serializer_compiler, **label
        )
        self.root_log = routing.root_log
        # Nothing to read or validate before an async handler: the direct path skips the checks.
        self.straight_to_handler = (
            self.handler_is_async and not self.parses_body and self.validators is None
        )
        self.direct = self._is_direct()
        parts = tuple(
            part
            for part in ("params", "body", "querystring", "headers")
            if getattr(validators, part) is not None
        )
        single: dict[tuple[str, ...], Callable[[Request], None]] = {
            ("params",): self._validate_params,
            ("body",): self._validate_body,
            ("querystring",): self._validate_querystring,
        }
        self.validate = single.get(parts, self._validate)

    def _is_direct(self) -> bool:
        """Whether the route needs none of the optional steps: no hooks, logging or timeout."""
        routing = self.routing
        return not (
            any(getattr(self, name) for name in routing.hook_names)
            or routing.has_logger
            or self.handler_timeout
            or self.is_head
            or self.method == "*"
        )

    def _error_chain(self) -> tuple[ErrorHandler, ...]:
        """The route's error handler, then each distinct one up the contexts, then the default."""
        chain: list[ErrorHandler] = []
        if self.options.error_handler is not None:
            chain.append(self.options.error_handler)
        ctx: Context | None = self.ctx
        while ctx is not None:
            handler = ctx.error_handler
            if handler is not None and handler not in chain:
                chain.append(handler)
            ctx = ctx.parent
        chain.append(default_error_handler)
        return tuple(chain)

    # --- the request path ------------------------------------------------------------------------

    async def handle(self, scope: Any, receive: Any, send: Any, params: dict[str, str]) -> None:
        """Serve one request matched to this route."""
        routing = self.routing
        request = self.request_class(scope, receive, params, self, routing.root_log)
        if routing.has_logger:
            request.log = routing.request_log(request, self.log_level)
        reply = self.reply_class(request, send, self, request.log)
        if routing.log_requests:
            log_incoming_request(request.log, request)
        watcher = self._watch_abort(request, reply) if self.on_request_abort else None
        try:
            await self._run(request, reply)
        except RequestAborted:
            await self._aborted(request)
        except Exception as error:
            await self.handle_error(request, reply, error)
        finally:
            if watcher is not None:
                watcher.cancel()

    async def fail(self, scope: Any, receive: Any, send: Any, error: Exception) -> None:
        """Answer a request that failed before routing (a bad URL) with this route's handlers."""
        routing = self.routing
        request = self.request_class(scope, receive, {}, self, routing.root_log)
        reply = self.reply_class(request, send, self, request.log)
        await self.handle_error(request, reply, error)

    async def _run(self, request: Request, reply: Reply) -> None:
        if self.on_request and await _run_hooks(self.on_request, request, reply):
            return await self.flush(request, reply)
        if self.parses_body:
            await self.parse_body(request, reply)
            if reply.sent:
                return await self.flush(request, reply)
        if self.pre_validation and await _run_hooks(self.pre_validation, request, reply):
            return await self.flush(request, reply)
        if self.validators is not None:
            self.validate(request)
        if self.pre_handler and await _run_hooks(self.pre_handler, request, reply):
            return await self.flush(request, reply)
        result = await self._call_handler(request, reply)
        if not reply.sent:
            reply.send(None if result is reply else result)
        return await self.flush(request, reply)

    async def _call_handler(self, request: Request, reply: Reply) -> Any:
        if not self.handler_is_async:
            return self.handler(request, reply)
        if not self.handler_timeout:
            return await self.handler(request, reply)
        return await self._call_with_timeout(request, reply)

    async def _call_with_timeout(self, request: Request, reply: Reply) -> Any:
        """Run the handler as a task; past ``handler_timeout`` cancel it and answer 503.

        ``request.is_aborted`` is set before the cancellation, so the handler
        can tell a timeout from other cancellations.
        """
        task = asyncio.ensure_future(self.handler(request, reply))
        try:
            done, _ = await asyncio.wait((task,), timeout=self.handler_timeout)
        except asyncio.CancelledError:
            task.cancel()
            raise
        if done:
            return task.result()
        request.is_aborted = True
        task.cancel()
        await asyncio.wait((task,))
        failure = None if task.cancelled() else task.exception()
        if failure is not None:
            log_failure(request.log, failure, "handler failed after its timeout")
        if self.on_timeout:
            await _run_hooks(self.on_timeout, request, reply)
        limit_ms = round(self.handler_timeout * 1000)
        raise errors.LST_ERR_HANDLER_TIMEOUT(limit_ms, f"{self.method}:{self.url}")

    async def parse_body(self, request: Request, reply: Reply) -> None:
        """Read and parse the request body into ``request.body`` (a hook may answer first)."""
        headers = request.headers
        declared = headers.get("content-length")
        chunked = "transfer-encoding" in headers
        if declared is None and not chunked:
            return
        content_length = parse_content_length(declared)
        content_type = headers.get("content-type", "")
        if content_length == 0 and not chunked and not content_type:
            return
        entry = self.parsers.get(content_type)
        if entry is None:
            raise errors.LST_ERR_CTP_INVALID_MEDIA_TYPE(content_type or "undefined")
        receive = request._receive
        if self.pre_parsing:
            receive = await _run_payload_hooks(self.pre_parsing, request, reply, receive)
            if reply.sent:
                return
            if receive is not request._receive:
                # A replaced source (a decompressor...): Content-Length described the original.
                content_length = None
        limit = self.body_limit or entry.body_limit or self.routing.body_limit
        raw = await read_body(receive, limit=limit, content_length=content_length)
        payload: bytes | str = decode_text(raw) if entry.as_str else raw
        parser = entry.parser
        request.body = (
            await parser(request, payload) if entry.is_async else parser(request, payload)
        )

    def _validate(self, request: Request) -> None:
        """Validate params, body, querystring and headers, in Fastify's order.

        A validator rejects by raising: ``LST_ERR_VALIDATION`` from the
        default compiler (re-formatted when the context or route set a
        formatter), any other exception from a custom one (wrapped into the
        same shape). ``attach_validation`` keeps the error on the request.
        """
        validators = self.validators
        assert validators is not None
        # parsed before validating: a query-string error (414) is not a validation failure
        query = request.query if validators.querystring is not None else None
        part = "params"
        try:
            if validators.params is not None:
                request.params = validators.params(request.params)
            part = "body"
            if validators.body is not None:
                request.body = validators.body(request.body)
            part = "querystring"
            if validators.querystring is not None:
                request.query = validators.querystring(query)
            part = "headers"
            if validators.headers is not None:
                validators.headers(dict(request.headers.items()))
        except Exception as failure:
            self._rejected(request, failure, part)

    # :meth:`_validate` for a route whose schema validates one part (fewer steps per request).

    def _validate_params(self, request: Request) -> None:
        try:
            request.params = self.validators.params(request.params)  # type: ignore[union-attr, misc]
        except Exception as failure:
            self._rejected(request, failure, "params")

    def _validate_body(self, request: Request) -> None:
        try:
            request.body = self.validators.body(request.body)  # type: ignore[union-attr, misc]
        except Exception as failure:
            self._rejected(request, failure, "body")

    def _validate_querystring(self, request: Request) -> None:
        query = request.query  # parsed first: a query-string error (414) is no validation failure
        try:
            request.query = self.validators.querystring(query)  # type: ignore[union-attr, misc]
        except Exception as failure:
            self._rejected(request, failure, "querystring")

    def _rejected(self, request: Request, failure: Exception, part: str) -> None:
        """Answer a validator's rejection of ``part`` (see :meth:`_validate`)."""
        error: Exception = failure
        if isinstance(failure, errors.LST_ERR_VALIDATION):
            if self.schema_error_formatter is not None:
                error = validation_error(
                    getattr(failure, "validation", []),
                    getattr(failure, "validation_context", part),
                    self.schema_error_formatter,
                )
        else:
            formatter = self.schema_error_formatter or format_validation_message
            error = custom_validation_error(failure, part, formatter)
        self._validation_failed(request, error)

    def _validation_failed(self, request: Request, error: Exception) -> None:
        if not self.attach_validation:
            raise error
        request.validation_error = error

    # --- answering -------------------------------------------------------------------------------

    async def flush(self, request: Request, reply: Reply, *, for_error: bool = False) -> None:
        """Serialise and transmit what was sent on ``reply``, then run ``on_response`` hooks."""
        if reply._flushed or reply._hijacked:
            return
        if reply._not_found:
            reply._not_found = False
            reply._payload = UNSET
            if self.method == "*":
                # call_not_found() inside a not-found handler: a plain 404, not a loop.
                request.log.warn("call_not_found() inside a not-found handler: basic 404 sent")
                reply.code(404).send(b"404 Not Found")
                reply._headers["content-type"] = _TEXT
            else:
                await self.routing.not_found_route(request).answer_not_found(request, reply)
                return
        payload = reply._payload
        if reply._error is not None and not for_error:
            error, reply._error = reply._error, None
            raise error
        headers = reply._headers
        kind = type(payload)
        if kind is dict or kind is list:
            body: Any = await self._serialize(request, reply, payload)
        elif payload is None or payload is UNSET:
            body = b""
        elif isinstance(payload, bytes):
            body = payload
            headers.setdefault("content-type", _OCTETS)
        elif isinstance(payload, str):
            body = payload.encode()
            headers.setdefault("content-type", _TEXT)
        elif isinstance(payload, bytearray | memoryview):
            body = bytes(payload)
            headers.setdefault("content-type", _OCTETS)
        elif is_stream(payload):
            body = payload
            headers.setdefault("content-type", _OCTETS)
        else:
            body = await self._serialize(request, reply, payload)
        if self.on_send:
            body = _sendable(await _run_payload_hooks(self.on_send, request, reply, body))
        await self._transmit(reply, body)
        if self.on_response or self.routing.log_requests:
            await self._after_response(request, reply)

    async def _serialize(self, request: Request, reply: Reply, payload: Any) -> bytes:
        if self.pre_serialization:
            payload = await _run_payload_hooks(self.pre_serialization, request, reply, payload)
        headers = reply._headers
        custom = reply._serializer
        if custom is not None:
            out = custom(payload)
            headers.setdefault("content-type", JSON_TYPE)
            return out.encode() if isinstance(out, str) else out
        content_type = headers.setdefault("content-type", JSON_TYPE)
        if self.serializers is not None:
            serializer = self.serializers.get(reply._status, content_type)
            if serializer is not None:
                return serializer(payload)
        return default_serializer(payload)

    async def _transmit(self, reply: Reply, body: Any) -> None:
        reply._flushed = True
        send = reply._send
        head = self.is_head or (self.method == "*" and reply.request.raw["method"] == "HEAD")
        raw_headers = _encode_headers(reply._headers)
        if type(body) is not bytes and is_stream(body):
            await send(
                {"type": "http.response.start", "status": reply._status, "headers": raw_headers}
            )
            if not head and not await _stream_until_disconnect(reply.request, send, body):
                await self._aborted(reply.request)
                return
            await send({"type": "http.response.body", "body": b""})
            return
        if type(body) is not bytes:
            body = body.encode() if isinstance(body, str) else b"" if body is None else bytes(body)
        if "content-length" not in reply._headers:
            raw_headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": reply._status, "headers": raw_headers})
        await send({"type": "http.response.body", "body": b"" if head else body})

    async def _after_response(self, request: Request, reply: Reply) -> None:
        if self.on_response:
            for fn, is_async in self.on_response:
                try:
                    if is_async:
                        await fn(request, reply)
                    else:
                        fn(request, reply)
                except Exception as error:
                    log_failure(request.log, error, "on_response hook failed")
        if self.routing.log_requests:
            log_request_completed(request.log, reply)

    # --- errors ----------------------------------------------------------------------------------

    async def handle_error(self, request: Request, reply: Reply, error: Exception) -> None:
        """Answer with the error handlers: the route's, then each context's up to the default."""
        if reply._flushed or reply._hijacked:
            log_failure(request.log, error, "error after the response was sent or hijacked")
            return
        reply._headers.pop("content-type", None)
        reply._headers.pop("content-length", None)
        reply._status = status_for(error, reply._status)
        await self._run_on_error(request, reply, error)
        for handler in self.error_handlers:
            reply._payload = UNSET
            reply._error = None
            reply._serializer = None
            try:
                result = handler(error, request, reply)
                if asyncio.iscoroutine(result):
                    result = await result
                if _is_hijacked(reply):
                    return
                if not reply.sent:
                    reply.send(None if result is reply else result)
                answered_error = _pending_error(reply)
                if answered_error is not None and answered_error is not error:
                    raise answered_error
                await self.flush(request, reply, for_error=True)
                return
            except Exception as next_error:
                if _is_flushed(reply):
                    log_failure(request.log, next_error, "error handler failed after sending")
                    return
                error = next_error
                reply._status = status_for(error, 500)
        await self._send_fallback(reply)

    async def _run_on_error(self, request: Request, reply: Reply, error: Exception) -> None:
        for fn, is_async in self.on_error:
            try:
                if is_async:
                    await fn(request, reply, error)
                else:
                    fn(request, reply, error)
            except Exception as hook_error:
                log_failure(request.log, hook_error, "on_error hook failed")

    async def _send_fallback(self, reply: Reply) -> None:
        """The last resort when even the default error handler failed: a bare 500."""
        reply._flushed = True
        body = fallback_error_body()
        await reply._send(
            {
                "type": "http.response.start",
                "status": 500,
                "headers": [
                    (b"content-type", JSON_BYTES),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await reply._send({"type": "http.response.body", "body": body})

    # --- not found -------------------------------------------------------------------------------

    async def answer_not_found(self, request: Request, reply: Reply) -> None:
        """Answer a request of another route (``reply.call_not_found()``) with this 404 handler."""
        reply._route = self
        try:
            reply._status = 404
            if self.pre_handler and await _run_hooks(self.pre_handler, request, reply):
                return await self.flush(request, reply)
            result = await self._call_handler(request, reply)
            if not reply.sent:
                reply.send(None if result is reply else result)
            await self.flush(request, reply)
        except Exception as error:
            await self.handle_error(request, reply, error)

    # --- aborts ----------------------------------------------------------------------------------

    def _watch_abort(self, request: Request, reply: Reply) -> asyncio.Task[None]:
        """Make a task the only reader of ``receive``; the request reads what it forwards."""
        inbox: asyncio.Queue[Any] = asyncio.Queue()
        receive, request._receive = request._receive, inbox.get
        return asyncio.get_running_loop().create_task(
            self._forward_until_disconnect(request, reply, receive, inbox)
        )

    async def _forward_until_disconnect(
        self, request: Request, reply: Reply, receive: Any, inbox: asyncio.Queue[Any]
    ) -> None:
        """For routes with ``on_request_abort`` hooks: notice the client leaving mid-request.

        Body messages are forwarded to the request, so the body is read as usual;
        a disconnect after the response went out is no abort.
        """
        with contextlib.suppress(asyncio.CancelledError):
            while True:
                message = await receive()
                inbox.put_nowait(message)
                if message["type"] == "http.disconnect":
                    if not reply._flushed:
                        await self._aborted(request)
                    return

    async def _aborted(self, request: Request) -> None:
        if request.is_aborted:
            return
        request.is_aborted = True
        for fn, is_async in self.on_request_abort:
            try:
                if is_async:
                    await fn(request)
                else:
                    fn(request)
            except Exception as error:
                log_failure(request.log, error, "on_request_abort hook failed")


async def _stream_until_disconnect(request: Request, send: Any, body: Any) -> bool:
    """Send a stream's chunks; stop it (closing the iterator) if the client leaves first.

    Returns whether the stream ran to its end. Servers may drop what is sent
    to a closed connection without an error, so an endless stream (server-sent
    events) would otherwise run forever after its client is gone.
    """
    pump = asyncio.ensure_future(_pump(send, body))
    watcher = asyncio.ensure_future(_until_disconnect(request._receive))
    try:
        await asyncio.wait((pump, watcher), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (pump, watcher):
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    if not pump.cancelled() and pump.done():
        pump.result()
        return True
    return False


async def _pump(send: Any, body: Any) -> None:
    chunks = stream_chunks(body)
    try:
        async for chunk in chunks:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
    finally:
        await chunks.aclose()


async def _until_disconnect(receive: Any) -> None:
    """Read (and drop) request messages until the client disconnects.

    A conforming server blocks in ``receive()`` once the body is read; the
    ``sleep(0)`` keeps the stream going even with one that answers at once.
    """
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        await asyncio.sleep(0)


def _is_flushed(reply: Reply) -> bool:
    """Whether the response went out (an error handler may have flushed before failing)."""
    return reply._flushed


def _is_hijacked(reply: Reply) -> bool:
    """Whether an error handler took the response over (``reply.hijack()``)."""
    return reply._hijacked


def _pending_error(reply: Reply) -> BaseException | None:
    """An exception an error handler sent as its answer (it goes to the next handler)."""
    return reply._error


def _sendable(body: Any) -> Any:
    """An ``on_send`` hook's payload as bytes or a stream.

    Raises:
        LST_ERR_REP_INVALID_PAYLOAD_TYPE: not str, bytes, a stream or None.
    """
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, bytearray | memoryview):
        return bytes(body)
    if is_stream(body):
        return body
    raise errors.LST_ERR_REP_INVALID_PAYLOAD_TYPE(type(body).__name__)


def _encode(text: str) -> bytes:
    data = _ENCODED.get(text)
    if data is None:
        data = text.encode("latin-1")
        if len(_ENCODED) < _ENCODED_LIMIT:
            _ENCODED[text] = data
    return data


def _encode_headers(headers: dict[str, Any]) -> list[tuple[bytes, bytes]]:
    encoded: list[tuple[bytes, bytes]] = []
    for name, value in headers.items():
        key = _encode(name)
        if type(value) is str:
            encoded.append((key, _encode(value)))
        elif isinstance(value, list):
            encoded.extend((key, str(item).encode("latin-1")) for item in value)
        else:
            encoded.append((key, str(value).encode("latin-1")))
    return encoded
