"""``Request``: the object handlers and hooks receive for each incoming request.

The base class stores its core attributes in ``__slots__``. Each encapsulation
context derives its own subclass (see :mod:`lesto.context`) whose class
attributes are that context's request decorators and whose ``server`` is the
context's instance; a lookup of a decorator therefore costs one class
attribute access, and building a request costs a few slot stores.

Everything derived from the ASGI scope (headers, query, addresses) is
computed on first access and cached, so a handler pays only for what it reads.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any, ClassVar

from .decorators import read_decorator
from .headers import Headers
from .proxy import client_addresses, trusted_chain

if TYPE_CHECKING:
    from .lifecycle import Route
    from .route import RouteOptions

__all__ = ["CORE_ATTRIBUTES", "Request"]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def _nearest(forwarded: str) -> str:
    """The last entry of a comma-separated ``X-Forwarded-*`` value: the one our proxy added."""
    return forwarded.rpartition(",")[2].strip()


class Request:
    """One incoming request, as handlers and hooks see it.

    Attributes:
        raw: the ASGI ``scope`` of the request.
        params: the path parameters of the matched route (validated when it has a schema).
        body: the parsed body, ``None`` when the request has none.
        log: the request's child logger.
        is_aborted: whether the client went away before the response completed.
        validation_error: the validation error kept when the route sets ``attach_validation``.
        server: the encapsulated Lesto instance of the route (a class attribute).
    """

    __slots__ = (
        "_headers",
        "_id",
        "_query",
        "_receive",
        "_route",
        "body",
        "is_aborted",
        "log",
        "params",
        "raw",
        "validation_error",
    )

    server: ClassVar[Any]

    def __init__(
        self, raw: Scope, receive: Receive, params: dict[str, str], route: Route, log: Any
    ) -> None:
        self.raw = raw
        self.params = params
        self.log = log
        self.body: Any = None
        self.is_aborted = False
        self.validation_error: Exception | None = None
        self._receive = receive
        self._route = route
        self._headers: Headers | None = None
        self._query: Any = None
        self._id: str | None = None

    # --- identity ------------------------------------------------------------------------------

    @property
    def id(self) -> str:
        """The request id (from ``request_id_header`` or ``gen_req_id``, else ``req-N``)."""
        if self._id is None:
            self._id = self._route.routing.gen_req_id(self.raw)
        return self._id

    @property
    def route_options(self) -> RouteOptions:
        """The options of the matched route (``config``, ``schema``, ``url``, ``method``...)."""
        return self._route.options

    # --- the request line and headers -----------------------------------------------------------

    @property
    def method(self) -> str:
        """The HTTP method."""
        return str(self.raw["method"])

    @property
    def url(self) -> str:
        """The request target as sent: path and query string, not decoded."""
        raw_path = self.raw.get("raw_path")
        path = raw_path.decode("latin-1") if raw_path else self.raw["path"]
        query = self.raw.get("query_string")
        return f"{path}?{query.decode('latin-1')}" if query else str(path)

    @property
    def original_url(self) -> str:
        """The URL the client asked for (the same as :attr:`url`)."""
        return self.url

    @property
    def headers(self) -> Headers:
        """The request headers: a case-insensitive, read-only mapping; repeats via ``getlist``."""
        headers = self._headers
        if headers is None:
            headers = self._headers = Headers(self.raw["headers"])
        return headers

    @property
    def query(self) -> Any:
        """The parsed query string (repeated keys become lists), validated by the route schema."""
        query = self._query
        if query is None:
            query = self._query = self._route.routing.parse_query(self.raw)
        return query

    @query.setter
    def query(self, value: Any) -> None:
        self._query = value

    # --- addresses (trust_proxy aware) -----------------------------------------------------------

    @property
    def ips(self) -> list[str]:
        """The client address chain, nearest first, up to the first untrusted proxy."""
        trust = self._route.routing.trust_proxy
        client = self.raw.get("client")
        socket_address = str(client[0]) if client else ""
        if trust is None:
            return [socket_address]
        addresses = client_addresses(socket_address, self.headers.get("x-forwarded-for"))
        return trusted_chain(addresses, trust)

    @property
    def ip(self) -> str:
        """The client address: the socket peer, or the forwarded one when proxies are trusted."""
        if self._route.routing.trust_proxy is None:
            client = self.raw.get("client")
            return str(client[0]) if client else ""
        return self.ips[-1]

    def _trusts_peer(self) -> bool:
        trust = self._route.routing.trust_proxy
        if trust is None:
            return False
        client = self.raw.get("client")
        return trust(str(client[0]) if client else "", 0)

    @property
    def host(self) -> str:
        """``host[:port]`` from ``X-Forwarded-Host`` (trusted proxy) or ``Host``."""
        if self._trusts_peer():
            forwarded = self.headers.get("x-forwarded-host")
            if forwarded:
                return _nearest(forwarded)
        host = self.headers.get("host")
        if host:
            return host
        server = self.raw.get("server")
        return f"{server[0]}:{server[1]}" if server else ""

    @property
    def hostname(self) -> str:
        """The host without its port."""
        host = self.host
        if host.startswith("["):
            return host[: host.find("]") + 1]
        return host.rpartition(":")[0] if host.count(":") == 1 else host

    @property
    def port(self) -> int | None:
        """The port from the host, else the scheme's default."""
        host = self.host
        tail = host[host.find("]") + 1 :] if host.startswith("[") else host
        if tail.count(":") == 1:
            text = tail.rpartition(":")[2]
            if text.isdigit():
                return int(text)
        return _DEFAULT_PORTS.get(self.protocol)

    @property
    def protocol(self) -> str:
        """``http`` or ``https`` (``X-Forwarded-Proto`` from a trusted proxy wins)."""
        if self._trusts_peer():
            forwarded = self.headers.get("x-forwarded-proto")
            if forwarded:
                return _nearest(forwarded).lower()
        return str(self.raw.get("scheme", "http"))

    # --- decorators ------------------------------------------------------------------------------

    def get_decorator(self, name: str) -> Any:
        """The value of the request decorator ``name`` (functions come back bound).

        Raises:
            LST_ERR_DEC_UNDECLARED: no request decorator ``name`` is visible here.
        """
        return read_decorator(self, name, CORE_ATTRIBUTES, "the request")


#: Names no request decorator may use: everything the base class defines.
CORE_ATTRIBUTES = frozenset(dir(Request)) | {"server"}
