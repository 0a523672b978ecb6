"""The JSON-only error and not-found handlers of the ``/api`` context.

Registered inside the API plugin, they apply to its routes and to unknown
paths under ``/api`` only: whatever else the application serves, an API
client always gets ``{"statusCode", "code"?, "error", "message"}`` as JSON.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from lesto import Reply, Request

__all__ = ["json_error", "json_not_found"]

_INTERNAL = "Internal Server Error"


def _status_of(error: Exception) -> int:
    status = getattr(error, "status_code", None)
    return status if isinstance(status, int) and 400 <= status <= 599 else 500


def json_error(error: Exception, request: Request, reply: Reply) -> dict[str, Any]:
    """Answer ``error`` as JSON; a server error hides its message and is logged."""
    status = _status_of(error)
    if status >= 500:
        request.log.error({"err": error}, "request failed")
    body: dict[str, Any] = {"statusCode": status}
    code = getattr(error, "code", None)
    if isinstance(code, str):
        body["code"] = code
    body["error"] = HTTPStatus(status).phrase
    body["message"] = _INTERNAL if status >= 500 else str(error)
    reply.code(status).header("content-type", "application/json; charset=utf-8")
    return body


def json_not_found(request: Request, reply: Reply) -> dict[str, Any]:
    """Answer an unknown ``/api`` path with a JSON 404."""
    reply.code(404).header("content-type", "application/json; charset=utf-8")
    return {
        "statusCode": 404,
        "code": "VISITORS_NOT_FOUND",
        "error": "Not Found",
        "message": f"no route {request.method} {request.url}",
    }
