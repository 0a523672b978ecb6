"""Streamed reply bodies: sync and async iterators of ``bytes`` or ``str``."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

__all__ = ["is_stream", "stream_chunks"]

_NOT_STREAMS = (str, bytes, bytearray, memoryview, dict, list, tuple)


def is_stream(payload: Any) -> bool:
    """Whether ``payload`` is sent as a stream: an async iterable or a sync iterator."""
    if isinstance(payload, _NOT_STREAMS):
        return False
    return hasattr(payload, "__aiter__") or (
        hasattr(payload, "__next__") and hasattr(payload, "__iter__")
    )


async def stream_chunks(payload: Any) -> AsyncGenerator[bytes, None]:
    """The chunks of a stream as bytes (``str`` chunks are UTF-8 encoded, empty ones skipped)."""
    if hasattr(payload, "__aiter__"):
        async for chunk in payload:
            data = chunk.encode() if isinstance(chunk, str) else bytes(chunk)
            if data:
                yield data
        return
    for chunk in payload:
        data = chunk.encode() if isinstance(chunk, str) else bytes(chunk)
        if data:
            yield data
