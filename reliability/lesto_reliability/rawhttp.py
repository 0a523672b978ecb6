"""A raw HTTP/1.1 client on plain sockets, for requests no client library would send."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import orjson

__all__ = ["RawResponse", "Server", "connect", "read_response", "request", "serve"]

RELIABILITY = Path(__file__).resolve().parent.parent


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return orjson.loads(self.body)


@dataclass
class Server:
    """A Lesto app served by a child process."""

    process: subprocess.Popen[str]
    host: str
    port: int
    baseline: int = 0

    def alive(self) -> bool:
        return self.process.poll() is None


@contextmanager
def serve(app: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    """Run ``lesto_reliability.serve APP`` on a free loopback port; SIGTERM it afterwards."""
    process = subprocess.Popen(
        [sys.executable, "-m", "lesto_reliability.serve", app],
        cwd=RELIABILITY,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        url = urlsplit(process.stdout.readline().strip())
        assert url.hostname, "the server printed no URL"
        assert url.port, "the server printed no URL"
        yield Server(process, url.hostname, url.port)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def connect(server: Server, timeout: float = 10.0) -> socket.socket:
    return socket.create_connection((server.host, server.port), timeout=timeout)


class _Reader:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def fill(self) -> None:
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("connection closed")
        self.buffer += data

    def line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            self.fill()
        line, _, self.buffer = self.buffer.partition(b"\r\n")
        return line

    def exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self.fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data


def read_response(reader: _Reader | socket.socket) -> RawResponse:
    """Read one response (Content-Length or chunked body) from the socket."""
    if isinstance(reader, socket.socket):
        reader = _Reader(reader)
    status = int(reader.line().split(b" ", 2)[1])
    headers: dict[str, str] = {}
    while line := reader.line():
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = reader.exactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        body = b""
        while size := int(reader.line(), 16):
            body += reader.exactly(size)
            reader.exactly(2)
        reader.line()
    else:
        body = b""
    return RawResponse(status, headers, body)


def reader(sock: socket.socket) -> _Reader:
    """A buffered reader, for several responses on one connection."""
    return _Reader(sock)


def request(server: Server, raw: bytes, timeout: float = 10.0) -> RawResponse:
    """Send raw bytes on a new connection and read one response."""
    with connect(server, timeout) as sock:
        sock.sendall(raw)
        return read_response(sock)


def get(server: Server, target: str, timeout: float = 10.0) -> RawResponse:
    return request(server, f"GET {target} HTTP/1.1\r\nHost: test\r\n\r\n".encode(), timeout)


def wait_until(predicate: object, timeout: float = 10.0) -> bool:
    """Poll ``predicate()`` until it is true or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False
