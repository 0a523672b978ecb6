"""``Reply``: the object a handler uses to answer a request.

Like :class:`~lesto.request.Request`, the base class keeps its core state in
``__slots__`` and each encapsulation context derives a subclass whose class
attributes are the context's reply decorators and whose ``server`` is the
context's instance.

``send()`` records the payload; the route's lifecycle serialises and
transmits it when the hook or handler that called ``send()`` returns. Await
the reply (``await reply.send(data)``) to transmit at once, e.g. before slow
work that should not delay the response.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Self

from . import errors
from .decorators import read_decorator
from .request import Request

if TYPE_CHECKING:
    from .lifecycle import Route

__all__ = ["CORE_ATTRIBUTES", "UNSET", "Reply"]

Send = Callable[[dict[str, Any]], Any]

_FORBIDDEN_IN_HEADERS = ("\r", "\n", "\0")

_clock = time.perf_counter

#: The payload of a reply nothing was sent on yet (``None`` is a valid payload).
UNSET: Any = object()


def _check_header(name: str, value: str) -> None:
    """Refuse CR, LF and NUL (response splitting) and characters HTTP/1.1 cannot carry."""
    for char in _FORBIDDEN_IN_HEADERS:
        if char in name or char in value:
            raise errors.LST_ERR_INVALID_HEADER_VALUE(name.strip("\r\n\0"))
    if not (name.isascii() and _is_latin1(value)):
        raise errors.LST_ERR_INVALID_HEADER_VALUE(name)


def _is_latin1(value: str) -> bool:
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


class Reply:
    """The answer to one request.

    Attributes:
        request: the request this reply answers.
        log: the request's child logger.
        server: the encapsulated Lesto instance of the route (a class attribute).
    """

    __slots__ = (
        "_error",
        "_flushed",
        "_headers",
        "_hijacked",
        "_not_found",
        "_payload",
        "_route",
        "_send",
        "_serializer",
        "_started_at",
        "_status",
        "log",
        "request",
    )

    server: ClassVar[Any]

    def __init__(self, request: Request, send: Send, route: Route, log: Any) -> None:
        self.request = request
        self.log = log
        self._send = send
        self._route = route
        self._status = 200
        self._headers: dict[str, Any] = {}
        self._payload: Any = UNSET
        self._serializer: Callable[[Any], str | bytes] | None = None
        self._error: BaseException | None = None
        self._flushed = False
        self._hijacked = False
        self._not_found = False
        self._started_at = _clock()

    # --- status ----------------------------------------------------------------------------------

    @property
    def status_code(self) -> int:
        """The status that will be sent (200 unless changed)."""
        return self._status

    @status_code.setter
    def status_code(self, value: int) -> None:
        self.code(value)

    def code(self, status_code: int) -> Self:
        """Set the status code; returns the reply for chaining.

        Raises:
            LST_ERR_BAD_STATUS_CODE: not an int between 100 and 599.
        """
        if type(status_code) is not int or not 100 <= status_code <= 599:
            raise errors.LST_ERR_BAD_STATUS_CODE(status_code)
        self._status = status_code
        return self

    status = code

    # --- headers ---------------------------------------------------------------------------------

    def header(self, name: str, value: Any) -> Self:
        """Set a response header; ``set-cookie`` accumulates values instead of replacing.

        Raises:
            LST_ERR_INVALID_HEADER_VALUE: the name or value contains CR, LF or NUL.
        """
        key = name.lower()
        if isinstance(value, list | tuple):
            values = [str(item) for item in value]
            for item in values:
                _check_header(key, item)
            stored: Any = values
        else:
            stored = str(value)
            _check_header(key, stored)
        if key == "set-cookie":
            existing = self._headers.get(key)
            if existing is not None:
                existing.extend(stored if isinstance(stored, list) else [stored])
                return self
            stored = stored if isinstance(stored, list) else [stored]
        self._headers[key] = stored
        return self

    def headers(self, headers: Mapping[str, Any]) -> Self:
        """Set several headers at once."""
        for name, value in headers.items():
            self.header(name, value)
        return self

    def get_header(self, name: str) -> Any:
        """A header set on this reply (a list for ``set-cookie``), or ``None``."""
        return self._headers.get(name.lower())

    def get_headers(self) -> dict[str, Any]:
        """A copy of the headers set on this reply."""
        return dict(self._headers)

    def remove_header(self, name: str) -> Self:
        """Remove a header set on this reply."""
        self._headers.pop(name.lower(), None)
        return self

    def has_header(self, name: str) -> bool:
        """Whether a header is set on this reply."""
        return name.lower() in self._headers

    def type(self, content_type: str) -> Self:
        """Set the ``Content-Type``."""
        return self.header("content-type", content_type)

    # --- sending ---------------------------------------------------------------------------------

    @property
    def sent(self) -> bool:
        """Whether the response is decided (``send()`` was called) or the reply was hijacked."""
        return self._hijacked or self._payload is not UNSET

    def send(self, payload: Any = None) -> Self:
        """Answer with ``payload``; the lifecycle serialises and transmits it.

        dict/list and other objects become JSON (the route's response schema
        applies), ``str`` is ``text/plain``, ``bytes`` ``application/octet-stream``,
        a (sync or async) iterator is streamed, an exception goes to the error
        handler. Sending twice logs ``LST_ERR_REP_ALREADY_SENT`` and keeps the first.
        """
        if self.sent:
            error = errors.LST_ERR_REP_ALREADY_SENT(f"{self.request.method}:{self.request.url}")
            self.log.warn({"err": error}, error.message)
            return self
        if isinstance(payload, BaseException):
            self._error = payload
        self._payload = payload
        return self

    def redirect(self, url: str, code: int = 302) -> Self:
        """Answer with a redirect to ``url`` (302 unless ``code`` says otherwise)."""
        self.header("location", url).code(code)
        return self.send(None)

    def call_not_found(self) -> Self:
        """Answer with the not-found handler of the route's prefix."""
        self._not_found = True
        return self.send(None)

    def hijack(self) -> Self:
        """Take over the response: Lesto sends nothing; use :attr:`raw` (the ASGI ``send``)."""
        self._hijacked = True
        return self

    @property
    def raw(self) -> Send:
        """The ASGI ``send`` callable of the request (for hijacked replies)."""
        return self._send

    def serializer(self, fn: Callable[[Any], str | bytes]) -> Self:
        """Serialise this reply's payload with ``fn`` instead of the route's serializer."""
        self._serializer = fn
        return self

    @property
    def elapsed_time(self) -> float:
        """Milliseconds since the request arrived."""
        return (_clock() - self._started_at) * 1000.0

    def __await__(self) -> Generator[Any, None, Self]:
        """Transmit a sent payload now rather than when the handler returns."""
        if self.sent and not self._flushed and not self._hijacked:
            yield from self._route.flush(self.request, self).__await__()
        return self

    # --- decorators ------------------------------------------------------------------------------

    def get_decorator(self, name: str) -> Any:
        """The value of the reply decorator ``name`` (functions come back bound).

        Raises:
            LST_ERR_DEC_UNDECLARED: no reply decorator ``name`` is visible here.
        """
        return read_decorator(self, name, CORE_ATTRIBUTES, "the reply")


#: Names no reply decorator may use: everything the base class defines.
CORE_ATTRIBUTES = frozenset(dir(Reply)) | {"server"}
