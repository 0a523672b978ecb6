"""``Reply``: every method, the payload types and their content types, and its errors."""

import asyncio
import io
import json

import pytest
from lesto import Lesto


def app_with(handler, *, path="/", **options):
    app = Lesto(**options)
    app.get(path, handler)
    return app


# --- status ------------------------------------------------------------------------------------


async def test_code_status_and_status_code():
    def handler(request, reply):
        reply.code(201)
        first = reply.status_code
        reply.status(202)
        second = reply.status_code
        reply.status_code = 203
        return {"first": first, "second": second}

    response = await app_with(handler).inject(url="/")
    assert response.status_code == 203
    assert response.json() == {"first": 201, "second": 202}


@pytest.mark.parametrize("bad", [99, 600, "200", 200.0, True])
async def test_invalid_status_code_is_an_error(bad):
    response = await app_with(lambda request, reply: reply.code(bad)).inject(url="/")
    assert response.status_code == 500
    assert response.json()["code"] == "LST_ERR_BAD_STATUS_CODE"


# --- headers -----------------------------------------------------------------------------------


async def test_header_methods():
    def handler(request, reply):
        reply.header("X-One", "1").headers({"x-two": 2, "X-Three": "3"})
        seen = {
            "has": reply.has_header("x-one"),
            "get": reply.get_header("X-TWO"),
            "missing": reply.get_header("x-nope"),
            "all": reply.get_headers(),
        }
        reply.remove_header("X-Three")
        seen["removed"] = reply.has_header("x-three")
        return seen

    response = await app_with(handler).inject(url="/")
    assert response.json() == {
        "has": True,
        "get": "2",
        "missing": None,
        "all": {"x-one": "1", "x-two": "2", "x-three": "3"},
        "removed": False,
    }
    assert response.headers["x-one"] == "1"
    assert "x-three" not in response.headers


async def test_get_headers_is_a_copy():
    def handler(request, reply):
        reply.get_headers()["x-sneaky"] = "1"
        return "x"

    assert "x-sneaky" not in (await app_with(handler).inject(url="/")).headers


async def test_set_cookie_accumulates():
    def handler(request, reply):
        reply.header("set-cookie", "a=1").header("Set-Cookie", "b=2")
        reply.header("set-cookie", ["c=3", "d=4"])
        return {"cookies": reply.get_header("set-cookie")}

    response = await app_with(handler).inject(url="/")
    assert response.headers["set-cookie"] == ["a=1", "b=2", "c=3", "d=4"]
    assert response.json() == {"cookies": ["a=1", "b=2", "c=3", "d=4"]}
    assert [cookie["name"] for cookie in response.cookies] == ["a", "b", "c", "d"]


async def test_other_headers_are_replaced_and_lists_repeat():
    def handler(request, reply):
        reply.header("x-a", "1").header("x-a", "2").header("vary", ["accept", "origin"])
        return "x"

    response = await app_with(handler).inject(url="/")
    assert response.headers["x-a"] == "2"
    assert response.headers["vary"] == ["accept", "origin"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("x-a", "a\r\nSet-Cookie: x=1"),
        ("x-a", "a\nb"),
        ("x-a", "a\rb"),
        ("x-a", "a\0b"),
        ("x-a\r\nx-b", "v"),
        ("x-a", ["ok", "bad\n"]),
        ("x-a", "snowman \u2603"),
    ],
)
async def test_header_names_and_values_with_cr_or_lf_are_refused(name, value):
    def handler(request, reply):
        reply.header(name, value)
        return "never sent"

    response = await app_with(handler).inject(url="/")
    assert response.status_code == 400
    assert response.json()["code"] == "LST_ERR_INVALID_HEADER_VALUE"
    assert "set-cookie" not in response.headers


async def test_type_sets_the_content_type():
    def handler(request, reply):
        return reply.type("text/html; charset=utf-8").send("<p>hi</p>")

    response = await app_with(handler).inject(url="/")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.body == "<p>hi</p>"


# --- payloads ----------------------------------------------------------------------------------


async def _agen():
    yield b"a"
    yield "b"
    yield b""


def _gen():
    yield "x"
    yield b"y"


