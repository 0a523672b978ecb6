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


ErrorFormatter = Callable[[Sequence[ValidationDetail], str], str]
"""``(details, part_name) -> message``: the shape of ``set_schema_error_formatter``."""


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
) -> errors.LestoError:
    """``LST_ERR_VALIDATION`` (400) carrying ``.validation`` and ``.validation_context``."""
    error = errors.LST_ERR_VALIDATION(formatter(details, context))
    error.validation = list(details)  # type: ignore[attr-defined]
    error.validation_context = context  # type: ignore[attr-defined]
    return error


def type_message(types: Sequence[str]) -> str:
    """Ajv's message for a failed ``type`` keyword."""
    return "must be " + ",".join(types)
