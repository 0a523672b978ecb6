"""Regressions found by the reliability suite (reliability/, docs/reliability.md).

Each test names the case that found the bug.
"""

from lesto import Lesto


async def test_bad_escape_on_a_method_without_routes_is_400_not_a_crash():
    """Router fuzzing: ``DELETE /%`` raised LST_ERR_BAD_URL out of the not-found lookup."""
    app = Lesto()
    app.get("/items/:id", lambda request, reply: request.params)
    for method in ("DELETE", "POST", "GET"):
        response = await app.inject(method=method, url="/%")
        assert response.status_code == 400
        assert response.json()["code"] == "LST_ERR_BAD_URL"
    assert (await app.inject(url="/items/1")).json() == {"id": "1"}


async def test_json_nested_past_the_reply_serialiser_is_400_not_500():
    """JSON body fuzzing: 255-1024 levels parsed, then echoing the body failed with a 500."""
    app = Lesto()
    app.post("/echo", lambda request, reply: {"body": request.body})

    async def post(depth):
        return await app.inject(
            method="POST",
            url="/echo",
            body=b"[" * depth + b"]" * depth,
            headers={"content-type": "application/json"},
        )

    ok = await post(128)
    assert ok.status_code == 200
    for depth in (129, 255, 1000, 1024):
        refused = await post(depth)
        assert refused.status_code == 400
        assert refused.json()["code"] == "LST_ERR_CTP_INVALID_JSON_BODY"
    wide = b"[" + b'"[[[[",' * 300 + b"1]"  # brackets inside strings do not count
    response = await app.inject(
        method="POST", url="/echo", body=wide, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200


async def test_a_stream_stops_when_its_client_disconnects():
    """Socket abuse, disconnect mid-response: an endless stream ran on after the client left.

    uvicorn drops what is sent to a closed connection without an error, so
    nothing stopped the iterator; now the disconnect closes it and
    ``on_request_abort`` hooks run.
    """
    import asyncio

    app = Lesto()
    events = []

    async def endless():
        try:
            while True:
                yield b"tick\n"
                await asyncio.sleep(0.001)
        finally:
            events.append("stream closed")

    app.get("/events", lambda request, reply: endless())
    app.add_hook("on_request_abort", lambda request: events.append("aborted"))
    await app.ready()

    sent = []
    disconnected = asyncio.Event()

    async def receive():
        if not sent:
            return {"type": "http.request", "body": b"", "more_body": False}
        await disconnected.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)
        if len(sent) == 5:
            disconnected.set()  # the client leaves after a few chunks

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/events",
        "raw_path": b"/events",
        "query_string": b"",
        "root_path": "",
        "headers": [],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 3000),
    }
    await asyncio.wait_for(app(scope, receive, send), 5)
    assert "stream closed" in events
    assert "aborted" in events
    assert sent[0]["status"] == 200
    await app.close()


async def test_a_finite_stream_is_still_sent_whole():
    app = Lesto()

    async def numbers():
        for n in range(100):
            yield f"{n}\n"

    app.get("/numbers", lambda request, reply: numbers())
    response = await app.inject(url="/numbers")
    assert response.body == "".join(f"{n}\n" for n in range(100))
