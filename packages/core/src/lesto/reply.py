"""``Reply``: the object a handler uses to answer a request.

Like :class:`~lesto.request.Request`, the base class keeps its core state in
``__slots__`` and each encapsulation context derives a subclass whose class
attributes are the context's reply decorators and whose ``server`` is the
context's instance.
"""

from __future__ import annotations

from typing import Any, ClassVar

from . import errors
from .request import Request

__all__ = ["CORE_ATTRIBUTES", "Reply"]


class Reply:
    """The answer to one request.

    Attributes:
        request: the request this reply answers.
        log: the request's child logger.
        status_code: the status that will be sent.
        sent: whether the response has started.
        server: the encapsulated Lesto instance of the route (a class attribute).
    """

    __slots__ = ("log", "request", "sent", "status_code")

    server: ClassVar[Any]

    def __init__(self, request: Request, log: Any) -> None:
        self.request = request
        self.log = log
        self.status_code = 200
        self.sent = False

    def get_decorator(self, name: str) -> Any:
        """The value of the reply decorator ``name`` (functions come back bound).

        Raises:
            LST_ERR_DEC_UNDECLARED: no reply decorator ``name`` is visible here.
        """
        if name.startswith("__") or name in CORE_ATTRIBUTES or name not in vars(type(self)):
            raise errors.LST_ERR_DEC_UNDECLARED(name, "the reply")
        return getattr(self, name)


# The reply API that arrives with routing. Reserved now so no decorator can claim it.
_API = frozenset(
    {
        "code",
        "status",
        "header",
        "headers",
        "get_header",
        "get_headers",
        "remove_header",
        "has_header",
        "type",
        "redirect",
        "call_not_found",
        "hijack",
        "send",
        "elapsed_time",
        "serializer",
        "raw",
        "server",
    }
)

#: Names no reply decorator may use: everything the base class defines or reserves.
CORE_ATTRIBUTES = frozenset(dir(Reply)) | _API
