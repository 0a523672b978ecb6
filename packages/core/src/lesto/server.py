"""The embedded HTTP server behind ``app.listen()``: uvicorn on sockets Lesto binds itself.

Lesto binds the listening sockets itself (so ``port=0`` reports the real port
at once) and drives uvicorn's startup, tick loop and graceful shutdown in the
running event loop. The ASGI lifespan is off here for a Lesto application, which
readies and closes itself around the server (``lesto run`` turns it on for
other ASGI applications).

Request header limits: with httptools the server uses
:func:`header_limited_protocol`, which counts header bytes and fields while
parsing and answers 431 ``LST_ERR_HEADERS_TOO_LARGE`` with ``Connection:
close`` before the application sees the request (httptools itself has no
limit); with h11, uvicorn's ``h11_max_incomplete_event_size`` bounds the
header block.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import uvicorn

from . import errors
from .error_handler import phrase

__all__ = [
    "DEFAULT_MAX_HEADER_COUNT",
    "DEFAULT_MAX_HEADER_SIZE",
    "Address",
    "EmbeddedServer",
    "ServerHolder",
    "best_http_protocol",
    "best_loop",
    "header_limited_protocol",
]

#: Node's default ``maxHeaderSize``: 16 KiB of header names and values.
DEFAULT_MAX_HEADER_SIZE = 16 * 1024
#: At most this many header fields (Apache's ``LimitRequestFields``, hyper's default).
DEFAULT_MAX_HEADER_COUNT = 100


@dataclass(frozen=True, slots=True)
class Address:
    """One listening address, like Fastify's ``server.addresses()`` entries."""

    address: str
    family: str
    port: int

    @property
    def url(self) -> str:
        """The ``http://host:port`` form; IPv6 hosts are bracketed."""
        host = f"[{self.address}]" if self.family == "IPv6" else self.address
        return f"http://{host}:{self.port}"


def best_http_protocol() -> str:
    """``httptools`` when it is installed, else uvicorn's pure-Python ``h11``."""
    return "httptools" if importlib.util.find_spec("httptools") else "h11"


def best_loop() -> str:
    """``uvloop`` when it is installed, else the standard asyncio loop."""
    return "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"


def header_limit_answer(limit: str, default_headers: Sequence[tuple[bytes, bytes]] = ()) -> bytes:
    """The raw HTTP/1.1 431 ``LST_ERR_HEADERS_TOO_LARGE`` answer, with ``Connection: close``."""
    error = errors.LST_ERR_HEADERS_TOO_LARGE(limit)
    status = 431
    body = orjson.dumps(
        {
            "statusCode": status,
            "code": error.code,
            "error": phrase(status),
            "message": error.message,
        }
    )
    lines = [f"HTTP/1.1 {status} {phrase(status)}\r\n".encode()]
    lines += [name + b": " + value + b"\r\n" for name, value in default_headers]
    lines += [
        b"content-type: application/json; charset=utf-8\r\n",
        b"content-length: " + str(len(body)).encode() + b"\r\n",
        b"connection: close\r\n\r\n",
        body,
    ]
    return b"".join(lines)


def header_limited_protocol(max_header_size: int, max_header_count: int) -> type[Any]:
    """uvicorn's httptools protocol with a request header limit (httptools has none).

    The names' and values' bytes of completed headers are summed exactly; the
    bytes of a header block still incomplete after a read are counted too (a
    header that never ends stops at the limit, give or take one read). Past
    ``max_header_size`` bytes or ``max_header_count`` fields the request is
    answered 431 ``LST_ERR_HEADERS_TOO_LARGE`` and the connection is closed.
    """
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class HeaderLimitedHttpToolsProtocol(HttpToolsProtocol):
        _head_open = False  # between on_message_begin and on_headers_complete
        _head_bytes = 0  # names and values of the completed headers
        _head_partial = 0  # bytes read while the head stayed incomplete
        _head_refused = ""  # the limit exceeded, once answered

        def data_received(self, data: bytes) -> None:
            was_open = self._head_open
            super().data_received(data)
            if self._head_open and not self._head_refused:
                self._head_partial = self._head_partial + len(data) if was_open else 0
                if self._head_bytes + self._head_partial > max_header_size:
                    self._refuse_headers(f"{max_header_size} bytes")

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._head_open = True
            self._head_bytes = self._head_partial = 0

        def on_header(self, name: bytes, value: bytes) -> None:
            if self._head_refused:
                return
            self._head_bytes += len(name) + len(value)
            if self._head_bytes > max_header_size:
                self._refuse_headers(f"{max_header_size} bytes")
            elif len(self.headers) >= max_header_count:
                self._refuse_headers(f"{max_header_count} header fields")
            else:
                super().on_header(name, value)

        # Once refused, the rest of the read is parsed and ignored: no request starts.

        def on_headers_complete(self) -> None:
            self._head_open = False
            if not self._head_refused:
                super().on_headers_complete()

        def on_body(self, body: bytes) -> None:
            if not self._head_refused:
                super().on_body(body)

        def on_message_complete(self) -> None:
            if not self._head_refused:
                super().on_message_complete()

        def _refuse_headers(self, limit: str) -> None:
            self._head_refused = limit
            self._head_open = False
            self.logger.info("Request refused: header fields over %s", limit)
            if not self.transport.is_closing():
                answer = header_limit_answer(limit, self.server_state.default_headers)
                self.transport.write(answer)
                self.transport.close()

    return HeaderLimitedHttpToolsProtocol


