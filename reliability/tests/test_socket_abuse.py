"""Socket-level abuse against a listening Lesto (``app.listen()``: uvicorn + httptools).

Every case ends by checking that the server stays healthy: the process
runs, a new connection gets 200 on ``/health``, and nothing is left in
flight (no request stuck in the app, no stream left open).
"""

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from lesto_reliability.rawhttp import (
    Server,
    connect,
    get,
    read_response,
    reader,
    request,
    serve,
    wait_until,
)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serve("abuse_app") as running:
        running.baseline = stats(running)["tasks"]
        yield running


def stats(server: Server) -> Any:
    return get(server, "/stats").json()


def assert_healthy(server: Server) -> None:
    assert server.alive()
    response = get(server, "/health")
    assert (response.status, response.json()) == (200, {"ok": True})
    assert wait_until(lambda: stats(server)["tasks"] <= server.baseline), stats(server)
    assert wait_until(lambda: stats(server)["streams_open"] == 0), stats(server)


def reset(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0), as a client that vanishes does."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def test_slow_client_sends_headers_byte_by_byte(server: Server) -> None:
    raw = b"GET /health HTTP/1.1\r\nHost: test\r\nX-Slow: yes\r\n\r\n"
    with connect(server) as slow:
        for index, byte in enumerate(raw):
            slow.sendall(bytes([byte]))
            time.sleep(0.01)
            if index == len(raw) // 2:  # others are served meanwhile
                assert get(server, "/health", timeout=2).status == 200
        assert read_response(slow).status == 200
    assert_healthy(server)


def test_many_slow_clients_do_not_starve_others(server: Server) -> None:
    sockets = [connect(server) for _ in range(100)]
    try:
        for sock in sockets:
            sock.sendall(b"GET /health HTTP/1.1\r\nHo")
        started = time.monotonic()
        assert get(server, "/health", timeout=2).status == 200
        assert time.monotonic() - started < 2
    finally:
        for sock in sockets:
            sock.close()
    assert_healthy(server)


def test_body_larger_than_limit_with_a_small_content_length(server: Server) -> None:
    """Bytes past Content-Length are the next request: answered or refused, never buffered."""
    head = b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/octet-stream\r\n"
    with connect(server) as sock:
        sock.sendall(head + b"Content-Length: 10\r\n\r\n")
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(b"0123456789" + b"x" * 1_000_000)  # the server may close first
        stream = reader(sock)
        # The 10 bytes are the body; what follows is not HTTP: uvicorn answers its own
        # plain 400 and closes, possibly before the first answer is written.
        first = read_response(stream)
        assert (first.status == 200 and first.json() == {"length": 10}) or first.status == 400
        with pytest.raises((ConnectionError, OSError, ValueError, IndexError)):
            _read_until_closed(stream)
    oversized = request(server, head + b"Content-Length: 70000\r\n\r\n" + b"y" * 100)
    assert (oversized.status, oversized.json()["code"]) == (413, "LST_ERR_CTP_BODY_TOO_LARGE")
    chunked = (
        head + b"Transfer-Encoding: chunked\r\n\r\n" + (b"8000\r\n" + b"z" * 0x8000 + b"\r\n") * 3
    )
    too_big = request(server, chunked + b"0\r\n\r\n")
    assert (too_big.status, too_big.json()["code"]) == (413, "LST_ERR_CTP_BODY_TOO_LARGE")
    assert_healthy(server)


def _read_until_closed(stream: Any) -> None:
    """Read responses until the server closes: each must be the parser's 400."""
    while True:
        assert read_response(stream).status == 400


def test_content_length_larger_than_body_then_close(server: Server) -> None:
    before = stats(server)["aborted"]
    for close in (socket.socket.close, reset):
        sock = connect(server)
        sock.sendall(
            b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/octet-stream\r\n"
            b"Content-Length: 1000\r\n\r\n0123456789"
        )
        time.sleep(0.1)
        close(sock)
    assert wait_until(lambda: stats(server)["aborted"] >= before + 2), stats(server)
    with connect(server) as sock:  # half-close: the server must not wait forever either
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\nabc")
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(10)
        data = sock.recv(65536)
        assert data == b"" or data.startswith(b"HTTP/1.1 4")
    assert_healthy(server)


def test_thousands_of_tiny_pipelined_requests(server: Server) -> None:
    count = 5000
    with connect(server, timeout=30) as sock:
        sender = threading.Thread(
            target=sock.sendall, args=(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n" * count,)
        )
        sender.start()
        stream = reader(sock)
        statuses = [read_response(stream).status for _ in range(count)]
        sender.join(30)
    assert statuses == [200] * count
    assert_healthy(server)


def test_clients_disconnecting_mid_request(server: Server) -> None:
    partials = [
        b"GET /health HTTP/1.1\r\nHo",
        b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n12345",
        b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
        b"GET /slow?s=0.3 HTTP/1.1\r\nHost: t\r\n\r\n",
    ]
    for partial in partials * 5:
        sock = connect(server)
        sock.sendall(partial)
        time.sleep(0.02)
        reset(sock)
    assert_healthy(server)


def test_clients_disconnecting_mid_response(server: Server) -> None:
    for close in (socket.socket.close, reset) * 5:
        sock = connect(server)
        sock.sendall(b"GET /stream?n=400 HTTP/1.1\r\nHost: t\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        close(sock)
    assert_healthy(server)


def test_cr_lf_in_reply_header_values_from_user_input(server: Server) -> None:
    for value in ("a%0D%0ASet-Cookie:%20evil=1", "a%0Aevil:1", "a%0Devil", "a%00b", "%E2%82%AC"):
        with connect(server) as sock:
            sock.sendall(f"GET /reflect?v={value} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
            raw = b""
            while b"}" not in raw:
                raw += sock.recv(65536)
        head = raw.partition(b"\r\n\r\n")[0]
        assert head.startswith(b"HTTP/1.1 400"), raw
        assert b"evil" not in head
        assert b"x-v" not in head.lower()
        assert b"LST_ERR_INVALID_HEADER_VALUE" in raw
    bare = request(server, b"GET /reflect?v=ok\rx HTTP/1.1\r\nHost: t\r\n\r\n")
    assert bare.status == 400  # a bare CR in the request line is refused by the parser
    assert_healthy(server)


def test_ten_thousand_query_parameters(server: Server) -> None:
    query = "&".join(["k=1"] * 10_000)
    response = get(server, f"/query?{query}")
    assert (response.status, response.json()["code"]) == (414, "LST_ERR_QUERYSTRING_TOO_LARGE")
    assert get(server, "/query?" + "&".join(f"k{i}=1" for i in range(1000))).json() == {
        "keys": 1000
    }
    assert_healthy(server)


def test_a_100_kb_url(server: Server) -> None:
    for target in ("/query?v=" + "a" * 100_000, "/" + "a" * 100_000, "/health?" + "x" * 100_000):
        response = get(server, target)  # over httptools' limit: its plain 400, then close
        assert (response.status, response.headers["connection"]) == (400, "close"), response
    assert_healthy(server)
