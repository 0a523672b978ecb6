"""In-process requests to any ASGI 3 application, with no socket (light-my-request).

:func:`inject` builds an ASGI ``http`` scope from keyword options, feeds the
request body through ``receive``, collects what the application sends and
returns an :class:`InjectResponse`. :class:`Chain` offers the same options as
chained setters (``Chain(app).post("/x").payload({...})``) and is awaitable.

Behaviour follows light-my-request: a ``user-agent`` of ``lightMyRequest`` and a
``host`` taken from the URL (``localhost:80`` for a path; the scheme's port is
added when the URL names none) are added unless given, a dict or list payload
is sent as JSON with ``content-type: application/json``, and ``content-length``
is set for a body known in advance. A header given as ``None`` (``user-agent``
or ``content-type`` only) leaves that default out. Path dot-segments are kept
as written, so an application can be tested with them.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Generator,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
)
from datetime import datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any, TypeGuard
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import orjson

from . import errors

__all__ = ["Chain", "InjectResponse", "inject"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HeaderValue = str | int | Sequence[str | int] | None
QueryValue = str | int | float | bool | Sequence[str | int | float | bool]
Query = Mapping[str, QueryValue] | str

_ABSOLUTE_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_PORT_SUFFIX = re.compile(r":\d+$")
# Characters a path may carry unescaped (RFC 3986 pchar and "/"), plus "%" so
# escapes already present are kept.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
# What JavaScript's encodeURIComponent leaves alone, as the cookie package uses it.
_COOKIE_SAFE = "-_.!~*'()"
_OMITTABLE_DEFAULTS = frozenset({"user-agent", "content-type"})


class InjectResponse:
    """The response an application sent to an injected request.

    Attributes:
        status_code: the HTTP status.
        status_message: the standard reason phrase of the status ("" if unknown).
        headers: response headers by lowercase name; a header sent more than once
            maps to the list of its values, in order.
        raw_headers: the headers exactly as sent, as ``(name, value)`` bytes pairs.
        raw_payload: the response body.
    """

    __slots__ = ("headers", "raw_headers", "raw_payload", "status_code", "status_message")

    def __init__(
        self, status_code: int, raw_headers: list[tuple[bytes, bytes]], raw_payload: bytes
    ) -> None:
        self.status_code = status_code
        self.status_message = _reason_phrase(status_code)
        self.raw_headers = raw_headers
        self.headers = _group_headers(raw_headers)
        self.raw_payload = raw_payload

    @property
    def body(self) -> str:
        """The body decoded as UTF-8 (undecodable bytes are replaced)."""
        return self.raw_payload.decode("utf-8", "replace")

    @property
    def payload(self) -> str:
        """Alias of :attr:`body`, as light-my-request names it."""
        return self.body

    def json(self) -> Any:
        """The body parsed as JSON (``orjson.JSONDecodeError`` if it is not JSON)."""
        return orjson.loads(self.raw_payload)

    @property
    def cookies(self) -> list[dict[str, Any]]:
        """The ``set-cookie`` headers parsed, one dict per cookie.

        Each has ``name`` and ``value`` (percent-decoded) plus the attributes
        present: ``path``, ``domain``, ``expires`` (an aware ``datetime``),
        ``max_age`` (int), ``secure``, ``http_only``, ``same_site``,
        ``partitioned``; other attributes appear under their lowercase name.
        """
        values = self.headers.get("set-cookie", [])
        return [_parse_set_cookie(value) for value in _as_list(values)]

    def __repr__(self) -> str:
        return f"<InjectResponse {self.status_code} {self.status_message}>"


async def inject(
    app: ASGIApp,
    *,
    method: str = "GET",
    url: str = "/",
    query: Query | None = None,
    headers: Mapping[str, HeaderValue] | None = None,
    payload: object = None,
    body: object = None,
    cookies: Mapping[str, str] | None = None,
    remote_address: str = "127.0.0.1",
    authority: str | None = None,
) -> InjectResponse:
    """Send one request to the ASGI application ``app`` in process and return its response.

    Args:
        app: any ASGI 3 callable; it is called once with an ``http`` scope.
        method: the HTTP method (uppercased).
        url: a path with an optional query (``/users?page=2``) or an absolute URL,
            whose scheme and host are then used.
        query: a mapping (a list value repeats the key) or a query string, merged
            into the URL's own query; its keys replace those of the URL.
        headers: request headers; a list value repeats the header. Names are
            lowercased. ``None`` for ``user-agent`` or ``content-type`` leaves
            that default out.
        payload: the body. ``str`` and bytes are sent as is; a dict, list or other
            value orjson can serialize is sent as JSON; any other iterable or
            async iterable of ``bytes``/``str`` chunks is streamed
            (``transfer-encoding: chunked``, no ``content-length``).
        body: alias of ``payload``; giving both raises ``LST_ERR_INJECT_PAYLOAD_AND_BODY``.
        cookies: added to the ``cookie`` header (after any value already there).
        remote_address: the client address in the scope.
        authority: the ``host`` header when none is given; defaults to the URL's
            host and port (``localhost:80`` for a path).

    Raises:
        Whatever the application raises, and ``LST_ERR_INJECT_*`` errors for bad
        options, an ASGI protocol violation or a response left incomplete.
    """
    request = _build_request(
        method=method,
        url=url,
        query=query,
        headers=headers,
        payload=payload,
        body=body,
        cookies=cookies,
        remote_address=remote_address,
        authority=authority,
    )
    exchange = _Exchange(request.body)
    try:
        await app(request.scope, exchange.receive, exchange.send)
    finally:
        exchange.finish()
    return exchange.response()


class Chain:
    """An injected request built by chained setters; ``await`` it or its :meth:`end`.

    ``Chain(app).get("/").headers({"x": "1"}).query({"q": "a"})`` sets the
    options :func:`inject` takes; keyword arguments give initial options.
    Once the request has been sent, every setter and :meth:`end` raise
    ``LST_ERR_INJECT_ALREADY_INVOKED``.

    A chain is also a coroutine (``send``, ``throw`` and ``close`` drive the
    request it sends), so ``asyncio.run(app.inject(url="/"))`` and
    ``asyncio.create_task(app.inject(url="/"))`` work as they do for an
    ``async def`` call.
    """

    __slots__ = ("_app", "_invoked", "_options", "_running")

    def __init__(self, app: ASGIApp, **options: Any) -> None:
        self._app = app
        self._options: dict[str, Any] = options
        self._invoked = False
        self._running: Coroutine[Any, Any, InjectResponse] | None = None

    def _set(self, name: str, **values: Any) -> Chain:
        if self._invoked:
            raise errors.LST_ERR_INJECT_ALREADY_INVOKED(name)
        self._options.update(values)
        return self

    def delete(self, url: str) -> Chain:
        """Make it a ``DELETE`` request to ``url``."""
        return self._set("delete", method="DELETE", url=url)

    def get(self, url: str) -> Chain:
        """Make it a ``GET`` request to ``url``."""
        return self._set("get", method="GET", url=url)

    def head(self, url: str) -> Chain:
        """Make it a ``HEAD`` request to ``url``."""
        return self._set("head", method="HEAD", url=url)

    def options(self, url: str) -> Chain:
        """Make it an ``OPTIONS`` request to ``url``."""
        return self._set("options", method="OPTIONS", url=url)

    def patch(self, url: str) -> Chain:
        """Make it a ``PATCH`` request to ``url``."""
        return self._set("patch", method="PATCH", url=url)

    def post(self, url: str) -> Chain:
        """Make it a ``POST`` request to ``url``."""
        return self._set("post", method="POST", url=url)

    def put(self, url: str) -> Chain:
        """Make it a ``PUT`` request to ``url``."""
        return self._set("put", method="PUT", url=url)

    def trace(self, url: str) -> Chain:
        """Make it a ``TRACE`` request to ``url``."""
        return self._set("trace", method="TRACE", url=url)

    def headers(self, headers: Mapping[str, HeaderValue]) -> Chain:
        """Set the request headers (replacing those set before)."""
        return self._set("headers", headers=headers)

    def query(self, query: Query) -> Chain:
        """Set the query, merged into the URL's own."""
        return self._set("query", query=query)

    def payload(self, payload: object) -> Chain:
        """Set the request body (see :func:`inject`)."""
        return self._set("payload", payload=payload)

    def body(self, body: object) -> Chain:
        """Set the request body through the ``body`` alias."""
        return self._set("body", body=body)

    def cookies(self, cookies: Mapping[str, str]) -> Chain:
        """Set the cookies sent in the ``cookie`` header."""
        return self._set("cookies", cookies=cookies)

    def end(self) -> Coroutine[Any, Any, InjectResponse]:
        """Send the request; await the result for the :class:`InjectResponse`."""
        self._set("end")
        self._invoked = True
        return inject(self._app, **self._options)

    def __await__(self) -> Generator[Any, None, InjectResponse]:
        return self.end().__await__()

    # --- the coroutine protocol (asyncio.run, create_task) ---------------------------------------

    def _coroutine(self) -> Coroutine[Any, Any, InjectResponse]:
        if self._running is None:
            self._running = self.end()
        return self._running

    def send(self, value: Any) -> Any:
        """Advance the request (what a task does with a coroutine)."""
        return self._coroutine().send(value)

    def throw(self, error: BaseException, *args: Any) -> Any:
        """Raise ``error`` inside the request (a cancelled task does this)."""
        return self._coroutine().throw(error, *args)

    def close(self) -> None:
        """Close the request's coroutine, if it was started."""
        if self._running is not None:
            self._running.close()


