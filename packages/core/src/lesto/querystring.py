"""Query-string parsing: ``a=1&b=x+y&a=2`` -> ``{"a": ["1", "2"], "b": "x y"}``.

Semantics follow Node's ``querystring.parse`` as used by Fastify:

- pairs are separated by ``&`` only; empty pairs (``a=1&&b=2``) are skipped;
- ``+`` is a space and ``%XX`` escapes are UTF-8 decoded; a malformed escape
  (``%zz``, a lone ``%``) stays as written, and a component whose escapes do
  not decode to valid UTF-8 is kept as written (with ``+`` still a space);
- a key without ``=`` gets the blank value ``""``;
- a repeated key becomes a list of its values, in order;
- more than ``max_params`` pairs fails with ``LST_ERR_QUERYSTRING_TOO_LARGE``
  (414), and a decoded value longer than ``max_value_length`` with
  ``LST_ERR_QUERYSTRING_VALUE_TOO_LARGE`` (414). Nothing else can raise.

Byte strings (the ASGI ``scope["query_string"]``) are decoded as UTF-8,
falling back to latin-1 for bytes that are not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote, unquote_to_bytes

from . import errors

__all__ = ["DEFAULT_MAX_PARAMS", "QuerystringParser", "parse_query"]

DEFAULT_MAX_PARAMS = 1000
"""The default cap on the number of pairs (Node's ``querystring`` ``maxKeys``)."""

QuerystringParser = Callable[[str], Mapping[str, Any]]
"""A user replacement for :func:`parse_query`: takes the query string, returns the mapping."""


def _decode_component(text: str) -> str:
    """``+`` to space, then ``%XX`` escapes; invalid UTF-8 leaves the escapes as written."""
    if "+" in text:
        text = text.replace("+", " ")
    if "%" not in text:
        return text
    try:
        if text.isascii():
            return unquote_to_bytes(text).decode("utf-8")
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        return text


def _count_pairs(pairs: list[str]) -> int:
    return len(pairs) - pairs.count("")


def parse_query(
    qs: bytes | str,
    *,
    max_params: int = DEFAULT_MAX_PARAMS,
    max_value_length: int | None = None,
) -> dict[str, str | list[str]]:
    """Parse a query string (without the ``?``) into a dict of str or list-of-str values.

    Raises:
        LST_ERR_QUERYSTRING_TOO_LARGE: more than ``max_params`` pairs.
        LST_ERR_QUERYSTRING_VALUE_TOO_LARGE: a decoded value is longer than
            ``max_value_length`` characters.
    """
    if isinstance(qs, bytes):
        raw = qs
        try:
            qs = raw.decode("utf-8")
        except UnicodeDecodeError:
            qs = raw.decode("latin-1")
    result: dict[str, str | list[str]] = {}
    if not qs:
        return result
    pairs = qs.split("&")
    if len(pairs) > max_params and _count_pairs(pairs) > max_params:
        raise errors.LST_ERR_QUERYSTRING_TOO_LARGE(max_params)
    encoded = "%" in qs or "+" in qs  # else no component needs decoding
    for pair in pairs:
        if not pair:
            continue
        key, _, value = pair.partition("=")
        if encoded:
            if "%" in key or "+" in key:
                key = _decode_component(key)
            if "%" in value or "+" in value:
                value = _decode_component(value)
        if max_value_length is not None and len(value) > max_value_length:
            raise errors.LST_ERR_QUERYSTRING_VALUE_TOO_LARGE(key, max_value_length)
        seen = result.get(key)
        if seen is None:
            result[key] = value
        elif isinstance(seen, str):
            result[key] = [seen, value]
        else:
            seen.append(value)
    return result
