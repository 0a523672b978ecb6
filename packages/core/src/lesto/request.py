"""``Request``: the object handlers and hooks receive for each incoming request.

The base class stores its core attributes in ``__slots__``. Each encapsulation
context derives its own subclass (see :mod:`lesto.context`) whose class
attributes are that context's request decorators and whose ``server`` is the
context's instance; a lookup of a decorator therefore costs one class
attribute access, and building a request costs a few slot stores.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, ClassVar

from . import errors

__all__ = ["CORE_ATTRIBUTES", "Request"]

Scope = MutableMapping[str, Any]


class Request:
    """One incoming request, as handlers and hooks see it.

    Attributes:
        raw: the ASGI ``scope`` of the request.
        id: the request id.
        log: the request's child logger.
        params: the path parameters of the matched route.
        body: the parsed body, ``None`` until it is parsed.
        route_options: the options of the matched route.
        is_aborted: whether the client went away before the response completed.
        validation_error: the validation error kept when a route attaches it.
        server: the encapsulated Lesto instance of the route (a class attribute).
    """

    __slots__ = (
        "body",
        "id",
        "is_aborted",
        "log",
        "params",
        "raw",
        "route_options",
        "validation_error",
    )

    server: ClassVar[Any]

    def __init__(
        self, raw: Scope, id: str, log: Any, params: dict[str, str], route_options: Any
    ) -> None:
        self.raw = raw
        self.id = id
        self.log = log
        self.params = params
        self.route_options = route_options
        self.body: Any = None
        self.is_aborted = False
        self.validation_error: Exception | None = None

    def get_decorator(self, name: str) -> Any:
        """The value of the request decorator ``name`` (functions come back bound).

        Raises:
            LST_ERR_DEC_UNDECLARED: no request decorator ``name`` is visible here.
        """
        if name.startswith("__") or name in CORE_ATTRIBUTES or name not in vars(type(self)):
            raise errors.LST_ERR_DEC_UNDECLARED(name, "the request")
        return getattr(self, name)


# Attributes the request path computes from ``raw`` (added with routing). They are
# reserved now so no decorator can claim their names.
_DERIVED = frozenset(
    {
        "headers",
        "query",
        "method",
        "url",
        "original_url",
        "ip",
        "ips",
        "host",
        "hostname",
        "port",
        "protocol",
        "server",
    }
)

#: Names no request decorator may use: everything the base class defines or reserves.
CORE_ATTRIBUTES = frozenset(dir(Request)) | _DERIVED
