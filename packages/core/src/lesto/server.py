"""The embedded HTTP server behind ``app.listen()``: uvicorn on sockets Lesto binds itself.

Lesto binds the listening sockets itself (so ``port=0`` reports the real port
at once) and drives uvicorn's startup, tick loop and graceful shutdown in the
running event loop. The ASGI lifespan is off here: the application readies
and closes itself around the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import uvicorn

__all__ = ["Address", "EmbeddedServer", "ServerHolder", "best_http_protocol", "best_loop"]


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
        uvicorn_options: dict[str, Any] | None = None,
    ) -> None:
        self._host = host
        self._port = port
        self._backlog = backlog
        options: dict[str, Any] = {
            "lifespan": "off",
            "http": best_http_protocol(),
            "access_log": False,
            "log_config": None,
            "log_level": log_level,
            "server_header": False,
            "timeout_keep_alive": keep_alive_timeout,
            "timeout_graceful_shutdown": graceful_timeout,
            **(uvicorn_options or {}),
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
