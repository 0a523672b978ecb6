"""Fastify's Testing guide, ported: an app factory tested with inject and with a real client."""

from __future__ import annotations

from typing import Any

import httpx
from lesto import Lesto, plugin


def build(**opts: Any) -> Lesto:
    """app.js: the application, separate from the code that starts a server."""
    app = Lesto(**opts)

    @app.get("/")
    async def index(request, reply):
        return {"hello": "world"}

    return app


def build_with_send() -> Lesto:
    """The guide's second app.js: the handler answers with ``reply.send``."""
    app = Lesto()

    @app.get("/")
    def index(request, reply):
        reply.send({"hello": "world"})

    return app


async def test_requests_the_root_route() -> None:
    app = build()
    response = await app.inject(method="GET", url="/")
    assert response.status_code == 200
    assert response.body == '{"hello":"world"}'


async def test_get_root_route_with_reply_send() -> None:
    app = build_with_send()
    try:
        response = await app.inject(method="GET", url="/")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json; charset=utf-8"
        assert response.json() == {"hello": "world"}
    finally:
        await app.close()


async def test_inject_chained_and_awaited() -> None:
    app = build()
    response = await app.inject().get("/").headers({"foo": "bar"}).query({"foo": "bar"}).end()
    assert response.json() == {"hello": "world"}
    response = await app.inject(method="GET", url="/", headers={"foo": "bar"})
    assert response.status_code == 200


async def test_should_work_with_a_real_http_client() -> None:
    app = build_with_send()
    await app.listen()
    try:
        port = app.addresses()[0].port
        async with httpx.AsyncClient() as client:
            response = await client.get(f"http://localhost:{port}/")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json; charset=utf-8"
        assert response.text == '{"hello":"world"}'
        assert response.json()["hello"] == "world"
    finally:
        await app.close()


async def test_should_work_on_a_keep_alive_client_across_requests() -> None:
    app = build()
    url = await app.listen()
    try:
        async with httpx.AsyncClient(base_url=url) as client:
            bodies = [(await client.get("/")).json() for _ in range(3)]
        assert bodies == [{"hello": "world"}] * 3
    finally:
        await app.close()


async def test_the_server_file_with_a_logger(capsys: Any) -> None:
    """server.js: the same app, built with logger options, listening."""
    server = build(logger={"level": "info"})
    url = await server.listen(port=0)
    try:
        async with httpx.AsyncClient() as client:
            assert (await client.get(url)).status_code == 200
    finally:
        await server.close()
    output = capsys.readouterr().out
    assert f'"msg":"Server listening at {url}"' in output
    assert '"msg":"request completed"' in output


@plugin
async def my_first_plugin(app: Lesto, options: dict[str, Any]) -> None:
    app.decorate_request("hello_request", "Hello World")
    app.decorate("hello_instance", "Hello Lesto Instance")


async def test_the_plugin_route() -> None:
    app = Lesto()
    app.register(my_first_plugin)
    seen: dict[str, Any] = {}

    @app.get("/")
    async def index(request, reply):
        seen["request"] = request.hello_request
        seen["instance"] = app.hello_instance
        return {"message": request.hello_request}

    response = await app.inject(method="GET", url="/")
    assert response.status_code == 200
    assert response.json() == {"message": "Hello World"}
    assert seen == {"request": "Hello World", "instance": "Hello Lesto Instance"}