def bind_sockets(host: str, port: int, backlog: int) -> list[socket.socket]:
    """Bind one listening socket per address ``host`` resolves to (``localhost``: v4 and v6).

    With ``port=0`` the first socket picks a free port and the others reuse it.
    """
    infos = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE | socket.AI_ADDRCONFIG
    )
    sockets: list[socket.socket] = []
    seen: set[tuple[int, str]] = set()
    try:
        for family, kind, proto, _, sockaddr in infos:
            key = (int(family), str(sockaddr[0]))
            if key in seen:
                continue
            seen.add(key)
            sock = socket.socket(family, kind, proto)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            if port == 0 and sockets:
                sockaddr = (sockaddr[0], sockets[0].getsockname()[1], *sockaddr[2:])
            sock.bind(sockaddr)
            sock.listen(backlog)
            sock.setblocking(False)
            sockets.append(sock)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def describe(sock: socket.socket) -> Address:
    """The :class:`Address` a bound socket listens on."""
    host, port = sock.getsockname()[:2]
    family = "IPv6" if sock.family == socket.AF_INET6 else "IPv4"
    return Address(address=str(host), family=family, port=int(port))


class EmbeddedServer:
    """A uvicorn server running inside the caller's event loop."""

    def __init__(
        self,
        app: Any,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        backlog: int = 511,
        log_level: str = "warning",
        keep_alive_timeout: float = 72.0,
        graceful_timeout: float | None = 10.0,
        max_header_size: int = DEFAULT_MAX_HEADER_SIZE,
        max_header_count: int = DEFAULT_MAX_HEADER_COUNT,
        uvicorn_options: dict[str, Any] | None = None,
    ) -> None:
        """Serve ``app``; with httptools, the protocol enforces the header limits."""
        self._host = host
        self._port = port
        self._backlog = backlog
        uvicorn_options = uvicorn_options or {}
        http: Any = best_http_protocol()
        if "http" not in uvicorn_options and http == "httptools":
            http = header_limited_protocol(max_header_size, max_header_count)
        options: dict[str, Any] = {
            "lifespan": "off",
            "http": http,
            "h11_max_incomplete_event_size": max_header_size,
            "access_log": False,
            "log_config": None,
            "log_level": log_level,
            "server_header": False,
            "timeout_keep_alive": keep_alive_timeout,
            "timeout_graceful_shutdown": graceful_timeout,
            **uvicorn_options,
        }
        self._config = uvicorn.Config(app, **options)
        self._server = uvicorn.Server(self._config)
        self._sockets: list[socket.socket] = []
        self._ticker: asyncio.Task[None] | None = None
        self.addresses: list[Address] = []

    @property
    def started(self) -> bool:
        """Whether the server accepts connections."""
        return bool(self._server.started)

    async def start(self) -> Sequence[Address]:
        """Bind, start accepting connections and return the listening addresses."""
        self._sockets = bind_sockets(self._host, self._port, self._backlog)
        if not self._config.loaded:
            self._config.load()
        self._server.lifespan = self._config.lifespan_class(self._config)
        await self._server.startup(sockets=self._sockets)
        self.addresses = [describe(sock) for sock in self._sockets]
        self._ticker = asyncio.create_task(self._server.main_loop())
        return self.addresses

    async def stop(self) -> None:
        """Stop accepting, let in-flight requests finish (up to the graceful timeout), close.

        Open connections stay up while in-flight requests finish, so a request
        arriving on a keep-alive connection meanwhile still reaches the
        application (which answers 503 while closing); then uvicorn's own
        shutdown closes the connections and cancels what is left.
        """
        if not self._server.started:
            return
        self._server.started = False
        self.addresses = []
        self._stop_accepting()
        if not await self._drain(self._config.timeout_graceful_shutdown):
            self._config.timeout_graceful_shutdown = 0  # out of time: uvicorn cancels the rest
        self._server.should_exit = True
        if self._ticker is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        await self._server.shutdown(sockets=self._sockets)

    def _stop_accepting(self) -> None:
        """Close the listening sockets; established connections are left open."""
        for server in self._server.servers:
            server.close()
        for sock in self._sockets:
            sock.close()

    async def _drain(self, limit: float | None) -> bool:
        """Wait until no request is in flight, for at most ``limit`` s; whether that happened."""
        tasks = self._server.server_state.tasks
        loop = asyncio.get_running_loop()
        deadline = None if limit is None else loop.time() + limit
        while tasks:
            left = None if deadline is None else deadline - loop.time()
            if left is not None and left <= 0:
                return False
            await asyncio.wait(set(tasks), timeout=left)
        return True


class ServerHolder:
    """The embedded server of one application, once ``listen()`` started it."""

    __slots__ = ("server",)

    def __init__(self) -> None:
        self.server: EmbeddedServer | None = None

    async def stop(self) -> None:
        """Stop the server, if any (called by ``close()`` between its hook phases)."""
        if self.server is not None:
            await self.server.stop()
