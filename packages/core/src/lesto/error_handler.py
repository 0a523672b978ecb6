"""The default error handler and the rules that turn an exception into a status.

The default handler answers ``{"statusCode", "code", "error", "message"}``.
A status below 400 becomes 500. An unexpected exception (one that carries no
HTTP status) answers 500 "Internal Server Error" without its text, and its
traceback goes to the log; errors made with lesto-errors that carry a status,
and any exception with a ``status_code`` of 400-599, show their message.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from .reply import Reply
    from .request import Request

__all__ = [
    "ErrorHandler",
    "default_error_handler",
    "fallback_error_body",
    "log_failure",
    "status_for",
]

ErrorHandler = Callable[[Exception, "Request", "Reply"], Any | Awaitable[Any]]

stdlib_logger = logging.getLogger("lesto")

_INTERNAL = "Internal Server Error"


def declared_status(error: BaseException) -> int | None:
    """The HTTP status an exception declares (``status_code``, else ``status``), if valid."""
    for name in ("status_code", "status"):
        value = getattr(error, name, None)
        if type(value) is int and 400 <= value <= 599:
            return value
    return None


def status_for(error: BaseException, current: int) -> int:
    """The status to answer ``error`` with: its own, else the reply's if >= 400, else 500."""
    declared = declared_status(error)
    if declared is not None:
        return declared
    return current if 400 <= current <= 599 else 500


def phrase(status: int) -> str:
    """The reason phrase of a status (``"Bad Request"``)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def default_error_handler(error: Exception, request: Request, reply: Reply) -> dict[str, Any]:
    """Log the error and answer with Lesto's JSON error body."""
    status = reply.status_code
    exposed = declared_status(error) is not None
    if status >= 500:
        _log_server_error(error, request, exposed)
    else:
        request.log.info({"err": error}, str(error))
    body: dict[str, Any] = {"statusCode": status}
    code = getattr(error, "code", None)
    if isinstance(code, str):
        body["code"] = code
    body["error"] = phrase(status)
    body["message"] = str(error) if exposed else _INTERNAL
    return body


def _log_server_error(error: Exception, request: Request, exposed: bool) -> None:
    if request.log.is_level_enabled("error"):
        request.log.error({"err": error}, str(error) or type(error).__name__)
    elif not exposed:
        stdlib_logger.error("unhandled error in %s %s", request.method, request.url, exc_info=error)


def log_failure(log: Any, error: BaseException, msg: str) -> None:
    """Log an error no response can carry (a hook failing after the response, ...).

    It goes to the request logger when that logger writes errors, else to the
    ``lesto`` stdlib logger with its traceback, so it is never lost.
    """
    if log.is_level_enabled("error"):
        log.error({"err": error}, msg)
    else:
        stdlib_logger.error(msg, exc_info=error)


def fallback_error_body() -> bytes:
    """The body sent when even the error handlers failed."""
    return orjson.dumps({"statusCode": 500, "error": _INTERNAL, "message": _INTERNAL})
