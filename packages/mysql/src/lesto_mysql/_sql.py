"""Escaping values and identifiers, and filling ``%s`` placeholders, without a server.

Values are escaped as PyMySQL escapes query arguments, which assumes the
server's default SQL mode (backslash escapes on). Prefer passing arguments to
``query``/``execute``, which the driver escapes for the connection it uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pymysql.converters import escape_item  # type: ignore[import-untyped]

__all__ = ["escape", "escape_id", "format_sql"]

_CHARSET = "utf8mb4"


def escape(value: Any) -> str:
    """``value`` as an SQL literal: ``'it''s'`` style strings, ``NULL``, numbers, dates.

    A list or tuple becomes a parenthesised list of literals (for ``IN``).
    """
    if isinstance(value, list | tuple):
        return "(" + ",".join(escape(item) for item in value) + ")"
    result: str = escape_item(value, _CHARSET)
    return result


def escape_id(identifier: str | Iterable[str]) -> str:
    """``identifier`` quoted with backticks; dots separate qualified parts.

    ``escape_id("shop.users")`` is ``\\`shop\\`.\\`users\\```; an iterable of
    identifiers gives them comma-separated (for column lists).
    """
    if isinstance(identifier, str):
        return ".".join(_quote(part) for part in identifier.split("."))
    return ", ".join(escape_id(item) for item in identifier)


def format_sql(sql: str, args: Any = None) -> str:
    """``sql`` with its ``%s`` (or ``%(name)s``) placeholders replaced by escaped ``args``.

    The result is what ``execute(sql, args)`` sends. With ``args`` given, a
    literal percent sign is written ``%%``.
    """
    if args is None:
        return sql
    if isinstance(args, Mapping):
        return sql % {key: escape(value) for key, value in args.items()}
    if isinstance(args, list | tuple):
        return sql % tuple(escape(value) for value in args)
    return sql % escape(args)


def _quote(part: str) -> str:
    return "`" + part.replace("`", "``") + "`"
