"""The ASGI entry: lifespan startup/shutdown and the interim HTTP 404."""

import asyncio

import orjson
from lesto import Lesto


async def run_lifespan(app, *messages):
    queue = asyncio.Queue()
    for message in messages:
        queue.put_nowait({"type": message})
    sent = []

    async def send(message):
        sent.append(message)

    await app({"type": "lifespan", "asgi": {"version": "3.0"}}, queue.get, send)
    return sent


async def test_startup_readies_and_shutdown_closes():
    app = Lesto()
    events = []
    app.register(lambda instance, opts: events.append("loaded"))
    app.add_hook("on_ready", lambda instance: events.append("ready"))
    app.add_hook("on_close", lambda instance: events.append("closed"))
    sent = await run_lifespan(app, "lifespan.startup", "lifespan.shutdown")
    assert [message["type"] for message in sent] == [
        "lifespan.startup.complete",
        "lifespan.shutdown.complete",
    ]
    assert events == ["loaded", "ready", "closed"]


async def test_startup_failure_is_reported_with_the_error_and_chain():
    app = Lesto(plugin_timeout=0.05)

    async def db(instance, opts):
        await asyncio.Event().wait()

    app.register(db)
    sent = await run_lifespan(app, "lifespan.startup", "lifespan.shutdown")
    assert [message["type"] for message in sent] == ["lifespan.startup.failed"]
    assert "LST_ERR_PLUGIN_TIMEOUT" in sent[0]["message"]
    assert "root -> db" in sent[0]["message"]


async def test_http_answers_the_not_found_json_until_routing_exists():
    app = Lesto()
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app({"type": "http", "method": "GET", "path": "/missing"}, receive, send)
    start, body = sent
    assert start["status"] == 404
    assert dict(start["headers"])[b"content-type"].startswith(b"application/json")
    payload = orjson.loads(body["body"])
    assert payload["code"] == "LST_ERR_NOT_FOUND"
    assert payload["statusCode"] == 404
    assert payload["error"] == "Not Found"


async def test_websocket_connections_are_closed():
    app = Lesto()
    sent = []

    async def receive():
        return {"type": "websocket.connect"}

    async def send(message):
        sent.append(message)

    await app({"type": "websocket", "path": "/ws"}, receive, send)
    assert sent == [{"type": "websocket.close", "code": 1000}]