Coroutine.register(Chain)


# --- building the request ------------------------------------------------------------------


class _Request:
    """A scope and the body that ``receive`` delivers."""

    __slots__ = ("body", "scope")

    def __init__(self, scope: Scope, body: bytes | Iterable[Any] | AsyncIterable[Any]) -> None:
        self.scope = scope
        self.body = body


def _build_request(
    *,
    method: str,
    url: str,
    query: Query | None,
    headers: Mapping[str, HeaderValue] | None,
    payload: object,
    body: object,
    cookies: Mapping[str, str] | None,
    remote_address: str,
    authority: str | None,
) -> _Request:
    if payload is not None and body is not None:
        raise errors.LST_ERR_INJECT_PAYLOAD_AND_BODY()
    if not isinstance(method, str) or not method:
        raise errors.LST_ERR_INJECT_INVALID_OPTION("method", "must be a non-empty string")
    scheme, url_authority, raw_path, query_string = _split_url(url, query)
    host = authority or url_authority or f"localhost:{_DEFAULT_PORTS[scheme]}"
    header_map = _user_headers(headers)
    header_map.setdefault("user-agent", ["lightMyRequest"])
    header_map.setdefault("host", [host])
    if cookies:
        _add_cookies(header_map, cookies)
    content = _encode_payload(payload if payload is not None else body, header_map)
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method.upper(),
        "scheme": scheme,
        "path": unquote(raw_path),
        "raw_path": raw_path.encode("ascii"),
        "query_string": query_string.encode("ascii"),
        "root_path": "",
        "headers": _encode_headers(header_map),
        "client": (remote_address, 0),
        "server": _server_address(host, scheme),
    }
    return _Request(scope, content)


