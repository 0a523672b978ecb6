"""Validation error details and Fastify-style messages.

A failed validation yields a list of :class:`ValidationDetail` (Ajv's error
objects with snake_case keys). The default formatter joins them the way
Fastify does: ``<part><instance path> <message>``, separated by ``", "``,
e.g. ``"querystring/limit must be integer"``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypedDict

from lesto import errors

__all__ = [
    "ErrorFormatter",
    "ValidationDetail",
    "custom_validation_error",
    "escape_pointer",
    "format_validation_message",
    "validation_error",
]


class ValidationDetail(TypedDict):
    """One failed keyword, shaped like an Ajv error object."""

    instance_path: str
    schema_path: str
    keyword: str
    params: dict[str, Any]
    message: str


ErrorFormatter = Callable[[Sequence[ValidationDetail], str], str | Exception]
"""``(details, part_name) -> message or exception``: the shape of ``set_schema_error_formatter``.

Returning a string makes it the message of ``LST_ERR_VALIDATION``; returning an
exception (Fastify's formatters return an ``Error``) answers with that
exception, given status 400 and the code ``LST_ERR_VALIDATION`` unless it
declares its own.
"""


def detail(
    instance_path: str, schema_path: str, keyword: str, params: dict[str, Any], message: str
) -> ValidationDetail:
    """Build one :class:`ValidationDetail` (called by generated validators)."""
    return {
        "instance_path": instance_path,
        "schema_path": schema_path,
        "keyword": keyword,
        "params": params,
        "message": message,
    }


def escape_pointer(token: object) -> str:
    """One JSON Pointer token: ``~`` -> ``~0``, ``/`` -> ``~1``."""
    text = str(token)
    if "~" in text or "/" in text:
        text = text.replace("~", "~0").replace("/", "~1")
    return text


def format_validation_message(details: Sequence[ValidationDetail], context: str) -> str:
    """Fastify's default schema error text for ``details`` of the part ``context``."""
    return ", ".join(f"{context}{d['instance_path']} {d['message']}" for d in details)


def validation_error(
    details: Sequence[ValidationDetail],
    context: str,
    formatter: ErrorFormatter = format_validation_message,
) -> Exception:
    """The error of a failed validation, carrying ``.validation`` and ``.validation_context``.

    ``LST_ERR_VALIDATION`` (400) with the formatter's message, or the
    exception the formatter returned.
    """
    formatted = formatter(details, context)
    error: Exception
    if isinstance(formatted, Exception):
        error = formatted
        if not _declares_status(error):
            error.status_code = 400  # type: ignore[attr-defined]
        if not isinstance(getattr(error, "code", None), str):
            error.code = "LST_ERR_VALIDATION"  # type: ignore[attr-defined]
    else:
        error = errors.LST_ERR_VALIDATION(str(formatted))
    error.validation = list(details)  # type: ignore[attr-defined]
    error.validation_context = context  # type: ignore[attr-defined]
    return error


def custom_validation_error(
    failure: Exception,
    context: str,
    formatter: ErrorFormatter = format_validation_message,
) -> Exception:
    """A custom validator's exception turned into a validation failure of part ``context``.

    A validator from ``set_validator_compiler`` rejects data by raising; the
    exception becomes one detail (keyword: the exception's class name) and the
    failure has the same shape as the default validator's, with the original
    exception as ``__cause__``.
    """
    message = str(failure) or type(failure).__name__
    found = [detail("", "", type(failure).__name__, {}, message)]
    error = validation_error(found, context, formatter)
    error.__cause__ = failure
    return error


def _declares_status(error: Exception) -> bool:
    for name in ("status_code", "status"):
        value = getattr(error, name, None)
        if type(value) is int and 400 <= value <= 599:
            return True
    return False


def type_message(types: Sequence[str]) -> str:
    """Ajv's message for a failed ``type`` keyword."""
    return "must be " + ",".join(types)
