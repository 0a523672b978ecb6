"""Reading the request body from ASGI ``receive`` with a hard size limit.

:func:`read_body` never keeps more than ``limit`` bytes: a declared
``Content-Length`` above the limit fails before anything is read, and the
running total is checked on every chunk, so a lying or missing
``Content-Length`` (chunked uploads) cannot make it buffer more.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from . import errors

__all__ = ["Receive", "RequestAborted", "parse_content_length", "read_body"]

Receive = Callable[[], Awaitable[Mapping[str, Any]]]
"""The ASGI ``receive`` callable."""

# Python's int() refuses more than 4300 digits; such a length is over any limit anyway.
_MAX_LENGTH_DIGITS = 4000


class RequestAborted(Exception):  # noqa: N818 - named after the event, like asyncio.CancelledError
    """The client disconnected (``http.disconnect``) before the body was complete.

    Not an HTTP error: nobody is left to answer. The lifecycle runs the
    ``on_request_abort`` hooks and sends nothing.
    """


def parse_content_length(value: str | None) -> int | None:
    """The ``Content-Length`` header as an int, None when the header is absent.

    Only ASCII digits (with surrounding spaces or tabs) are accepted.

    Raises:
        LST_ERR_CTP_INVALID_CONTENT_LENGTH: the value is not a number (400).
        LST_ERR_CTP_BODY_TOO_LARGE: more digits than any limit could allow (413).
    """
    if value is None:
        return None
    digits = value.strip(" \t")
    if not (digits.isascii() and digits.isdigit()):
        raise errors.LST_ERR_CTP_INVALID_CONTENT_LENGTH()
    if len(digits) > _MAX_LENGTH_DIGITS:
        raise errors.LST_ERR_CTP_BODY_TOO_LARGE()
    return int(digits)


async def read_body(receive: Receive, *, limit: int, content_length: int | None) -> bytes:
    """Read the whole request body, at most ``limit`` bytes.

    ``content_length`` is the parsed ``Content-Length`` header, or None when
    the request has none (e.g. chunked transfer encoding).

    Raises:
        LST_ERR_CTP_BODY_TOO_LARGE: the declared or received size exceeds ``limit`` (413).
        LST_ERR_CTP_INVALID_CONTENT_LENGTH: the body is longer or shorter than
            ``content_length`` (400).
        RequestAborted: ``http.disconnect`` arrived before the body was complete.
    """
    if content_length is not None and content_length > limit:
        raise errors.LST_ERR_CTP_BODY_TOO_LARGE()
    message = await receive()
    if message["type"] == "http.request" and not message.get("more_body", False):
        body: bytes = message.get("body", b"")
        if len(body) > limit:
            raise errors.LST_ERR_CTP_BODY_TOO_LARGE()
        if content_length is not None and len(body) != content_length:
            raise errors.LST_ERR_CTP_INVALID_CONTENT_LENGTH()
        return body
    return await _read_chunks(receive, message, limit, content_length)


async def _read_chunks(
    receive: Receive, message: Mapping[str, Any], limit: int, content_length: int | None
) -> bytes:
    """The slow path: a body in several ``http.request`` messages."""
    chunks: list[bytes] = []
    received = 0
    while True:
        kind = message["type"]
        if kind == "http.disconnect":
            raise RequestAborted()
        if kind == "http.request":
            chunk: bytes = message.get("body", b"")
            received += len(chunk)
            _check_size(received, limit, content_length)
            if chunk:
                chunks.append(chunk)
            if not message.get("more_body", False):
                break
        message = await receive()
    if content_length is not None and received != content_length:
        raise errors.LST_ERR_CTP_INVALID_CONTENT_LENGTH()
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _check_size(received: int, limit: int, content_length: int | None) -> None:
    """Fail as soon as the bytes so far exceed the limit or the declared length."""
    if received > limit:
        raise errors.LST_ERR_CTP_BODY_TOO_LARGE()
    if content_length is not None and received > content_length:
        raise errors.LST_ERR_CTP_INVALID_CONTENT_LENGTH()
