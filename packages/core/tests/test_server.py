"""The embedded uvicorn server behind ``app.listen()``, over real sockets."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import httpx
import pytest
from lesto.server import Address, EmbeddedServer, bind_sockets, describe

Scope = dict[str, Any]


async def slow_hello(scope: Scope, receive: Any, send: Any) -> None:
    assert scope["type"] == "http"
    await asyncio.sleep(0.3)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"hello"})


async def test_port_zero_reports_the_real_port_and_serves() -> None:
    server = EmbeddedServer(slow_hello, host="127.0.0.1", port=0)
    addresses = await server.start()
    try:
        assert len(addresses) == 1
        assert addresses[0].port != 0
        assert addresses[0].url == f"http://127.0.0.1:{addresses[0].port}"
        async with httpx.AsyncClient() as client:
            response = await client.get(addresses[0].url)
        assert (response.status_code, response.text) == (200, "hello")
    finally:
        await server.stop()


async def test_stop_lets_in_flight_requests_finish_then_refuses_connections() -> None:
    server = EmbeddedServer(slow_hello, port=0)
    (address,) = await server.start()
    async with httpx.AsyncClient() as client:
        in_flight = asyncio.create_task(client.get(address.url))
        await asyncio.sleep(0.1)
        await server.stop()
        response = await in_flight
        assert (response.status_code, response.text) == (200, "hello")
        with pytest.raises(httpx.ConnectError):
            await client.get(address.url)
    assert not server.started


async def test_stop_before_start_and_twice_is_harmless() -> None:
    server = EmbeddedServer(slow_hello, port=0)
    await server.stop()
    await server.start()
    await server.stop()
    await server.stop()


def test_bind_refuses_a_port_in_use() -> None:
    (taken,) = bind_sockets("127.0.0.1", 0, 8)
    try:
        with pytest.raises(OSError):
            bind_sockets("127.0.0.1", taken.getsockname()[1], 8)
    finally:
        taken.close()


def test_ipv6_addresses_are_bracketed_in_urls() -> None:
    assert Address("::1", "IPv6", 8080).url == "http://[::1]:8080"
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    try:
        assert describe(sock) == Address("127.0.0.1", "IPv4", sock.getsockname()[1])
    finally:
        sock.close()
