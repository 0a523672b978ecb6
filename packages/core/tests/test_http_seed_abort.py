"""Fastify's "Detecting When Clients Abort" guide, ported.

A client that goes away before its response is complete triggers the
``on_request_abort`` hooks (app-wide or per route) and sets
``request.is_aborted``, which the handler can check. Over a real socket the
client closes its connection; without a socket the ASGI ``http.disconnect``
message is fed to the app directly. Events, not sleeps, order every step.
"""

from __future__ import annotations

import asyncio
import io
from typing import Any

import orjson
from lesto import Lesto


async def open_socket(app: Lesto) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", app.addresses()[0].port)


def log_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in stream.getvalue().splitlines()]


async def test_a_client_closing_its_socket_mid_request_is_detected() -> None:
    stream = io.StringIO()
    app = Lesto(logger={"stream": stream})
    entered, aborted, finished = asyncio.Event(), asyncio.Event(), asyncio.Event()
    seen: dict[str, Any] = {}

    @app.add_hook("on_request_abort")
    def closed(request):
        request.log.info("request closed")
        seen["hook"] = request.is_aborted
        aborted.set()

    @app.get("/")
    async def slow(request, reply):
        entered.set()
        await aborted.wait()  # the guide's sleep(3000), ended by the abort instead
        seen["handler"] = request.is_aborted
        finished.set()
        return {"ok": True}

    await app.listen()
    try:
        _, writer = await open_socket(app)
        writer.write(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        await writer.drain()
        await entered.wait()
        writer.close()
        await asyncio.wait_for(finished.wait(), 10)
    finally:
        await app.close()
    assert seen == {"hook": True, "handler": True}
    (closed_line,) = [entry for entry in log_lines(stream) if entry["msg"] == "request closed"]
    assert closed_line["reqId"] == "req-1"


async def test_a_route_level_abort_hook_and_an_unwatched_route() -> None:
    app = Lesto()
    aborted: list[str] = []
    entered = asyncio.Event()
    done = asyncio.Event()

    async def slow(request, reply):
        entered.set()
        await done.wait()
        return "late"

    def on_abort(request):
        aborted.append(request.url)
        done.set()

    app.get("/watched", slow, on_request_abort=on_abort)
    app.get("/plain", lambda request, reply: "quick")
    await app.listen()
    try:
        _, writer = await open_socket(app)
        writer.write(b"GET /watched HTTP/1.1\r\nHost: localhost\r\n\r\n")
        await writer.drain()
        await entered.wait()
        writer.close()
        await asyncio.wait_for(done.wait(), 10)
        reader, writer = await open_socket(app)
        writer.write(b"GET /plain HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        assert (await asyncio.wait_for(reader.read(), 10)).endswith(b"quick")
        writer.close()
    finally:
        await app.close()
    assert aborted == ["/watched"]


async def test_a_client_leaving_while_its_body_streams_in_is_an_abort() -> None:
    app = Lesto()
    aborted = asyncio.Event()
    handled: list[object] = []
    app.add_hook("on_request_abort", lambda request: aborted.set())
    app.post("/upload", lambda request, reply: handled.append(request.body) or "stored")
    await app.listen()
    try:
        _, writer = await open_socket(app)
        writer.write(
            b"POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
            b"Content-Length: 100\r\n\r\nonly part of it"
        )
        await writer.drain()
        writer.close()
        await asyncio.wait_for(aborted.wait(), 10)
    finally:
        await app.close()
    assert handled == []


async def test_a_completed_request_is_no_abort() -> None:
    app = Lesto()
    aborted: list[str] = []
    responded = asyncio.Event()
    app.add_hook("on_request_abort", lambda request: aborted.append(request.url))

    async def after_response(request, reply):
        await asyncio.sleep(0)  # let the server notice the response is complete
        await asyncio.sleep(0)
        responded.set()

    app.add_hook("on_response", after_response)
    app.get("/", lambda request, reply: "done")
    await app.listen()
    try:
        reader, writer = await open_socket(app)
        writer.write(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        assert (await asyncio.wait_for(reader.read(), 10)).endswith(b"done")
        writer.close()
        await asyncio.wait_for(responded.wait(), 10)
    finally:
        await app.close()
    assert aborted == []


# --- without a socket: the ASGI http.disconnect message --------------------------------------


def http_scope(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"localhost"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("localhost", 80),
    }


async def test_an_asgi_disconnect_triggers_the_abort_hooks() -> None:
    app = Lesto()
    entered, aborted = asyncio.Event(), asyncio.Event()
    seen: list[bool] = []
    app.add_hook("on_request_abort", lambda request: aborted.set())

    @app.get("/")
    async def slow(request, reply):
        entered.set()
        await aborted.wait()
        seen.append(request.is_aborted)
        return "too late"

    async def receive() -> dict[str, Any]:
        await entered.wait()
        return {"type": "http.disconnect"}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app.ready()
    await asyncio.wait_for(app(http_scope("GET", "/", []), receive, send), 10)
    assert seen == [True]


async def test_an_asgi_disconnect_during_the_body_skips_the_handler() -> None:
    app = Lesto()
    aborted: list[bool] = []
    handled: list[object] = []
    app.add_hook("on_request_abort", lambda request: aborted.append(request.is_aborted))
    app.post("/", lambda request, reply: handled.append(request.body))
    messages = [
        {"type": "http.request", "body": b"part", "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = [(b"content-type", b"text/plain"), (b"transfer-encoding", b"chunked")]
    await asyncio.wait_for(app(http_scope("POST", "/", headers), receive, send), 10)
    assert (aborted, handled, sent) == ([True], [], [])


async def test_a_body_in_many_chunks_is_read_whole_on_a_watched_route() -> None:
    app = Lesto()
    app.add_hook("on_request_abort", lambda request: None)
    app.post("/", lambda request, reply: {"length": len(request.body)})
    chunks = [b"0123456789"] * 8
    delivered = asyncio.Event()

    async def receive() -> dict[str, Any]:
        await asyncio.sleep(0)
        if chunks:
            chunk = chunks.pop()
            return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}
        await delivered.wait()
        return {"type": "http.disconnect"}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "http.response.body":
            delivered.set()

    headers = [(b"content-type", b"text/plain"), (b"transfer-encoding", b"chunked")]
    await asyncio.wait_for(app(http_scope("POST", "/", headers), receive, send), 10)
    assert sent[0]["status"] == 200
    assert orjson.loads(sent[1]["body"]) == {"length": 80}
