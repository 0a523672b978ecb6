"""Telling whether an idle connection is still usable, without a round trip.

A connection resting in the pool must have nothing to read. When the server
closes it (idle timeout, restart, crash) the socket turns readable: end of
file, or an error packet that MySQL 8 sends first. asyncio notices only when
its loop next polls, which may be after the connection was handed out again;
polling the socket here, with no wait, closes that window for the cost of one
system call. aiomysql keeps its stream writer in ``Connection._writer``; there
is no public way to the socket.
"""

from __future__ import annotations

import select
from typing import Any

__all__ = ["is_stale"]

_EVENTS = select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP


def is_stale(conn: Any) -> bool:
    """Whether ``conn`` (an idle aiomysql connection) is closed or being closed by the server."""
    writer = getattr(conn, "_writer", None)
    if writer is None:
        return True
    transport = writer.transport
    if transport.is_closing():
        return True
    sock = transport.get_extra_info("socket")
    if sock is None:
        return False
    fd = sock.fileno()
    return fd < 0 or _readable(fd)


def _readable(fd: int) -> bool:
    poller = select.poll()
    poller.register(fd, _EVENTS)
    return bool(poller.poll(0))
