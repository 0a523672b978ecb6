"""Shared fixtures: CLIENT LIST helpers (lesto-testing gives `redis_dedicated`)."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import redis.asyncio

Connections = Callable[[str], Awaitable[list[dict[str, Any]]]]


@pytest.fixture
def client_name() -> str:
    """A CLIENT SETNAME value no other test uses."""
    return f"lesto-redis-test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def admin(redis_url: str) -> AsyncIterator[redis.asyncio.Redis]:
    """A plain client of the test's server, for looking at it from outside the app."""
    client = redis.asyncio.Redis.from_url(redis_url, decode_responses=True)
    yield client
    await client.aclose()


@pytest.fixture
def connections(admin: redis.asyncio.Redis) -> Connections:
    """``await connections(name)``: the server's CLIENT LIST entries with that name."""

    async def named(name: str) -> list[dict[str, Any]]:
        return [entry for entry in await admin.client_list() if entry.get("name") == name]

    return named


@pytest.fixture
def wait_gone(connections: Connections) -> Callable[[str], Awaitable[list[dict[str, Any]]]]:
    """``await wait_gone(name)``: poll CLIENT LIST (up to 5 s) until no connection has that name.

    Returns what is left (empty when all closed): the server learns of a close
    asynchronously, so a single look right after closing could still see it.
    """

    async def gone(name: str) -> list[dict[str, Any]]:
        for _ in range(100):
            left = await connections(name)
            if not left:
                return left
            await asyncio.sleep(0.05)
        return left

    return gone


@pytest.fixture
def free_port() -> int:
    """A TCP port of 127.0.0.1 on which nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