@pytest.mark.parametrize(
    ("value", "content_type", "body"),
    [
        ({"a": 1}, "application/json; charset=utf-8", b'{"a":1}'),
        ([1, "two"], "application/json; charset=utf-8", b'[1,"two"]'),
        ("héllo", "text/plain; charset=utf-8", "héllo".encode()),
        (b"\x00\xff", "application/octet-stream", b"\x00\xff"),
        (bytearray(b"ba"), "application/octet-stream", b"ba"),
        (None, None, b""),
        (7, "application/json; charset=utf-8", b"7"),
        (True, "application/json; charset=utf-8", b"true"),
    ],
)
async def test_payload_types_and_content_types(value, content_type, body):
    response = await app_with(lambda request, reply: value).inject(url="/")
    assert response.status_code == 200
    assert response.headers.get("content-type") == content_type
    assert response.raw_payload == body
    assert response.headers["content-length"] == str(len(body))


@pytest.mark.parametrize("make", [_gen, _agen, lambda: iter([b"x", b"y"])])
async def test_sync_and_async_iterators_are_streamed(make):
    response = await app_with(lambda request, reply: make()).inject(url="/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert "content-length" not in response.headers
    assert response.raw_payload in (b"xy", b"ab")


async def test_streamed_body_keeps_a_content_type_set_by_the_handler():
    async def handler(request, reply):
        reply.type("text/event-stream")
        return _agen()

    response = await app_with(handler).inject(url="/")
    assert response.headers["content-type"] == "text/event-stream"
    assert response.raw_payload == b"ab"


async def test_an_explicit_content_type_is_kept_for_json():
    def handler(request, reply):
        reply.type("application/problem+json")
        return {"title": "x"}

    response = await app_with(handler).inject(url="/")
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {"title": "x"}


async def test_send_and_return_reply_and_return_value():
    app = Lesto()
    app.get("/send", lambda request, reply: reply.send({"sent": True}))
    app.get("/return", lambda request, reply: {"returned": True})

    async def send_then_return(request, reply):
        reply.send("first")
        return reply

    app.get("/both", send_then_return)
    assert (await app.inject(url="/send")).json() == {"sent": True}
    assert (await app.inject(url="/return")).json() == {"returned": True}
    assert (await app.inject(url="/both")).body == "first"


async def test_sending_an_exception_goes_to_the_error_handler():
    app = Lesto()
    app.get("/", lambda request, reply: reply.send(PermissionError("no")))
    app.get("/returned", lambda request, reply: LookupError("nope"))
    response = await app.inject(url="/")
    assert response.status_code == 500
    assert response.json()["message"] == "Internal Server Error"
    assert (await app.inject(url="/returned")).status_code == 500


async def test_sending_twice_keeps_the_first_and_logs_rep_already_sent():
    stream = io.StringIO()

    def handler(request, reply):
        reply.send("first")
        reply.send("second")
        reply.send("third")

    response = await app_with(handler, logger={"stream": stream}).inject(url="/")
    assert (response.status_code, response.body) == (200, "first")
    logged = [json.loads(line) for line in stream.getvalue().splitlines()]
    codes = [entry["err"].get("code") for entry in logged if "err" in entry]
    assert codes == ["LST_ERR_REP_ALREADY_SENT", "LST_ERR_REP_ALREADY_SENT"]
    assert all(entry["level"] == 40 for entry in logged if "err" in entry)


async def test_awaiting_send_transmits_at_once():
    app = Lesto()
    events = []
    app.add_hook("on_response", lambda request, reply: events.append("response"))

    async def handler(request, reply):
        await reply.send({"early": True})
        events.append("after send")
        reply.send("ignored")

    app.get("/", handler)
    response = await app.inject(url="/")
    assert response.json() == {"early": True}
    assert events == ["response", "after send"]


async def test_sent():
    seen = []

    def handler(request, reply):
        seen.append(reply.sent)
        reply.send("x")
        seen.append(reply.sent)

    await app_with(handler).inject(url="/")
    assert seen == [False, True]


# --- redirect, not found, hijack -----------------------------------------------------------


async def test_redirect():
    app = Lesto()
    app.get("/old", lambda request, reply: reply.redirect("/new"))
    app.get("/moved", lambda request, reply: reply.redirect("/new", 301))
    app.get("/code-first", lambda request, reply: reply.code(303).redirect("/new", 303))
    response = await app.inject(url="/old")
    assert (response.status_code, response.headers["location"]) == (302, "/new")
    assert response.raw_payload == b""
    assert "content-type" not in response.headers
    assert (await app.inject(url="/moved")).status_code == 301
    assert (await app.inject(url="/code-first")).status_code == 303


async def test_redirect_to_a_url_with_cr_lf_is_refused():
    app = Lesto()
    app.get("/go", lambda request, reply: reply.redirect(request.query["to"]))
    response = await app.inject(url="/go?to=%2Fok%0D%0ASet-Cookie:%20x=1")
    assert response.status_code == 400
    assert response.json()["code"] == "LST_ERR_INVALID_HEADER_VALUE"
    assert "set-cookie" not in response.headers


async def test_call_not_found_uses_the_not_found_handler_of_the_prefix():
    app = Lesto()

    def api(instance, opts):
        instance.set_not_found_handler(
            lambda request, reply: reply.code(404).send({"api": "missing"}),
            pre_handler=lambda request, reply: reply.header("x-pre-handler", "ran"),
        )
        instance.get("/thing", lambda request, reply: reply.call_not_found())

    app.register(api, prefix="/api")
    app.get("/root", lambda request, reply: reply.call_not_found())
    response = await app.inject(url="/api/thing")
    assert response.status_code == 404
    assert response.json() == {"api": "missing"}
    assert response.headers["x-pre-handler"] == "ran"
    default = await app.inject(url="/root")
    assert default.status_code == 404
    assert default.json()["code"] == "LST_ERR_NOT_FOUND"


async def test_call_not_found_inside_a_not_found_handler_sends_a_basic_404():
    app = Lesto()
    app.set_not_found_handler(lambda request, reply: reply.call_not_found())
    response = await app.inject(url="/missing")
    assert response.status_code == 404
    assert response.body == "404 Not Found"


async def test_hijack_leaves_the_response_to_the_handler():
    app = Lesto()
    after = []
    app.add_hook("on_send", lambda request, reply, payload: after.append("on_send"))

    async def handler(request, reply):
        reply.hijack()
        assert reply.sent
        await reply.raw({"type": "http.response.start", "status": 207, "headers": []})
        await reply.raw({"type": "http.response.body", "body": b"raw"})
        return {"ignored": True}

    app.get("/", handler)
    response = await app.inject(url="/")
    assert (response.status_code, response.body) == (207, "raw")
    assert after == []


async def test_an_error_after_hijacking_is_logged_not_sent(caplog):
    app = Lesto()

    async def handler(request, reply):
        reply.hijack()
        await reply.raw({"type": "http.response.start", "status": 200, "headers": []})
        await reply.raw({"type": "http.response.body", "body": b"partial"})
        raise RuntimeError("after hijack")

    app.get("/", handler)
    response = await app.inject(url="/")
    assert (response.status_code, response.body) == (200, "partial")
    assert any("hijacked" in record.getMessage() for record in caplog.records)


# --- serializer, elapsed time --------------------------------------------------------------


async def test_serializer_replaces_the_json_serializer():
    def handler(request, reply):
        reply.serializer(lambda payload: "custom:" + ",".join(sorted(payload)))
        return {"b": 1, "a": 2}

    response = await app_with(handler).inject(url="/")
    assert response.body == "custom:a,b"
    assert response.headers["content-type"] == "application/json; charset=utf-8"


async def test_serializer_with_a_content_type_and_bytes_output():
    def handler(request, reply):
        reply.type("application/x-custom").serializer(lambda payload: repr(payload).encode())
        return [1]

    response = await app_with(handler).inject(url="/")
    assert (response.body, response.headers["content-type"]) == ("[1]", "application/x-custom")


async def test_elapsed_time_grows():
    async def handler(request, reply):
        first = reply.elapsed_time
        await asyncio.sleep(0.02)
        return {"first": first, "second": reply.elapsed_time}

    times = (await app_with(handler).inject(url="/")).json()
    assert 0 <= times["first"] < times["second"]
    assert times["second"] >= 20


async def test_reply_knows_its_request_and_server():
    app = Lesto()
    app.decorate("name", "root")

    def handler(request, reply):
        return {"same": reply.request is request, "server": reply.server.name}

    app.get("/", handler)
    assert (await app.inject(url="/")).json() == {"same": True, "server": "root"}
