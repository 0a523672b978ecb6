"""Fastify's "Delay Accepting Requests" guide, ported, over a real listening server.

Customer routes under ``/v1`` answer 503 with ``Retry-After`` from an
``on_request`` hook of a scoped (encapsulated) plugin until an external
provider has called the ``/webhook`` route with the magic key; ``/ping`` and
``/webhook`` are never blocked. As in the guide, the provider is contacted as
soon as the server listens (an ``on_listen`` hook). The test decides when the
provider answers, so nothing depends on timing.

One Python difference: a value assigned to an instance attribute at run time
is not seen by child contexts (each context has its own class), so the key
lives in a small holder object decorated on the root, which every context
shares.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from typing import Any

import httpx
import orjson
from lesto import Lesto, plugin

USUAL_WAIT_TIME_MS = 5000
MAGIC_KEY = "12345"


class Provider:
    """The external OAuth-like provider; the test releases it with ``go``."""

    def __init__(self) -> None:
        self.go = asyncio.Event()
        self.delivered = asyncio.Event()

    async def third_party_magic_key_generator(self, base_url: str) -> None:
        await self.go.wait()
        async with httpx.AsyncClient() as client:
            response = await client.post(f"{base_url}/webhook", json={"magic_key": MAGIC_KEY})
        if response.status_code != 200:
            raise RuntimeError("Failed to fetch magic key")
        self.delivered.set()

    async def fetch_sensitive_data(self, key: str | None) -> dict[str, bool]:
        if key == MAGIC_KEY:
            return {"sensitive": True}
        raise ValueError("Invalid key")


class Keys:
    """Where the magic key is kept once the provider delivered it."""

    magic_key: str | None = None


def make_setup(provider: Provider, tasks: list[asyncio.Task[None]]) -> Callable[..., None]:
    @plugin(name="setup")
    def setup(app: Lesto, opts: dict[str, Any]) -> None:
        app.decorate("keys", Keys())
        app.decorate("provider", provider)

        async def do_magic(instance: Lesto) -> None:
            instance.log.info("Doing magic!")
            url = instance.addresses()[0].url
            tasks.append(asyncio.create_task(provider.third_party_magic_key_generator(url)))

        app.add_hook("on_listen", do_magic)

    return setup


def delay(routes: Callable[..., Any]) -> Callable[[Lesto, dict[str, Any]], None]:
    """Wrap ``routes`` in a scoped plugin refusing requests until the key is there."""

    def delayed(app: Lesto, opts: dict[str, Any]) -> None:
        def wait_for_key(request, reply):
            if not request.server.keys.magic_key:
                reply.code(503).header("Retry-After", str(USUAL_WAIT_TIME_MS))
                reply.send({"error": True, "retryInMs": USUAL_WAIT_TIME_MS})

        app.add_hook("on_request", wait_for_key)
        app.register(routes, opts)

    return delayed


@plugin
def customer_routes(app: Lesto, opts: dict[str, Any]) -> None:
    async def customer(request, reply):
        try:
            await request.server.provider.fetch_sensitive_data(request.server.keys.magic_key)
        except ValueError as error:
            request.log.error({"err": error}, "Failed at fetching sensitive data from provider")
            reply.code(500)
            return {"customer": None, "error": True}
        return {"customer": True, "error": False}

    app.get("/", customer)  # the prefix itself (/v1)
    app.get("/*", customer)  # and everything below it


def build(provider: Provider, tasks: list[asyncio.Task[None]], stream: io.StringIO) -> Lesto:
    server = Lesto(logger={"stream": stream})
    server.register(make_setup(provider, tasks))

    @server.get("/ping")
    def ping(request, reply):
        reply.send({"error": False, "ready": request.server.keys.magic_key is not None})

    @server.post("/webhook")
    def webhook(request, reply):
        request.server.keys.magic_key = request.body["magic_key"]
        request.log.info("Ready for customer requests!")
        reply.send({"error": False})

    server.register(delay(customer_routes), prefix="/v1")
    return server


async def test_customer_requests_wait_for_the_provider() -> None:
    provider, tasks, stream = Provider(), [], io.StringIO()
    server = build(provider, tasks, stream)
    url = await server.listen()
    try:
        async with httpx.AsyncClient(base_url=url) as client:
            refused = await client.get("/v1")
            assert refused.status_code == 503
            assert refused.headers["retry-after"] == "5000"
            assert refused.headers["content-type"] == "application/json; charset=utf-8"
            assert refused.json() == {"error": True, "retryInMs": 5000}
            assert (await client.get("/v1/orders/7")).status_code == 503

            ping = await client.get("/ping")
            assert (ping.status_code, ping.json()) == (200, {"error": False, "ready": False})

            provider.go.set()
            await asyncio.wait_for(provider.delivered.wait(), 10)

            assert (await client.get("/ping")).json() == {"error": False, "ready": True}
            served = await client.get("/v1")
            assert (served.status_code, served.json()) == (200, {"customer": True, "error": False})
            assert (await client.get("/v1/orders/7")).status_code == 200
        await asyncio.gather(*tasks)
    finally:
        await server.close()

    entries = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    messages = [entry["msg"] for entry in entries]
    assert messages.index("Doing magic!") > messages.index(f"Server listening at {url}")
    (ready,) = [entry for entry in entries if entry["msg"] == "Ready for customer requests!"]
    assert "reqId" in ready
    statuses = [entry["res"]["statusCode"] for entry in entries if "res" in entry]
    assert statuses[:3] == [503, 503, 200]
    assert statuses[-2:] == [200, 200]


async def test_the_hook_only_guards_its_own_scope() -> None:
    provider, tasks, stream = Provider(), [], io.StringIO()
    server = build(provider, tasks, stream)
    assert (await server.inject(url="/v1/anything")).status_code == 503
    assert (await server.inject(url="/ping")).status_code == 200
    assert (await server.inject(url="/missing")).status_code == 404
    await server.close()