def _split_url(url: str, query: Query | None) -> tuple[str, str, str, str]:
    """``(scheme, authority, raw path, query string)`` of ``url`` with ``query`` merged in."""
    if not isinstance(url, str):
        raise errors.LST_ERR_INJECT_INVALID_OPTION("url", f"must be a string, got {url!r}")
    scheme, authority = "http", ""
    if _ABSOLUTE_URL.match(url):
        parts = urlsplit(url)
        scheme, authority = parts.scheme.lower(), parts.netloc
        if scheme not in _DEFAULT_PORTS:
            raise errors.LST_ERR_INJECT_INVALID_OPTION("url", f"unsupported scheme {scheme!r}")
        if not _PORT_SUFFIX.search(authority):
            authority = f"{authority}:{_DEFAULT_PORTS[scheme]}"
        path, query_string = parts.path, parts.query
    else:
        path, _, query_string = url.partition("#")[0].partition("?")
    if not path.startswith("/"):
        path = "/" + path
    raw_path = quote(path, safe=_PATH_SAFE)
    query_string = quote(query_string, safe=_PATH_SAFE + "?")
    if query is not None:
        query_string = _merge_query(query_string, query)
    return scheme, authority, raw_path, query_string


def _merge_query(query_string: str, query: Query) -> str:
    """The URL's query with ``query``'s keys replacing the same keys, re-encoded."""
    extra: list[tuple[str, str]] = (
        parse_qsl(query, keep_blank_values=True)
        if isinstance(query, str)
        else [
            (key, _query_text(value)) for key, values in query.items() for value in _as_list(values)
        ]
    )
    replaced = {key for key, _ in extra}
    pairs = [
        pair for pair in parse_qsl(query_string, keep_blank_values=True) if pair[0] not in replaced
    ]
    return urlencode(pairs + extra)


