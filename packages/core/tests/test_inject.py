"""inject(): in-process requests to plain ASGI apps (light-my-request behaviour)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, MutableMapping
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from lesto import errors
from lesto.inject import Chain, InjectResponse, inject

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]


# --- small ASGI apps -----------------------------------------------------------------------


async def read_body(receive: Any) -> tuple[bytes, list[Message]]:
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if not message.get("more_body", False):
            return b"".join(m.get("body", b"") for m in messages), messages


async def reply(send: Any, status: int, body: bytes, headers: list[Any] | None = None) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers or []})
    await send({"type": "http.response.body", "body": body})


async def echo(scope: Scope, receive: Any, send: Any) -> None:
    """Answers JSON describing the scope and the body it received."""
    body, messages = await read_body(receive)
    described = {
        key: (value.decode("latin-1") if isinstance(value, bytes) else value)
        for key, value in scope.items()
        if key != "headers"
    }
    described["headers"] = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]]
    described["body"] = body.decode("latin-1")
    described["messages"] = [[m["type"], m.get("more_body", False)] for m in messages]
    await reply(send, 200, orjson.dumps(described), [(b"content-type", b"application/json")])


async def echoed(**options: Any) -> dict[str, Any]:
    response = await inject(echo, **options)
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


def header_values(described: dict[str, Any], name: str) -> list[str]:
    return [value for key, value in described["headers"] if key == name]


# --- the scope -----------------------------------------------------------------------------


async def test_default_scope_is_a_complete_asgi_http_scope() -> None:
    scope = await echoed()
    assert scope["type"] == "http"
    assert scope["asgi"] == {"version": "3.0", "spec_version": "2.4"}
    assert scope["http_version"] == "1.1"
    assert scope["method"] == "GET"
    assert scope["scheme"] == "http"
    assert scope["path"] == "/"
    assert scope["raw_path"] == "/"
    assert scope["query_string"] == ""
    assert scope["root_path"] == ""
    assert scope["client"] == ["127.0.0.1", 0]
    assert scope["server"] == ["localhost", 80]
    assert scope["headers"] == [["user-agent", "lightMyRequest"], ["host", "localhost:80"]]


async def test_scope_types_are_those_asgi_requires() -> None:
    seen: list[Scope] = []

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        seen.append(scope)
        await reply(send, 204, b"")

    await inject(app, url="/x?a=1")
    (scope,) = seen
    assert isinstance(scope["raw_path"], bytes)
    assert isinstance(scope["query_string"], bytes)
    assert all(isinstance(k, bytes) and isinstance(v, bytes) for k, v in scope["headers"])


async def test_method_is_uppercased() -> None:
    assert (await echoed(method="patch"))["method"] == "PATCH"


async def test_path_is_decoded_and_raw_path_keeps_the_encoding() -> None:
    scope = await echoed(url="/a%20b/caf\u00e9/%2F?x=1#frag")
    assert scope["path"] == "/a b/caf\u00e9//"
    assert scope["raw_path"] == "/a%20b/caf%C3%A9/%2F"
    assert scope["query_string"] == "x=1"


async def test_url_without_leading_slash_and_dot_segments_are_kept() -> None:
    assert (await echoed(url="users"))["path"] == "/users"
    assert (await echoed(url="/a/../b"))["raw_path"] == "/a/../b"


async def test_query_mapping_is_merged_into_the_url_query() -> None:
    scope = await echoed(url="/?keep=1&y=old", query={"y": ["3", "4"], "z": True, "n": 2})
    assert scope["query_string"] == "keep=1&y=3&y=4&z=true&n=2"


async def test_query_string_option_replaces_the_same_keys() -> None:
    scope = await echoed(url="/?a=1&b=2", query="b=3&c=a b")
    assert scope["query_string"] == "a=1&b=3&c=a+b"


async def test_url_query_without_query_option_is_sent_as_written() -> None:
    assert (await echoed(url="/?a=%2F&b=c+d&e"))["query_string"] == "a=%2F&b=c+d&e"


async def test_absolute_url_sets_scheme_host_and_server() -> None:
    scope = await echoed(url="https://example.com/p?q=1")
    assert (scope["scheme"], scope["path"], scope["query_string"]) == ("https", "/p", "q=1")
    assert header_values(scope, "host") == ["example.com:443"]
    assert scope["server"] == ["example.com", 443]
    with_port = await echoed(url="http://[::1]:8000/")
    assert header_values(with_port, "host") == ["[::1]:8000"]


async def test_authority_sets_host_header_and_server() -> None:
    scope = await echoed(authority="api.test:8080")
    assert header_values(scope, "host") == ["api.test:8080"]
    assert scope["server"] == ["api.test", 8080]
    ipv6 = await echoed(authority="[::1]:9000")
    assert ipv6["server"] == ["::1", 9000]


async def test_remote_address_is_the_client() -> None:
    assert (await echoed(remote_address="10.0.0.7"))["client"] == ["10.0.0.7", 0]


async def test_headers_are_lowercased_and_lists_repeat_them() -> None:
    scope = await echoed(headers={"X-Token": "abc", "X-Many": ["1", "2"], "X-Num": 5})
    assert header_values(scope, "x-token") == ["abc"]
    assert header_values(scope, "x-many") == ["1", "2"]
    assert header_values(scope, "x-num") == ["5"]
    assert all(name == name.lower() for name, _ in scope["headers"])


async def test_given_user_agent_and_host_replace_the_defaults() -> None:
    scope = await echoed(headers={"User-Agent": "me", "Host": "h.test"})
    assert header_values(scope, "user-agent") == ["me"]
    assert header_values(scope, "host") == ["h.test"]


async def test_none_user_agent_or_content_type_leaves_the_default_out() -> None:
    scope = await echoed(headers={"user-agent": None, "content-type": None}, payload={"a": 1})
    assert header_values(scope, "user-agent") == []
    assert header_values(scope, "content-type") == []
    assert header_values(scope, "content-length") == ["7"]


async def test_none_for_another_header_is_an_error() -> None:
    with pytest.raises(errors.LST_ERR_INJECT_INVALID_OPTION):
        await inject(echo, headers={"x-a": None})


async def test_unsendable_header_value_is_an_error() -> None:
    with pytest.raises(errors.LST_ERR_INJECT_INVALID_OPTION):
        await inject(echo, headers={"x-a": {"nested": 1}})  # type: ignore[dict-item]


async def test_cookies_are_encoded_and_appended_to_a_cookie_header() -> None:
    scope = await echoed(cookies={"a": "1", "b": "x y;z"})
    assert header_values(scope, "cookie") == ["a=1; b=x%20y%3Bz"]
    merged = await echoed(headers={"cookie": "first=0"}, cookies={"a": "1"})
    assert header_values(merged, "cookie") == ["first=0; a=1"]


async def test_bad_url_and_method_are_errors() -> None:
    with pytest.raises(errors.LST_ERR_INJECT_INVALID_OPTION):
        await inject(echo, url=42)  # type: ignore[arg-type]
    with pytest.raises(errors.LST_ERR_INJECT_INVALID_OPTION):
        await inject(echo, url="ftp://example.com/")
    with pytest.raises(errors.LST_ERR_INJECT_INVALID_OPTION):
        await inject(echo, method="")


# --- the request body ----------------------------------------------------------------------


async def test_no_payload_sends_one_empty_final_body_message() -> None:
    scope = await echoed()
    assert scope["body"] == ""
    assert scope["messages"] == [["http.request", False]]
    assert header_values(scope, "content-length") == []


async def test_dict_and_list_payloads_are_sent_as_json() -> None:
    scope = await echoed(method="POST", payload={"hello": "w\u00f6rld"})
    assert orjson.loads(scope["body"].encode("latin-1")) == {"hello": "w\u00f6rld"}
    assert header_values(scope, "content-type") == ["application/json"]
    assert header_values(scope, "content-length") == [
        str(len(orjson.dumps({"hello": "w\u00f6rld"})))
    ]
    listed = await echoed(method="POST", payload=[1, 2])
    assert listed["body"] == "[1,2]"


async def test_json_payload_keeps_a_given_content_type() -> None:
    scope = await echoed(method="POST", payload={"a": 1}, headers={"Content-Type": "text/x"})
    assert header_values(scope, "content-type") == ["text/x"]


async def test_str_payload_is_utf8_with_a_byte_content_length() -> None:
    scope = await echoed(method="POST", payload="h\u00e9")
    assert scope["body"].encode("latin-1") == "h\u00e9".encode()
    assert header_values(scope, "content-length") == ["3"]
    assert header_values(scope, "content-type") == []


async def test_bytes_payload_and_body_alias() -> None:
    scope = await echoed(method="POST", body=b"\x00\xff")
    assert scope["body"] == "\x00\xff"
    assert header_values(scope, "content-length") == ["2"]


async def test_empty_payload_sends_no_content_length() -> None:
    assert header_values(await echoed(method="POST", payload=""), "content-length") == []


async def test_a_given_content_length_is_kept_even_if_it_lies() -> None:
    scope = await echoed(method="POST", payload="abc", headers={"content-length": "10"})
    assert header_values(scope, "content-length") == ["10"]
    assert scope["body"] == "abc"


async def test_payload_and_body_together_is_an_error() -> None:
    with pytest.raises(errors.LST_ERR_INJECT_PAYLOAD_AND_BODY):
        await inject(echo, payload="a", body="b")


async def test_unserializable_payload_is_an_error() -> None:
    with pytest.raises(errors.LST_ERR_INJECT_INVALID_OPTION):
        await inject(echo, payload={1, 2})


async def test_sync_iterator_payload_is_streamed_in_chunks() -> None:
    def chunks() -> Iterator[bytes | str]:
        yield b"ab"
        yield "c\u00e9"

    scope = await echoed(method="POST", payload=chunks())
    assert scope["body"].encode("latin-1") == "abc\u00e9".encode()
    assert scope["messages"] == [
        ["http.request", True],
        ["http.request", True],
        ["http.request", False],
    ]
    assert header_values(scope, "transfer-encoding") == ["chunked"]
    assert header_values(scope, "content-length") == []


async def test_async_iterable_payload_is_streamed_in_chunks() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for part in (b"1", b"2", b"3"):
            await asyncio.sleep(0)
            yield part

    scope = await echoed(method="PUT", payload=chunks())
    assert scope["body"] == "123"
    assert len(scope["messages"]) == 4


async def test_streamed_payload_with_content_length_has_no_transfer_encoding() -> None:
    scope = await echoed(method="POST", payload=iter([b"ab"]), headers={"content-length": "2"})
    assert header_values(scope, "transfer-encoding") == []


async def test_a_streamed_chunk_of_the_wrong_type_is_an_error() -> None:
    with pytest.raises(errors.LST_ERR_INJECT_INVALID_OPTION):
        await inject(echo, method="POST", payload=iter([1, 2]))


async def test_receive_waits_for_the_response_then_reports_disconnect() -> None:
    events: list[str] = []

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await read_body(receive)

        async def watch() -> None:
            message = await receive()
            events.append(message["type"])

        watcher = asyncio.create_task(watch())
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"a", "more_body": True})
        for _ in range(5):
            await asyncio.sleep(0)
        events.append("still waiting" if not watcher.done() else "too early")
        await send({"type": "http.response.body", "body": b"b"})
        await watcher

    response = await inject(app)
    assert events == ["still waiting", "http.disconnect"]
    assert response.body == "ab"


async def test_a_receiver_left_waiting_is_released_when_the_app_returns() -> None:
    tasks: list[asyncio.Task[Message]] = []

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await read_body(receive)
        tasks.append(asyncio.create_task(receive()))
        await asyncio.sleep(0)
        raise RuntimeError("handler failed")

    with pytest.raises(RuntimeError, match="handler failed"):
        await inject(app)
    assert (await tasks[0]) == {"type": "http.disconnect"}


# --- the response --------------------------------------------------------------------------


async def test_response_status_headers_and_body() -> None:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await reply(
            send, 201, b'{"ok":true}', [(b"Content-Type", b"application/json"), (b"X-A", b"1")]
        )

    response = await inject(app)
    assert isinstance(response, InjectResponse)
    assert (response.status_code, response.status_message) == (201, "Created")
    assert response.headers == {"content-type": "application/json", "x-a": "1"}
    assert response.raw_headers == [(b"Content-Type", b"application/json"), (b"X-A", b"1")]
    assert response.body == response.payload == '{"ok":true}'
    assert response.raw_payload == b'{"ok":true}'
    assert response.json() == {"ok": True}
    assert "201" in repr(response)


async def test_unknown_status_has_an_empty_message() -> None:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await reply(send, 599, b"")

    assert (await inject(app)).status_message == ""


async def test_streamed_response_body_is_joined() -> None:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for part in (b"one ", b"two ", b""):
            await send({"type": "http.response.body", "body": part, "more_body": True})
        await send({"type": "http.response.body", "body": b"three", "more_body": False})

    assert (await inject(app)).body == "one two three"


async def test_body_that_is_not_utf8_is_replaced_in_body_and_kept_in_raw_payload() -> None:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await reply(send, 200, b"\xff")

    response = await inject(app)
    assert response.raw_payload == b"\xff"
    assert response.body == "\ufffd"


async def test_repeated_headers_become_lists_and_cookies_are_parsed() -> None:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        headers = [
            (b"set-cookie", b"session=a%20b; Path=/; HttpOnly; Secure; SameSite=Lax"),
            (b"Set-Cookie", b"n=1; Max-Age=60; Domain=example.com; Partitioned; Priority=High"),
            (b"set-cookie", b"old=; Expires=Wed, 21 Oct 2015 07:28:00 GMT"),
        ]
        await reply(send, 200, b"", headers)

    response = await inject(app)
    assert isinstance(response.headers["set-cookie"], list)
    assert len(response.headers["set-cookie"]) == 3
    assert response.cookies == [
        {
            "name": "session",
            "value": "a b",
            "path": "/",
            "http_only": True,
            "secure": True,
            "same_site": "Lax",
        },
        {
            "name": "n",
            "value": "1",
            "max_age": 60,
            "domain": "example.com",
            "partitioned": True,
            "priority": "High",
        },
        {"name": "old", "value": "", "expires": datetime(2015, 10, 21, 7, 28, tzinfo=UTC)},
    ]


async def test_a_single_set_cookie_is_a_string_and_no_cookie_is_an_empty_list() -> None:
    async def one(scope: Scope, receive: Any, send: Any) -> None:
        await reply(send, 200, b"", [(b"set-cookie", b"a=1")])

    response = await inject(one)
    assert response.headers["set-cookie"] == "a=1"
    assert response.cookies == [{"name": "a", "value": "1"}]
    assert (await inject(echo)).cookies == []


# --- errors from the app -------------------------------------------------------------------


async def test_an_exception_in_the_app_propagates() -> None:
    class BoomError(Exception):
        pass

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        raise BoomError("no")

    with pytest.raises(BoomError):
        await inject(app)


async def test_an_exception_after_the_response_started_propagates() -> None:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise ValueError("mid-stream")

    with pytest.raises(ValueError, match="mid-stream"):
        await inject(app)


async def test_an_app_that_never_responds_is_an_error() -> None:
    async def silent(scope: Scope, receive: Any, send: Any) -> None:
        return None

    with pytest.raises(errors.LST_ERR_INJECT_INCOMPLETE_RESPONSE):
        await inject(silent)


async def test_an_app_that_never_ends_the_body_is_an_error() -> None:
    async def unfinished(scope: Scope, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"a", "more_body": True})

    with pytest.raises(errors.LST_ERR_INJECT_INCOMPLETE_RESPONSE):
        await inject(unfinished)


@pytest.mark.parametrize(
    "messages",
    [
        [{"type": "http.response.body", "body": b""}],
        [
            {"type": "http.response.start", "status": 200, "headers": []},
            {"type": "http.response.start", "status": 200, "headers": []},
        ],
        [
            {"type": "http.response.start", "status": 200, "headers": []},
            {"type": "http.response.body", "body": b""},
            {"type": "http.response.body", "body": b"late"},
        ],
        [{"type": "http.response.start", "status": "200", "headers": []}],
        [{"type": "websocket.send", "text": "x"}],
    ],
    ids=["body-first", "start-twice", "after-end", "status-not-int", "unknown-type"],
)
async def test_asgi_protocol_violations_are_errors(messages: list[Message]) -> None:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        for message in messages:
            await send(message)

    with pytest.raises(errors.LST_ERR_INJECT_ASGI_PROTOCOL):
        await inject(app)


# --- the chain -----------------------------------------------------------------------------


async def test_chain_sets_every_option_and_is_awaitable() -> None:
    chain = (
        Chain(echo)
        .post("/items?a=1")
        .headers({"X-A": "1"})
        .query({"b": "2"})
        .payload({"n": 1})
        .cookies({"c": "3"})
    )
    response = await chain
    scope = response.json()
    assert (scope["method"], scope["path"], scope["query_string"]) == ("POST", "/items", "a=1&b=2")
    assert header_values(scope, "x-a") == ["1"]
    assert header_values(scope, "cookie") == ["c=3"]
    assert scope["body"] == '{"n":1}'


async def test_chain_end_returns_the_response() -> None:
    response = await Chain(echo).put("/p").body("raw").end()
    scope = response.json()
    assert (scope["method"], scope["body"]) == ("PUT", "raw")


@pytest.mark.parametrize(
    "method", ["delete", "get", "head", "options", "patch", "post", "put", "trace"]
)
async def test_chain_method_shorthands(method: str) -> None:
    response = await getattr(Chain(echo), method)("/m")
    assert response.json()["method"] == method.upper()


async def test_chain_takes_initial_options() -> None:
    response = await Chain(echo, url="/start", method="DELETE")
    assert (response.json()["method"], response.json()["path"]) == ("DELETE", "/start")


async def test_chain_setters_after_it_ran_are_errors() -> None:
    chain = Chain(echo).get("/")
    await chain
    for setter, value in [("headers", {}), ("query", {}), ("payload", "x"), ("get", "/")]:
        with pytest.raises(errors.LST_ERR_INJECT_ALREADY_INVOKED):
            getattr(chain, setter)(value)
    with pytest.raises(errors.LST_ERR_INJECT_ALREADY_INVOKED):
        await chain.end()
    with pytest.raises(errors.LST_ERR_INJECT_ALREADY_INVOKED):
        await chain


async def test_chain_is_locked_as_soon_as_end_is_called() -> None:
    chain = Chain(echo).get("/")
    pending = chain.end()
    with pytest.raises(errors.LST_ERR_INJECT_ALREADY_INVOKED):
        chain.cookies({"a": "1"})
    assert (await pending).status_code == 200


async def test_chain_with_payload_and_body_is_an_error() -> None:
    with pytest.raises(errors.LST_ERR_INJECT_PAYLOAD_AND_BODY):
        await Chain(echo).post("/").payload("a").body("b")


async def test_chain_dispatches_through_any_asgi_callable() -> None:
    """How an app can expose ``inject``: a wrapper that readies it first."""
    ready: list[str] = []

    async def dispatch(scope: Scope, receive: Any, send: Any) -> None:
        ready.append("ready")
        await echo(scope, receive, send)

    response = await Chain(dispatch).get("/")
    assert (response.status_code, ready) == (200, ["ready"])
