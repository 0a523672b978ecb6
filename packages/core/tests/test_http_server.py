"""``listen()``, ``addresses()``, ``on_listen`` and a graceful ``close()``, over real sockets."""

from __future__ import annotations

import asyncio
import io
import socket

import httpx
import orjson
import pytest
from lesto import Lesto, errors


class Connection:
    """One raw keep-alive HTTP/1.1 connection, to see exactly what goes over the wire."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        await self.writer.drain()
        head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), 10)
        status_line, *lines = head.decode("latin-1").strip().split("\r\n")
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        body = await self.reader.readexactly(int(headers["content-length"]))
        return int(status_line.split()[1]), headers, body

    async def at_eof(self) -> bool:
        return await asyncio.wait_for(self.reader.read(1), 10) == b""

    def close(self) -> None:
        self.writer.close()


def refuses_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except ConnectionRefusedError:
        return True
    return False


async def wait_until_refused(port: int) -> None:
    for _ in range(200):
        if refuses_connections(port):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the server kept accepting connections")


def app_with_slow_route() -> tuple[Lesto, asyncio.Event, asyncio.Event]:
    """An app whose ``/slow`` waits for ``release``; ``entered`` is set once it is in flight."""
    app = Lesto()
    entered, release = asyncio.Event(), asyncio.Event()

    @app.get("/")
    def index(request, reply):
        return {"hello": "world"}

    @app.get("/slow")
    async def slow(request, reply):
        entered.set()
        await release.wait()
        return {"slow": True}

    return app, entered, release


async def test_listen_on_port_zero_returns_the_url_and_serves() -> None:
    app = Lesto()
    app.get("/", lambda request, reply: {"hello": "world"})
    url = await app.listen(port=0)
    try:
        (address,) = app.addresses()
        assert address.port != 0
        assert (address.address, address.family) == ("127.0.0.1", "IPv4")
        assert url == address.url == f"http://127.0.0.1:{address.port}"
        async with httpx.AsyncClient() as client:
            response = await client.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json; charset=utf-8"
        assert response.json() == {"hello": "world"}
    finally:
        await app.close()


async def test_addresses_is_empty_before_listen_and_after_close() -> None:
    app = Lesto()
    assert app.addresses() == []
    await app.listen()
    assert len(app.addresses()) == 1
    await app.close()
    assert app.addresses() == []


async def test_localhost_binds_every_loopback_family_on_one_port() -> None:
    app = Lesto()
    app.get("/", lambda request, reply: "ok")
    await app.listen(host="localhost")
    try:
        addresses = app.addresses()
        assert {address.family for address in addresses} <= {"IPv4", "IPv6"}
        assert len({address.port for address in addresses}) == 1
        async with httpx.AsyncClient() as client:
            for address in addresses:
                assert (await client.get(address.url)).text == "ok"
    finally:
        await app.close()


async def test_listen_readies_the_app_then_runs_on_listen_hooks_while_serving() -> None:
    app = Lesto()
    events: list[object] = []
    app.get("/", lambda request, reply: "up")
    app.add_hook("on_ready", lambda instance: events.append("ready"))

    async def on_listen(instance: Lesto) -> None:
        async with httpx.AsyncClient() as client:
            response = await client.get(instance.addresses()[0].url)
        events.append(("listen", instance is app, response.text))

    app.add_hook("on_listen", on_listen)

    def child(instance: Lesto, opts: object) -> None:
        instance.add_hook("on_listen", lambda child_instance: events.append("child listen"))

    app.register(child)
    await app.listen()
    try:
        assert events == ["ready", ("listen", True, "up"), "child listen"]
    finally:
        await app.close()


async def test_a_failing_on_listen_hook_is_logged_and_the_server_keeps_serving(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = Lesto()
    app.get("/", lambda request, reply: "still up")

    def broken(instance: Lesto) -> None:
        raise RuntimeError("on_listen failed")

    app.add_hook("on_listen", broken)
    with caplog.at_level("ERROR", logger="lesto"):
        url = await app.listen()
    try:
        async with httpx.AsyncClient() as client:
            assert (await client.get(url)).text == "still up"
    finally:
        await app.close()
    (record,) = [r for r in caplog.records if r.name == "lesto"]
    assert "on_listen" in record.getMessage()
    assert record.exc_info is not None
    assert str(record.exc_info[1]) == "on_listen failed"


async def test_listen_logs_each_address() -> None:
    stream = io.StringIO()
    app = Lesto(logger={"stream": stream})
    url = await app.listen()
    await app.close()
    lines = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    assert {"level": 30, "msg": f"Server listening at {url}"}.items() <= lines[0].items()


async def test_listening_twice_fails_with_reopened_server() -> None:
    app = Lesto()
    await app.listen()
    try:
        with pytest.raises(errors.LST_ERR_REOPENED_SERVER) as caught:
            await app.listen()
        assert caught.value.code == "LST_ERR_REOPENED_SERVER"
        assert len(app.addresses()) == 1
    finally:
        await app.close()


async def test_listen_after_close_fails_with_reopened_close_server() -> None:
    app = Lesto()
    await app.listen()
    await app.close()
    with pytest.raises(errors.LST_ERR_REOPENED_CLOSE_SERVER):
        await app.listen()


async def test_a_port_in_use_fails_listen_and_a_later_listen_works() -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    app = Lesto()
    app.get("/", lambda request, reply: "second try")
    try:
        with pytest.raises(OSError):
            await app.listen(port=taken.getsockname()[1])
        assert app.addresses() == []
        url = await app.listen()
        async with httpx.AsyncClient() as client:
            assert (await client.get(url)).text == "second try"
    finally:
        taken.close()
        await app.close()


async def test_close_stops_accepting_and_lets_in_flight_requests_finish() -> None:
    app, entered, release = app_with_slow_route()
    url = await app.listen()
    port = app.addresses()[0].port
    async with httpx.AsyncClient() as client:
        in_flight = asyncio.create_task(client.get(f"{url}/slow"))
        await entered.wait()
        closing = asyncio.create_task(app.close())
        await wait_until_refused(port)
        assert not in_flight.done()
        assert not closing.done()
        release.set()
        response = await in_flight
        await closing
    assert response.status_code == 200
    assert response.json() == {"slow": True}


async def test_requests_on_keep_alive_connections_while_closing_get_503_and_connection_close() -> (
    None
):
    app, entered, release = app_with_slow_route()
    closing_started = asyncio.Event()
    app.add_hook("pre_close", lambda instance: closing_started.set())
    await app.listen()
    port = app.addresses()[0].port
    idle = await Connection.open(port)
    busy = await Connection.open(port)
    try:
        assert (await idle.get("/"))[0] == 200  # now an idle keep-alive connection
        in_flight = asyncio.create_task(busy.get("/slow"))
        await entered.wait()
        closing = asyncio.create_task(app.close())
        await closing_started.wait()

        status, headers, body = await idle.get("/")
        assert status == 503
        assert headers["connection"] == "close"
        assert headers["content-type"] == "application/json; charset=utf-8"
        assert orjson.loads(body) == {
            "statusCode": 503,
            "code": "LST_ERR_SERVICE_UNAVAILABLE",
            "error": "Service Unavailable",
            "message": "Service Unavailable: the server is closing",
        }
        assert await idle.at_eof()  # the server closed that connection

        release.set()
        assert (await in_flight)[0] == 200
        await closing
    finally:
        idle.close()
        busy.close()


async def test_without_return_503_on_closing_requests_are_served_while_closing() -> None:
    app = Lesto(return_503_on_closing=False)
    entered, release = asyncio.Event(), asyncio.Event()
    app.get("/", lambda request, reply: "served")

    @app.get("/slow")
    async def slow(request, reply):
        entered.set()
        await release.wait()
        return "slow"

    closing_started = asyncio.Event()
    app.add_hook("pre_close", lambda instance: closing_started.set())
    await app.listen()
    port = app.addresses()[0].port
    idle, busy = await Connection.open(port), await Connection.open(port)
    try:
        await idle.get("/")
        in_flight = asyncio.create_task(busy.get("/slow"))
        await entered.wait()
        closing = asyncio.create_task(app.close())
        await closing_started.wait()
        status, _, body = await idle.get("/")
        assert (status, body) == (200, b"served")
        release.set()
        await in_flight
        await closing
    finally:
        idle.close()
        busy.close()


async def test_close_logs_the_requests_it_refuses() -> None:
    stream = io.StringIO()
    app = Lesto(logger={"stream": stream})
    app.get("/", lambda request, reply: "ok")
    await app.ready()
    app._routing.begin_closing()  # what close() does first
    response = await app.inject(url="/")
    assert response.status_code == 503
    assert response.json()["code"] == "LST_ERR_SERVICE_UNAVAILABLE"
    entry = orjson.loads(stream.getvalue().splitlines()[-1])
    assert entry["res"] == {"statusCode": 503}
    assert entry["level"] == 30


async def test_close_is_idempotent_and_runs_hooks_once() -> None:
    app = Lesto()
    events: list[str] = []
    app.add_hook("pre_close", lambda instance: events.append("pre_close"))
    app.add_hook("on_close", lambda instance: events.append("on_close"))
    await app.listen()
    await asyncio.gather(app.close(), app.close())
    await app.close()
    assert events == ["pre_close", "on_close"]


async def test_pre_close_runs_while_listening_and_on_close_after_the_server_stopped() -> None:
    app = Lesto()
    port = 0
    seen: list[tuple[str, bool, int]] = []

    def record(stage: str) -> None:
        seen.append((stage, refuses_connections(port), len(app.addresses())))

    app.add_hook("pre_close", lambda instance: record("pre_close"))
    app.add_hook("on_close", lambda instance: record("on_close"))
    await app.listen()
    port = app.addresses()[0].port
    await app.close()
    assert seen == [("pre_close", False, 1), ("on_close", True, 0)]


async def test_in_flight_requests_past_the_graceful_timeout_are_cancelled() -> None:
    app, entered, _ = app_with_slow_route()
    url = await app.listen(timeout_graceful_shutdown=0.2)
    async with httpx.AsyncClient() as client:
        in_flight = asyncio.create_task(client.get(f"{url}/slow"))
        await entered.wait()
        await asyncio.wait_for(app.close(), 30)
        response = await in_flight
    assert response.status_code == 500  # uvicorn's answer for a cancelled handler
    assert response.text == "Internal Server Error"
