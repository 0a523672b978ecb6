"""The same Lesto app, unchanged, under uvicorn and under hypercorn, over real sockets.

Each server gets a socket bound here on a free loopback port and runs in the
test's event loop with the ASGI lifespan on, so startup readies the app and
shutdown closes it.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import uvicorn
from hypercorn.asyncio import serve as hypercorn_serve
from hypercorn.config import Config as HypercornConfig
from lesto import Lesto, plugin

Runner = Callable[[Lesto, socket.socket], contextlib.AbstractAsyncContextManager[None]]


def bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


@contextlib.asynccontextmanager
async def under_uvicorn(app: Lesto, sock: socket.socket) -> AsyncIterator[None]:
    config = uvicorn.Config(app, lifespan="on", log_config=None, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        assert not task.done(), "uvicorn stopped during startup"
        await asyncio.sleep(0.01)
    try:
        yield
    finally:
        server.should_exit = True
        await task


@contextlib.asynccontextmanager
async def under_hypercorn(app: Lesto, sock: socket.socket) -> AsyncIterator[None]:
    config = HypercornConfig()
    config.bind = [f"fd://{sock.detach()}"]  # hypercorn owns the socket from here
    config.accesslog = None
    config.errorlog = None
    stop = asyncio.Event()
    task = asyncio.create_task(hypercorn_serve(app, config, shutdown_trigger=stop.wait))
    try:
        yield
    finally:
        stop.set()
        await task


@pytest.fixture(params=["uvicorn", "hypercorn"])
def runner(request: pytest.FixtureRequest) -> Runner:
    return {"uvicorn": under_uvicorn, "hypercorn": under_hypercorn}[request.param]


def build_app(events: list[str]) -> Lesto:
    """One app with params, bodies, streams, hooks, errors and a plugin, as users write it."""
    app = Lesto()
    app.add_hook("on_ready", lambda instance: events.append("ready"))
    app.add_hook("on_close", lambda instance: events.append("closed"))

    @app.get("/users/:id")
    def user(request, reply):
        return {"id": request.params["id"], "page": request.query.get("page")}

    @app.post("/echo")
    async def echo(request, reply):
        reply.code(201).header("x-echo", "yes")
        return {"got": request.body}

    @app.put("/text")
    def text(request, reply):
        return request.body.upper()

    @app.get("/stream")
    def stream(request, reply):
        async def numbers():
            for number in range(3):
                yield f"line {number}\n".encode()

        reply.type("text/plain; charset=utf-8")
        return numbers()

    @app.get("/boom")
    def boom(request, reply):
        raise RuntimeError("secret internals")

    @plugin
    def greeting(instance: Lesto, opts: dict[str, Any]) -> None:
        instance.decorate_request("greeting", "hi")

    async def scoped(instance: Lesto, opts: dict[str, Any]) -> None:
        await instance.register(greeting)
        instance.get("/greet", lambda request, reply: {"greeting": request.greeting})

    app.register(scoped, prefix="/v1")
    return app


async def wait_until_serving(client: httpx.AsyncClient) -> None:
    for _ in range(500):
        try:
            await client.get("/users/0")
            return
        except httpx.TransportError:
            await asyncio.sleep(0.01)
    raise AssertionError("the server never answered")


async def test_the_app_serves_unchanged(runner: Runner) -> None:
    events: list[str] = []
    app = build_app(events)
    sock = bound_socket()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        async with runner(app, sock), httpx.AsyncClient(base_url=base) as client:
            await wait_until_serving(client)
            assert events == ["ready"]

            response = await client.get("/users/42", params={"page": "2"})
            assert response.status_code == 200
            assert response.headers["content-type"] == "application/json; charset=utf-8"
            assert response.json() == {"id": "42", "page": "2"}

            response = await client.post("/echo", json={"a": [1, 2]})
            assert (response.status_code, response.headers["x-echo"]) == (201, "yes")
            assert response.json() == {"got": {"a": [1, 2]}}

            response = await client.put(
                "/text", content="abc", headers={"content-type": "text/plain"}
            )
            assert (response.status_code, response.text) == (200, "ABC")
            assert response.headers["content-type"] == "text/plain; charset=utf-8"

            async with client.stream("GET", "/stream") as streamed:
                assert streamed.status_code == 200
                assert streamed.headers["content-type"] == "text/plain; charset=utf-8"
                chunks = [chunk async for chunk in streamed.aiter_bytes()]
            assert b"".join(chunks) == b"line 0\nline 1\nline 2\n"

            response = await client.head("/users/7")
            assert (response.status_code, response.content) == (200, b"")

            assert (await client.get("/v1/greet")).json() == {"greeting": "hi"}
    finally:
        sock.close()
    assert events == ["ready", "closed"]


async def test_errors_are_answered_and_the_server_keeps_serving(runner: Runner) -> None:
    app = build_app([])
    sock = bound_socket()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        async with runner(app, sock), httpx.AsyncClient(base_url=base) as client:
            await wait_until_serving(client)

            response = await client.get("/missing")
            assert response.status_code == 404
            assert response.json()["code"] == "LST_ERR_NOT_FOUND"

            response = await client.get("/boom")
            assert response.status_code == 500
            assert response.json()["message"] == "Internal Server Error"
            assert "secret internals" not in response.text

            response = await client.post(
                "/echo", content=b"{not json", headers={"content-type": "application/json"}
            )
            assert response.status_code == 400
            assert response.json()["code"] == "LST_ERR_CTP_INVALID_JSON_BODY"

            response = await client.post(
                "/echo", content=b"<x/>", headers={"content-type": "application/xml"}
            )
            assert response.status_code == 415
            assert response.json()["code"] == "LST_ERR_CTP_INVALID_MEDIA_TYPE"

            response = await client.get("/users/1")
            assert response.status_code == 200
    finally:
        sock.close()
