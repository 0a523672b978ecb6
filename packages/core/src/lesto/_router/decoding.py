"""Percent-decoding of request paths, in two steps.

The tree matches a *path form* where every escape is decoded except ``%2F``
(a slash that is not a separator) and ``%25`` (a percent sign, kept so that
nothing is decoded twice); route literals store ``%`` as ``%25`` to match.
Parameter values cut from that form are then finished by :func:`decode_param`.
A malformed escape or invalid UTF-8 raises 400 ``LST_ERR_BAD_URL``.
"""

from __future__ import annotations

import re

from lesto import errors

__all__ = ["collapse_slashes", "decode_param", "decode_path", "lower_path"]

_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ESCAPE_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_SLASHES = re.compile(r"//+")
_KEPT_BYTES = frozenset(b"/%")


def decode_path(path: str) -> str:
    """The path form of a raw path containing ``%``.

    Raises:
        LST_ERR_BAD_URL: a ``%`` not followed by two hex digits, or bytes that are
            not UTF-8.
    """
    if _BAD_ESCAPE.search(path) is not None:
        raise errors.LST_ERR_BAD_URL(path)
    return _ESCAPE_RUN.sub(_decode_run, path)


def _decode_run(match: re.Match[str]) -> str:
    """Decode one run of consecutive escapes, keeping ``%2F`` and ``%25`` as written."""
    run = match.group()
    data = bytes.fromhex(run.replace("%", ""))
    if _KEPT_BYTES.isdisjoint(data):
        return _utf8(data, match.string)
    pieces: list[str] = []
    start = 0
    for index, byte in enumerate(data):
        if byte in _KEPT_BYTES:
            pieces.append(_utf8(data[start:index], match.string))
            pieces.append(run[3 * index : 3 * index + 3])
            start = index + 1
    pieces.append(_utf8(data[start:], match.string))
    return "".join(pieces)


def _utf8(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise errors.LST_ERR_BAD_URL(path) from error


def decode_param(value: str) -> str:
    """Finish decoding a parameter cut from the path form (only ``%2F`` and ``%25`` remain)."""
    if "%" not in value:
        return value
    return value.replace("%2F", "/").replace("%2f", "/").replace("%25", "%")


def collapse_slashes(path: str) -> str:
    """Replace every run of slashes with one slash."""
    return _SLASHES.sub("/", path)


def lower_path(path: str) -> str:
    """Lower-case a path without changing its length (so indexes still fit the original)."""
    lowered = path.lower()
    if len(lowered) == len(path):
        return lowered
    return "".join(char if len(char.lower()) != 1 else char.lower() for char in path)