def _query_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise errors.LST_ERR_INJECT_INVALID_OPTION("query", f"cannot send a {type(value).__name__}")


def _user_headers(headers: Mapping[str, HeaderValue] | None) -> dict[str, list[str | None]]:
    """The caller's headers by lowercase name, each as a list of values."""
    result: dict[str, list[str | None]] = {}
    for name, value in (headers or {}).items():
        key = name.lower()
        if value is None:
            if key not in _OMITTABLE_DEFAULTS:
                raise errors.LST_ERR_INJECT_INVALID_OPTION(name, "a header value cannot be None")
            result[key] = [None]
            continue
        result.setdefault(key, []).extend(_header_text(name, item) for item in _as_list(value))
    return result


def _header_text(name: str, value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise errors.LST_ERR_INJECT_INVALID_OPTION(name, f"cannot send a {type(value).__name__}")


def _add_cookies(header_map: dict[str, list[str | None]], cookies: Mapping[str, str]) -> None:
    pairs = [f"{name}={quote(str(value), safe=_COOKIE_SAFE)}" for name, value in cookies.items()]
    existing = [value for value in header_map.get("cookie", []) if value]
    header_map["cookie"] = ["; ".join(existing + pairs)]


def _encode_payload(
    payload: object, header_map: dict[str, list[str | None]]
) -> bytes | Iterable[Any] | AsyncIterable[Any]:
    """The body to send, setting the content-type and length headers it implies."""
    if payload is None:
        return b""
    if isinstance(payload, str):
        content = payload.encode("utf-8")
    elif isinstance(payload, bytes | bytearray | memoryview):
        content = bytes(payload)
    elif _is_stream(payload):
        if "content-length" not in header_map:
            header_map.setdefault("transfer-encoding", ["chunked"])
        return payload
    else:
        content = _dump_json(payload)
        header_map.setdefault("content-type", ["application/json"])
    if content:
        header_map.setdefault("content-length", [str(len(content))])
    return content


def _is_stream(payload: object) -> TypeGuard[Iterable[Any] | AsyncIterable[Any]]:
    if isinstance(payload, AsyncIterable):
        return True
    return isinstance(payload, Iterable) and not isinstance(
        payload, Mapping | list | tuple | set | frozenset
    )


def _dump_json(payload: object) -> bytes:
    try:
        return orjson.dumps(payload)
    except TypeError as error:
        raise errors.LST_ERR_INJECT_INVALID_OPTION("payload", str(error)) from error


def _encode_headers(header_map: dict[str, list[str | None]]) -> list[tuple[bytes, bytes]]:
    return [
        (name.encode("latin-1"), value.encode("latin-1"))
        for name, values in header_map.items()
        for value in values
        if value is not None
    ]


def _server_address(host: str, scheme: str) -> tuple[str, int]:
    """``(host, port)`` of an authority such as ``example.com:8080`` or ``[::1]:8080``."""
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        port = rest.removeprefix(":")
    else:
        name, _, port = host.partition(":")
    return name, int(port) if port.isdigit() else _DEFAULT_PORTS[scheme]


# --- running the exchange ------------------------------------------------------------------


class _Exchange:
    """The ``receive`` and ``send`` callables of one request, and what was sent."""

    __slots__ = ("_chunks", "_complete", "_ended", "_headers", "_source", "_status")

    def __init__(self, body: bytes | Iterable[Any] | AsyncIterable[Any]) -> None:
        self._source: bytes | Iterator[Any] | AsyncIterator[Any] | None = (
            body
            if isinstance(body, bytes)
            else aiter(body)
            if isinstance(body, AsyncIterable)
            else iter(body)
        )
        self._complete = asyncio.Event()
        self._ended = False
        self._status: int | None = None
        self._headers: list[tuple[bytes, bytes]] = []
        self._chunks: list[bytes] = []

    async def receive(self) -> Message:
        """The next body message; once the body is sent, wait for the response to end."""
        if self._source is not None:
            return await self._next_body_message(self._source)
        await self._complete.wait()
        return {"type": "http.disconnect"}

    async def _next_body_message(
        self, source: bytes | Iterator[Any] | AsyncIterator[Any]
    ) -> Message:
        if isinstance(source, bytes):
            self._source = None
            return {"type": "http.request", "body": source, "more_body": False}
        try:
            if isinstance(source, AsyncIterator):
                chunk = await anext(source)
            else:
                chunk = next(source)
        except (StopIteration, StopAsyncIteration):
            self._source = None
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.request", "body": _chunk_bytes(chunk), "more_body": True}

    async def send(self, message: Message) -> None:
        """Record an ``http.response.start`` or ``http.response.body`` message."""
        kind = message.get("type")
        if self._ended:
            raise errors.LST_ERR_INJECT_ASGI_PROTOCOL(f"{kind!r} sent after the response ended")
        if kind == "http.response.start":
            self._start(message)
        elif kind == "http.response.body":
            self._add_body(message)
        else:
            raise errors.LST_ERR_INJECT_ASGI_PROTOCOL(f"unexpected message type {kind!r}")

    def _start(self, message: Message) -> None:
        if self._status is not None:
            raise errors.LST_ERR_INJECT_ASGI_PROTOCOL("'http.response.start' sent twice")
        status = message.get("status")
        if not isinstance(status, int):
            raise errors.LST_ERR_INJECT_ASGI_PROTOCOL(f"status must be an int, got {status!r}")
        self._status = status
        self._headers = [(bytes(name), bytes(value)) for name, value in message.get("headers", ())]

    def _add_body(self, message: Message) -> None:
        if self._status is None:
            raise errors.LST_ERR_INJECT_ASGI_PROTOCOL(
                "'http.response.body' sent before 'http.response.start'"
            )
        self._chunks.append(bytes(message.get("body", b"")))
        if not message.get("more_body", False):
            self._ended = True
            self._complete.set()

    def finish(self) -> None:
        """Release any ``receive`` still waiting: the application has returned."""
        self._complete.set()

    def response(self) -> InjectResponse:
        """The collected response; an error if the application did not complete it."""
        if self._status is None:
            raise errors.LST_ERR_INJECT_INCOMPLETE_RESPONSE("no 'http.response.start' was sent")
        if not self._ended:
            raise errors.LST_ERR_INJECT_INCOMPLETE_RESPONSE("the body never ended (more_body)")
        return InjectResponse(self._status, self._headers, b"".join(self._chunks))


def _chunk_bytes(chunk: object) -> bytes:
    if isinstance(chunk, str):
        return chunk.encode("utf-8")
    if isinstance(chunk, bytes | bytearray | memoryview):
        return bytes(chunk)
    raise errors.LST_ERR_INJECT_INVALID_OPTION(
        "payload", f"a streamed chunk must be bytes or str, got {type(chunk).__name__}"
    )


# --- reading the response ------------------------------------------------------------------


def _reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _group_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str | list[str]]:
    grouped: dict[str, str | list[str]] = {}
    for raw_name, raw_value in raw:
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        previous = grouped.get(name)
        if previous is None:
            grouped[name] = value
        elif isinstance(previous, list):
            previous.append(value)
        else:
            grouped[name] = [previous, value]
    return grouped


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _parse_set_cookie(header: str) -> dict[str, Any]:
    """One ``set-cookie`` value as a dict (set-cookie-parser's rules, snake_case keys)."""
    pair, *attributes = header.split(";")
    name, equals, value = pair.partition("=")
    if not equals:
        name, value = "", name
    cookie: dict[str, Any] = {"name": name.strip(), "value": unquote(value.strip())}
    for attribute in attributes:
        key, _, text = attribute.partition("=")
        _set_cookie_attribute(cookie, key.strip().lower(), text.strip())
    return cookie


def _set_cookie_attribute(cookie: dict[str, Any], key: str, text: str) -> None:
    if key == "expires":
        cookie["expires"] = _parse_expires(text)
    elif key == "max-age":
        cookie["max_age"] = int(text) if text.lstrip("-").isdigit() else text
    elif key in ("secure", "partitioned"):
        cookie[key] = True
    elif key == "httponly":
        cookie["http_only"] = True
    elif key == "samesite":
        cookie["same_site"] = text
    elif key:
        cookie[key] = text


def _parse_expires(text: str) -> datetime | str:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return text
