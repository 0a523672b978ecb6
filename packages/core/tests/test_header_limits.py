"""Header limits (``max_header_size``, ``max_header_count``): 431 from the app and the server."""

from __future__ import annotations

import asyncio

import pytest
from lesto import Lesto, errors


def build(**options: object) -> Lesto:
    app = Lesto(**options)
    app.get("/", lambda request, reply: "ok")
    return app


async def test_defaults_are_16_kib_and_100_fields() -> None:
    app = build()
    assert app.initial_config["max_header_size"] == 16 * 1024
    assert app.initial_config["max_header_count"] == 100
    with pytest.raises(errors.LST_ERR_INIT_OPTS_INVALID):
        Lesto(max_header_size=0)


async def test_the_app_answers_431_whatever_the_server() -> None:
    app = build()
    ok = await app.inject(url="/", headers={"x-big": "a" * 16_000})
    assert ok.status_code == 200
    big = await app.inject(url="/", headers={"x-big": "a" * 17_000})
    assert big.status_code == 431
    assert big.json()["code"] == "LST_ERR_HEADERS_TOO_LARGE"
    assert big.json()["error"] == "Request Header Fields Too Large"
    assert big.headers["connection"] == "close"
    many = await app.inject(url="/", headers={f"x-{n}": "1" for n in range(101)})
    assert (many.status_code, many.json()["code"]) == (431, "LST_ERR_HEADERS_TOO_LARGE")


async def test_limits_are_options() -> None:
    app = build(max_header_size=64 * 1024, max_header_count=10)
    assert (await app.inject(url="/", headers={"x-big": "a" * 40_000})).status_code == 200
    many = await app.inject(url="/", headers={f"x-{n}": "1" for n in range(11)})
    assert many.status_code == 431


async def _raw(port: int, data: bytes, *, then: bytes = b"") -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        await writer.drain()
        if then:
            writer.write(then)
        return await asyncio.wait_for(reader.read(), 10)  # until the server closes
    finally:
        writer.close()


@pytest.mark.parametrize(
    "headers",
    [
        b"x-big: " + b"a" * 200_000 + b"\r\n",
        b"".join(b"x-%d: 1\r\n" % n for n in range(5000)),
    ],
    ids=["200 kB", "5000 fields"],
)
async def test_the_embedded_server_answers_431_and_closes(headers: bytes) -> None:
    app = build()
    await app.listen()
    try:
        port = app.addresses()[0].port
        answer = await _raw(port, b"GET / HTTP/1.1\r\nhost: t\r\n" + headers + b"\r\n")
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 431 ")
        assert b"connection: close" in head.lower()
        assert b"LST_ERR_HEADERS_TOO_LARGE" in body
        assert answer.count(b"HTTP/1.1") == 1  # nothing else is sent
    finally:
        await app.close()


async def test_a_header_that_never_ends_is_cut_at_the_limit() -> None:
    app = build()
    await app.listen()
    try:
        port = app.addresses()[0].port
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET / HTTP/1.1\r\nhost: t\r\nx-endless: ")
        sent = 0
        for _ in range(100):  # at most 800 kB, never a complete header
            try:
                writer.write(b"a" * 8192)
                await writer.drain()
            except ConnectionError:
                break
            sent += 8192
            await asyncio.sleep(0.005)
        assert sent < 400_000  # the server closed the connection long before
        try:
            answer = await asyncio.wait_for(reader.read(), 10)
        except ConnectionError:  # closed with unread bytes: the reset may beat the answer
            answer = b""
        writer.close()
        assert answer == b"" or answer.startswith(b"HTTP/1.1 431 ")
    finally:
        await app.close()


async def test_the_embedded_server_uses_the_app_limits_and_keeps_alive_below_them() -> None:
    app = build(max_header_size=64 * 1024)
    await app.listen()
    try:
        port = app.addresses()[0].port
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        request = b"GET / HTTP/1.1\r\nhost: t\r\nx-big: " + b"a" * 40_000 + b"\r\n\r\n"
        for _ in range(2):  # the same connection serves both
            writer.write(request)
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            assert head.startswith(b"HTTP/1.1 200 ")
            await reader.readexactly(2)
        writer.close()
    finally:
        await app.close()


async def test_inject_runs_under_asyncio_run_as_a_coroutine() -> None:
    app = build()
    response = await asyncio.create_task(app.inject(url="/"))  # a task needs a coroutine
    assert response.body == "ok"


def test_asyncio_run_accepts_inject() -> None:
    app = build()
    assert asyncio.run(app.inject(url="/")).body == "ok"
    chained = Lesto()
    chained.get("/x", lambda request, reply: {"q": request.query.get("q")})
    assert asyncio.run(chained.inject().get("/x?q=1")).json() == {"q": "1"}
