"""``app.inject()`` on a Lesto app: readies it, no socket, options and the chain API."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest
from lesto import Lesto, errors, plugin


def echo_app() -> Lesto:
    app = Lesto()

    def echo(request, reply):
        return {
            "method": request.method,
            "url": request.url,
            "query": request.query,
            "body": request.body,
            "cookie": request.headers.get("cookie"),
            "foo": request.headers.get("foo"),
            "ip": request.ip,
            "host": request.host,
        }

    app.route(
        method=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], url="/echo", handler=echo
    )
    return app


async def test_inject_readies_the_app_first() -> None:
    app = Lesto()
    events: list[str] = []

    async def db(instance: Lesto, opts: dict[str, Any]) -> None:
        await asyncio.sleep(0)
        events.append("plugin loaded")

    app.register(plugin(db))
    app.add_hook("on_ready", lambda instance: events.append("ready"))
    app.get("/", lambda request, reply: {"events": list(events)})
    assert not app.is_started
    response = await app.inject(url="/")
    assert response.json() == {"events": ["plugin loaded", "ready"]}
    assert app.is_started


async def test_inject_reports_a_plugin_load_error() -> None:
    app = Lesto()

    def broken(instance: Lesto, opts: dict[str, Any]) -> None:
        raise ConnectionError("no database")

    app.register(broken)
    with pytest.raises(ConnectionError):
        await app.inject(url="/")


async def test_inject_opens_no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_sockets(*args: object, **kwargs: object) -> None:
        raise AssertionError("inject opened a socket")

    app = Lesto()
    app.get("/", lambda request, reply: "no network")
    monkeypatch.setattr(socket, "socket", no_sockets)
    monkeypatch.setattr(socket, "create_connection", no_sockets)
    response = await app.inject(url="/")
    assert (response.status_code, response.body) == (200, "no network")
    assert app.addresses() == []


async def test_response_fields() -> None:
    app = Lesto()

    @app.get("/")
    def index(request, reply):
        reply.header("x-one", "1").header("set-cookie", "a=1; Path=/; HttpOnly")
        reply.header("set-cookie", "b=two%20words; Max-Age=60")
        return {"hello": "world"}

    response = await app.inject(url="/")
    assert response.status_code == 200
    assert response.status_message == "OK"
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.headers["content-length"] == "17"
    assert response.headers["x-one"] == "1"
    assert response.body == response.payload == '{"hello":"world"}'
    assert response.raw_payload == b'{"hello":"world"}'
    assert response.json() == {"hello": "world"}
    assert response.cookies == [
        {"name": "a", "value": "1", "path": "/", "http_only": True},
        {"name": "b", "value": "two words", "max_age": 60},
    ]


async def test_the_chain_api_like_the_testing_guide() -> None:
    app = echo_app()
    response = await app.inject().get("/echo").headers({"foo": "bar"}).query({"foo": "bar"})
    assert response.json()["foo"] == "bar"
    assert response.json()["query"] == {"foo": "bar"}

    ended = await app.inject().post("/echo").payload({"a": 1}).end()
    assert ended.json()["body"] == {"a": 1}
    assert ended.json()["method"] == "POST"


@pytest.mark.parametrize("method", ["delete", "get", "options", "patch", "post", "put"])
async def test_every_chain_method_shorthand_reaches_the_route(method: str) -> None:
    app = echo_app()
    chain = getattr(app.inject(), method)("/echo")
    assert (await chain).json()["method"] == method.upper()


async def test_a_chain_cannot_be_sent_twice() -> None:
    app = echo_app()
    chain = app.inject().get("/echo")
    await chain
    with pytest.raises(errors.LST_ERR_INJECT_ALREADY_INVOKED) as caught:
        chain.headers({"x": "1"})
    assert caught.value.code == "LST_ERR_INJECT_ALREADY_INVOKED"


async def test_cookies_are_sent_in_the_cookie_header() -> None:
    app = echo_app()
    response = await app.inject(
        url="/echo", cookies={"session": "a b", "theme": "dark"}, headers={"cookie": "first=1"}
    )
    assert response.json()["cookie"] == "first=1; session=a%20b; theme=dark"
    chained = await app.inject().get("/echo").cookies({"k": "v"})
    assert chained.json()["cookie"] == "k=v"


async def test_payload_and_body_are_the_same_option() -> None:
    app = echo_app()
    by_payload = await app.inject(method="POST", url="/echo", payload={"n": 1})
    by_body = await app.inject(method="POST", url="/echo", body={"n": 1})
    assert by_payload.json()["body"] == by_body.json()["body"] == {"n": 1}
    text = await app.inject(
        method="PUT", url="/echo", body="plain", headers={"content-type": "text/plain"}
    )
    assert text.json()["body"] == "plain"
    chained = await app.inject().post("/echo").body([1, 2])
    assert chained.json()["body"] == [1, 2]


async def test_payload_and_body_together_is_an_error() -> None:
    app = echo_app()
    with pytest.raises(errors.LST_ERR_INJECT_PAYLOAD_AND_BODY) as caught:
        await app.inject(method="POST", url="/echo", payload={"a": 1}, body={"a": 1})
    assert caught.value.code == "LST_ERR_INJECT_PAYLOAD_AND_BODY"


async def test_query_is_merged_into_the_url_query() -> None:
    app = echo_app()
    response = await app.inject(url="/echo?a=1&b=2", query={"b": "3", "c": ["x", "y"]})
    assert response.json()["query"] == {"a": "1", "b": "3", "c": ["x", "y"]}
    assert response.json()["url"] == "/echo?a=1&b=3&c=x&c=y"
    as_string = await app.inject(url="/echo?a=1", query="a=2&d=4")
    assert as_string.json()["query"] == {"a": "2", "d": "4"}


async def test_remote_address_and_authority() -> None:
    app = echo_app()
    response = await app.inject(url="/echo", remote_address="10.1.2.3", authority="api.test:8080")
    assert response.json()["ip"] == "10.1.2.3"
    assert response.json()["host"] == "api.test:8080"
    default = await app.inject(url="/echo")
    assert (default.json()["ip"], default.json()["host"]) == ("127.0.0.1", "localhost:80")


async def test_inject_goes_through_hooks_and_error_handling() -> None:
    app = Lesto()
    app.add_hook("on_request", lambda request, reply: reply.header("x-hooked", "yes"))
    app.get("/fails", lambda request, reply: 1 / 0)
    response = await app.inject(url="/fails")
    assert response.status_code == 500
    assert response.headers["x-hooked"] == "yes"
    missing = await app.inject(url="/missing")
    assert missing.status_code == 404
    assert missing.json()["code"] == "LST_ERR_NOT_FOUND"


async def test_concurrent_injects_are_independent() -> None:
    app = Lesto()

    @app.get("/wait/:n")
    async def wait(request, reply):
        await asyncio.sleep(0)
        return {"n": int(request.params["n"]), "id": request.id}

    responses = await asyncio.gather(*(app.inject(url=f"/wait/{n}") for n in range(20)))
    assert [response.json()["n"] for response in responses] == list(range(20))
    assert len({response.json()["id"] for response in responses}) == 20


async def test_inject_after_close_fails() -> None:
    app = echo_app()
    await app.inject(url="/echo")
    await app.close()
    with pytest.raises(errors.LST_ERR_REOPENED_CLOSE_SERVER):
        await app.inject(url="/echo")
