"""A write stored by the server whose answer never arrived: PyMongo retries it after the restart.

Reliability issue 15: when MongoDB was killed under load, an insert in flight could be
stored before the connection broke. PyMongo retries such a write with the same session
and transaction number; MongoDB answers the retry from its record of the first attempt,
but a server that lost that record (SecantusDB keeps it in memory: a restart forgets it)
runs the insert again, which finds its own document: ``DuplicateKeyError``, a 500.

Here the moment is chosen instead of hoped for: the app talks to a dedicated server
through a proxy that lets the insert through, drops its answer and then, like a dead
server, cuts every connection and refuses new ones until the server has been restarted.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import lesto_mongodb
import lesto_testing
import pytest
from lesto import Lesto
from pymongo import WriteConcern, monitoring

CODE = "LST_MONGO_ERR_UNAVAILABLE"
KEY = "stored-but-unanswered"
HEADER = 16  # a wire message starts with its length (int32, little-endian) and 12 more bytes


class AnswerDropper:
    """A TCP proxy to ``target`` that drops the answer to the first message containing
    ``marker``, then cuts every connection and refuses new ones until :meth:`reopen`."""

    def __init__(self, target: tuple[str, int], marker: bytes) -> None:
        self.target = target
        self.marker: bytes | None = marker
        self.dropped = asyncio.Event()
        self.port = 0
        self._open = True
        self._writers: set[asyncio.StreamWriter] = set()
        self._connections: set[asyncio.Task[Any]] = set()
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> AnswerDropper:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        self._cut()
        await asyncio.gather(*self._connections, return_exceptions=True)
        await self._server.wait_closed()

    def reopen(self) -> None:
        self._open = True

    def _cut(self) -> None:
        self._open = False
        for writer in self._writers:
            writer.close()
        self._writers.clear()

    async def _serve(
        self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        task.add_done_callback(self._connections.discard)
        if not self._open:
            client_out.close()
            return
        server_in, server_out = await asyncio.open_connection(*self.target)
        self._writers.update((client_out, server_out))
        carries_marker = asyncio.Event()
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            await asyncio.gather(
                self._requests(client_in, server_out, carries_marker),
                self._answers(server_in, client_out, carries_marker),
            )
        client_out.close()
        server_out.close()

    async def _requests(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, carries: asyncio.Event
    ) -> None:
        while data := await source.read(65536):
            if self.marker is not None and self.marker in data:
                self.marker = None
                carries.set()
            sink.write(data)
            await sink.drain()
        sink.close()

    async def _answers(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, carries: asyncio.Event
    ) -> None:
        while True:
            header = await source.readexactly(HEADER)
            body = await source.readexactly(int.from_bytes(header[:4], "little") - HEADER)
            if carries.is_set():  # the answer to the marked write: the server has stored it
                self._cut()
                self.dropped.set()
                return
            sink.write(header + body)
            await sink.drain()


@pytest.fixture
async def dropper(mongodb_dedicated: lesto_testing.Service) -> AsyncIterator[AnswerDropper]:
    address = urlsplit(mongodb_dedicated.url)
    assert address.hostname is not None
    assert address.port is not None
    async with AnswerDropper((address.hostname, address.port), KEY.encode()) as proxy:
        yield proxy


def retry_app(dropper: AnswerDropper, driver: str) -> Lesto:
    app = Lesto()
    app.register(
        lesto_mongodb.plugin,
        url=f"mongodb://127.0.0.1:{dropper.port}/?directConnection=true",
        driver=driver,
        database=f"retried_{driver}",
        serverSelectionTimeoutMS=30_000,
    )

    def parts() -> Any:
        return app.mongo.db.get_collection("parts", write_concern=WriteConcern(j=True))  # type: ignore[attr-defined]

    @app.post("/write/:id")
    async def write(request: Any, reply: Any) -> Any:
        await parts().insert_one({"_id": request.params["id"], "part1": 1, "part2": 2})
        return reply.code(201).send({"id": request.params["id"]})

    @app.get("/read/:id")
    async def read(request: Any, reply: Any) -> Any:
        return {"found": await parts().count_documents({"_id": request.params["id"]})}

    def own_handler(error: Exception, request: Any, reply: Any) -> Any:
        return {"seen": type(error).__name__, "status": reply.status_code}

    app.post("/write-own/:id", error_handler=own_handler)(write)
    return app


@pytest.mark.parametrize("driver", ["pymongo", "motor"])
async def test_a_retried_write_that_finds_its_own_document_is_503_and_complete(
    mongodb_dedicated: lesto_testing.Service, dropper: AnswerDropper, driver: str
) -> None:
    app = retry_app(dropper, driver)
    try:
        await app.ready()
        assert (await app.inject(method="POST", url="/write/before")).status_code == 201

        writing = asyncio.ensure_future(app.inject(method="POST", url=f"/write/{KEY}"))
        await dropper.dropped.wait()  # stored, unanswered; the "server" is gone
        await asyncio.to_thread(mongodb_dedicated.restart)  # SecantusDB forgets its retry records
        dropper.reopen()
        response = await writing

        assert response.status_code == 503, response.body
        answer = response.json()
        assert answer["code"] == CODE
        assert "may be complete" in answer["message"]
        # Absent or complete: here complete, once.
        assert (await app.inject(method="GET", url=f"/read/{KEY}")).json() == {"found": 1}
        # The same key again, no retry involved: a plain duplicate stays the driver's 500.
        again = await app.inject(method="POST", url=f"/write/{KEY}")
        assert again.status_code == 500
        own = await app.inject(method="POST", url=f"/write-own/{KEY}")
        assert own.json() == {"seen": "DuplicateKeyError", "status": 500}
    finally:
        await app.close()
        await asyncio.to_thread(mongodb_dedicated.ensure_running)


class Quiet(monitoring.CommandListener):
    def started(self, event: monitoring.CommandStartedEvent) -> None: ...

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None: ...

    def failed(self, event: monitoring.CommandFailedEvent) -> None: ...


async def test_the_plugin_adds_its_listener_beside_yours(mongodb_url: str) -> None:
    yours = Quiet()
    app = Lesto()
    app.register(lesto_mongodb.plugin, url=mongodb_url, event_listeners=[yours])
    try:
        await app.ready()
        listeners = app.mongo.client.options.event_listeners  # type: ignore[attr-defined]
        assert listeners == [yours, lesto_mongodb.retried_writes_listener]
    finally:
        await app.close()
