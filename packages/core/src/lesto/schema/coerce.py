"""Ajv's ``coerceTypes: "array"`` rules, used by generated validators.

A value that fails its ``type`` keyword is coerced to the first declared
type it can become, as Ajv does:

=========  ===============================================================
to         from
=========  ===============================================================
number     a numeric string (JavaScript ``Number()`` syntax, e.g. ``"1e3"``,
           ``" 12 "``), ``true``/``false`` (1/0), ``null`` (0)
integer    as number, when the result has no fractional part
boolean    ``"true"``/``"false"``, ``1``/``0``, ``null`` (false)
null       ``""``, ``0``, ``false``
string     a number, ``true``/``false`` (``"true"``), ``null`` (``""``)
array      any scalar, wrapped in a one-item list
=========  ===============================================================

An empty string is not a number (``""`` fails ``integer``) but is ``null``.
A one-item list is unwrapped when a scalar type is declared.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any, Final

__all__ = ["NO", "coerce"]


class _NoCoercion:
    """Marker: the value cannot be coerced to any declared type."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NO"


NO: Final = _NoCoercion()

# What JavaScript's Number() accepts after trimming whitespace.
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_RADIX = re.compile(r"0([xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)")
_JS_SPACE = " \t\n\r\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
_JS_SPACE += "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def _js_number(text: str) -> float | int | None:
    """JavaScript ``Number(text)`` for a non-empty string; ``None`` for NaN."""
    if text.isdigit() and text.isascii():  # the common case: an id in a path or query
        return int(text)
    body = text.strip(_JS_SPACE)
    if not body:
        return 0
    if _DECIMAL.fullmatch(body):
        value = float(body)
        if value.is_integer() and "." not in body and "e" not in body.lower():
            return int(body)
        return value
    radix = _RADIX.fullmatch(body)
    if radix:
        return int(body, 0)
    return None


def _finite(value: float | int) -> bool:
    return isinstance(value, int) or math.isfinite(value)


def _to_number(value: Any) -> Any:
    if value is None or value is False:
        return 0
    if value is True:
        return 1
    if isinstance(value, str) and value:
        number = _js_number(value)
        if number is not None and _finite(number):
            return number
    return NO


def _to_integer(value: Any) -> Any:
    number = _to_number(value)
    if number is NO:
        return NO
    if isinstance(number, float):
        if not number.is_integer():
            return NO
        return int(number)
    return number


def _to_boolean(value: Any) -> Any:
    if value == "false" or value is None or (_is_number(value) and value == 0):
        return False
    if value == "true" or (_is_number(value) and value == 1):
        return True
    return NO


def _to_null(value: Any) -> Any:
    if value == "" or value is False or (_is_number(value) and value == 0):
        return None
    return NO


def _to_string(value: Any) -> Any:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    if _is_number(value):
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    return NO


def _to_array(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int | float):
        return [value]
    return NO


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_COERCERS: dict[str, Callable[[Any], Any]] = {
    "number": _to_number,
    "integer": _to_integer,
    "boolean": _to_boolean,
    "null": _to_null,
    "string": _to_string,
    "array": _to_array,
}


def coerce(value: Any, types: Sequence[str], check: Callable[[Any], bool]) -> Any:
    """``value`` as the first of ``types`` it can become, or :data:`NO`.

    ``check`` is the compiled type test; it accepts a one-item list's item
    as is (Ajv's array mode unwraps before it coerces).
    """
    if isinstance(value, list) and len(value) == 1 and "array" not in types:
        value = value[0]
        if check(value):
            return value
    for name in types:
        coercer = _COERCERS.get(name)
        if coercer is not None:
            result = coercer(value)
            if result is not NO:
                return result
    return NO
