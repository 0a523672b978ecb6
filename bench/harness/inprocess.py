"""Serving a bench app in process, without sockets: uvicorn's httptools protocol object fed by
in-memory connections, each sending its next request as soon as its last response is written
(as wrk's connections do). Used by `server_inprocess.py` (CPU time per request) and
`instructions.py` (instructions per request), which run each app in a child process."""

from __future__ import annotations

import asyncio
import importlib
import sys
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent.parent
CONNECTIONS = 64
SCENARIOS = {
    "hello": ("/", ()),
    "postgres": ("/users/42", ("postgres",)),
    "redis": ("/foo?key=greeting", ("redis",)),
}
"""The measured request of each scenario and the databases its apps need."""


class _Transport(asyncio.Transport):
    """Where the protocol writes its responses: calls `done` after each body."""

    def __init__(self, done: Any) -> None:
        super().__init__()
        self._done = done

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        addresses = {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}
        return addresses.get(name, default)

    def write(self, data: Any) -> None:
        if not bytes(data[:9]).startswith(b"HTTP/1.1 "):
            self._done()

    def is_closing(self) -> bool:
        return False

    def close(self) -> None:
        pass

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


class InProcessLoad:
    """`app` served by uvicorn's protocol to CONNECTIONS in-memory clients asking for `path`.

    `limit` (when given) is the number of requests to send in all; `finished` resolves once
    that many are answered. Without it the clients go on until `stop()`.
    """

    def __init__(self, app: Any, path: str, limit: int | None = None) -> None:
        from uvicorn.config import Config
        from uvicorn.lifespan.on import LifespanOn
        from uvicorn.server import ServerState

        self.config = Config(
            app, loop="none", http="httptools", access_log=False, log_level="warning"
        )
        self.config.load()
        self._lifespan = LifespanOn(self.config)
        self._state = ServerState()
        self._request = (
            f"GET {path} HTTP/1.1\r\nHost: localhost:8000\r\nUser-Agent: bench\r\n\r\n".encode()
        )
        self._limit = limit
        self._running = True
        self.served = 0
        self.sent = 0
        self.finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def start(self) -> None:
        """Start the app (lifespan), open the connections and send their first requests."""
        await self._lifespan.startup()
        count = CONNECTIONS if self._limit is None else min(CONNECTIONS, self._limit)
        for protocol in [self._connection() for _ in range(count)]:
            self.sent += 1
            protocol.data_received(self._request)

    def stop(self) -> None:
        """Send no more requests."""
        self._running = False

    async def shutdown(self) -> None:
        """Stop, let the requests in flight finish, and shut the app down (lifespan)."""
        self.stop()
        await asyncio.sleep(0.5)
        await self._lifespan.shutdown()

    def _connection(self) -> Any:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

        loop = asyncio.get_running_loop()
        protocol = HttpToolsProtocol(self.config, self._state, app_state={})

        def done() -> None:
            self.served += 1
            if self._running and (self._limit is None or self.sent < self._limit):
                self.sent += 1
                loop.call_soon(protocol.data_received, self._request)
            elif self.served == self._limit and not self.finished.done():
                self.finished.set_result(None)

        protocol.connection_made(_Transport(done))
        return protocol


def load_app(scenario: str, module: str) -> Any:
    """The ASGI app of `bench/apps/<scenario>/<module>.py`."""
    sys.path.insert(0, str(BENCH_DIR))
    return importlib.import_module(f"apps.{scenario}.{module}").app
