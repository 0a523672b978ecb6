"""Body parsing over HTTP: built-in and custom parsers, limits, encapsulation, errors."""

import asyncio
import re

import pytest
from lesto import Lesto, errors


def echo(request, reply):
    return {"body": request.body}


def echo_app(**options):
    app = Lesto(**options)
    app.post("/", echo)
    return app


async def post(app, body, content_type, url="/", **options):
    headers = {} if content_type is None else {"content-type": content_type}
    return await app.inject(method="POST", url=url, body=body, headers=headers, **options)


async def raw_request(app, method, headers, chunks, path="/"):
    """Send a request by hand: ``chunks`` are the body messages, headers exactly as given."""
    messages = [
        {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ]
    received = []
    sent = []

    async def receive():
        if messages:
            message = messages.pop(0)
            received.append(len(message["body"]))
            return message
        await asyncio.sleep(30)
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(name.encode(), value.encode()) for name, value in headers],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 80),
    }
    await app(scope, receive, send)
    body = b"".join(message.get("body", b"") for message in sent[1:])
    return sent[0]["status"], body, received


# --- built-in parsers ----------------------------------------------------------------------


async def test_json_body():
    response = await post(echo_app(), b'{"a": [1, 2]}', "application/json")
    assert response.json() == {"body": {"a": [1, 2]}}


async def test_json_with_charset_and_case():
    response = await post(echo_app(), b'"x"', "Application/JSON; charset=utf-8")
    assert response.json() == {"body": "x"}


async def test_text_body():
    response = await post(echo_app(), "héllo".encode(), "text/plain; charset=utf-8")
    assert response.json() == {"body": "héllo"}


async def test_empty_json_body_is_400():
    response = await echo_app().inject(
        method="POST",
        url="/",
        body=b"",
        headers={"content-type": "application/json", "content-length": "0"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "LST_ERR_CTP_EMPTY_JSON_BODY"


async def test_json_content_type_without_any_body_is_no_body():
    # Like Fastify: no Content-Length and no Transfer-Encoding means no body to parse.
    response = await post(echo_app(), b"", "application/json")
    assert response.json() == {"body": None}


@pytest.mark.parametrize("body", [b"{", b"{a:1}", b"[1,]", b'{"a":1} x', b"\xff"])
async def test_invalid_json_is_400(body):
    response = await post(echo_app(), body, "application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "LST_ERR_CTP_INVALID_JSON_BODY"


async def test_invalid_utf8_text_is_400():
    response = await post(echo_app(), b"\xff\xfe", "text/plain")
    assert response.status_code == 400
    assert response.json()["code"] == "LST_ERR_CTP_INVALID_UTF8_BODY"


@pytest.mark.parametrize("content_type", ["application/xml", "image/png", "", "nonsense"])
async def test_unsupported_media_type_is_415(content_type):
    response = await post(echo_app(), b"<a/>", content_type)
    assert response.status_code == 415
    assert response.json()["code"] == "LST_ERR_CTP_INVALID_MEDIA_TYPE"


async def test_body_without_content_type_is_415():
    status, body, _ = await raw_request(echo_app(), "POST", [("content-length", "3")], [b"abc"])
    assert status == 415
    assert b"LST_ERR_CTP_INVALID_MEDIA_TYPE" in body


async def test_no_body_at_all_is_none():
    response = await echo_app().inject(method="POST", url="/")
    assert response.json() == {"body": None}


@pytest.mark.parametrize("method", ["GET", "HEAD"])
async def test_get_and_head_bodies_are_not_parsed(method):
    app = Lesto()
    seen = []
    app.get("/", lambda request, reply: seen.append(request.body) or "ok")
    response = await app.inject(
        method=method, url="/", body=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 200
    assert seen == [None]


# --- custom parsers ------------------------------------------------------------------------


async def test_custom_parser_for_a_media_type_and_a_list():
    app = echo_app()
    app.add_content_type_parser(
        ["application/x-www-form-urlencoded", "application/x-form"],
        lambda request, body: dict(pair.split("=") for pair in body.decode().split("&")),
    )
    response = await post(app, b"a=1&b=2", "application/x-www-form-urlencoded")
    assert response.json() == {"body": {"a": "1", "b": "2"}}
    assert app.has_content_type_parser("application/x-form")


async def test_custom_parser_as_decorator_with_parse_as_str():
    app = echo_app()

    @app.add_content_type_parser("application/csv", parse_as="str")
    def csv(request, body):
        return [line.split(",") for line in body.splitlines()]

    response = await post(app, b"a,b\nc,d", "application/csv")
    assert response.json() == {"body": [["a", "b"], ["c", "d"]]}


async def test_regex_parser():
    app = echo_app()
    app.add_content_type_parser(re.compile(r"^image/"), lambda request, body: len(body))
    response = await post(app, b"\x89PNG", "image/png")
    assert response.json() == {"body": 4}


async def test_catch_all_parser_gets_everything_else():
    app = echo_app()
    app.add_content_type_parser("*", lambda request, body: {"raw": body.decode()})
    assert (await post(app, b"<a/>", "application/xml")).json() == {"body": {"raw": "<a/>"}}
    status, body, _ = await raw_request(app, "POST", [("content-length", "2")], [b"hi"])
    assert (status, body) == (200, b'{"body":{"raw":"hi"}}')
    # the built-in JSON parser still wins for JSON
    assert (await post(app, b"[1]", "application/json")).json() == {"body": [1]}


async def test_async_parser():
    app = echo_app()

    async def parser(request, body):
        await asyncio.sleep(0)
        return {"async": body.decode()}

    app.add_content_type_parser("application/x-async", parser)
    assert (await post(app, b"abc", "application/x-async")).json() == {"body": {"async": "abc"}}


async def test_parser_errors_go_to_the_error_handler():
    app = echo_app()

    def parser(request, body):
        raise errors.LST_ERR_CTP_INVALID_JSON_BODY("application/x-strict")

    app.add_content_type_parser("application/x-strict", parser)
    response = await post(app, b"x", "application/x-strict")
    assert response.status_code == 400


async def test_replacing_the_built_in_json_parser():
    app = echo_app()
    app.add_content_type_parser("application/json", lambda request, body: {"custom": len(body)})
    assert (await post(app, b"{}", "application/json")).json() == {"body": {"custom": 2}}


async def test_remove_parsers():
    app = echo_app()
    app.remove_content_type_parser("text/plain")
    assert not app.has_content_type_parser("text/plain")
    assert (await post(app, b"hi", "text/plain")).status_code == 415
    assert (await post(app, b"[]", "application/json")).status_code == 200

    app = echo_app()
    app.remove_all_content_type_parsers()
    assert (await post(app, b"[]", "application/json")).status_code == 415


async def test_parser_registration_errors():
    app = Lesto()
    app.add_content_type_parser("application/x-a", lambda request, body: body)
    with pytest.raises(errors.LST_ERR_CTP_ALREADY_PRESENT):
        app.add_content_type_parser("application/x-a", lambda request, body: body)
    with pytest.raises(errors.LST_ERR_CTP_INVALID_TYPE):
        app.add_content_type_parser(3, lambda request, body: body)
    with pytest.raises(errors.LST_ERR_CTP_EMPTY_TYPE):
        app.add_content_type_parser("", lambda request, body: body)
    with pytest.raises(errors.LST_ERR_CTP_INVALID_HANDLER):
        app.add_content_type_parser("application/x-b", "not a function")
    with pytest.raises(errors.LST_ERR_CTP_INVALID_PARSE_TYPE):
        app.add_content_type_parser("application/x-b", lambda r, b: b, parse_as="json")
    await app.ready()
    with pytest.raises(errors.LST_ERR_CTP_INSTANCE_ALREADY_STARTED):
        app.add_content_type_parser("application/x-c", lambda request, body: body)


async def test_parsers_are_encapsulated_per_context():
    app = Lesto()

    def with_xml(instance, opts):
        instance.add_content_type_parser("application/xml", lambda request, body: "xml!")
        instance.post("/", echo)

        def grandchild(inner, opts):
            inner.post("/", echo)

        instance.register(grandchild, prefix="/inner")

    def without(instance, opts):
        instance.remove_content_type_parser("application/json")
        instance.post("/", echo)

    app.register(with_xml, prefix="/xml")
    app.register(without, prefix="/nojson")
    app.post("/", echo)

    assert (await post(app, b"<a/>", "application/xml", url="/xml")).json() == {"body": "xml!"}
    assert (await post(app, b"<a/>", "application/xml", url="/xml/inner")).status_code == 200
    assert (await post(app, b"<a/>", "application/xml", url="/")).status_code == 415
    assert (await post(app, b"[]", "application/json", url="/nojson")).status_code == 415
    assert (await post(app, b"[]", "application/json", url="/")).status_code == 200
    assert not app.has_content_type_parser("application/xml")


# --- body limits -----------------------------------------------------------------------------


async def test_app_body_limit_default_is_one_mib():
    app = echo_app()
    assert app.initial_config["body_limit"] == 1024 * 1024
    ok = await post(app, b"x" * (1024 * 1024), "text/plain")
    assert ok.status_code == 200
    too_large = await post(app, b"x" * (1024 * 1024 + 1), "text/plain")
    assert too_large.status_code == 413
    assert too_large.json()["code"] == "LST_ERR_CTP_BODY_TOO_LARGE"


async def test_app_and_route_body_limits():
    app = Lesto(body_limit=10)
    app.post("/", echo)
    app.post("/bigger", echo, body_limit=20)
    app.post("/smaller", echo, body_limit=3)
    assert (await post(app, b"x" * 10, "text/plain")).status_code == 200
    assert (await post(app, b"x" * 11, "text/plain")).status_code == 413
    assert (await post(app, b"x" * 20, "text/plain", url="/bigger")).status_code == 200
    assert (await post(app, b"x" * 21, "text/plain", url="/bigger")).status_code == 413
    assert (await post(app, b"x" * 4, "text/plain", url="/smaller")).status_code == 413


async def test_parser_body_limit_applies_unless_the_route_has_one():
    app = Lesto(body_limit=100)
    app.add_content_type_parser("application/x-tiny", lambda r, body: len(body), body_limit=3)
    app.post("/", echo)
    app.post("/route-limit", echo, body_limit=50)
    assert (await post(app, b"abc", "application/x-tiny")).json() == {"body": 3}
    assert (await post(app, b"abcd", "application/x-tiny")).status_code == 413
    assert (await post(app, b"abcd", "application/x-tiny", url="/route-limit")).status_code == 200


async def test_declared_content_length_over_the_limit_fails_before_reading():
    app = echo_app(body_limit=10)
    status, body, received = await raw_request(
        app, "POST", [("content-type", "text/plain"), ("content-length", "1000000")], [b"x"]
    )
    assert status == 413
    assert b"LST_ERR_CTP_BODY_TOO_LARGE" in body
    assert received == []


async def test_lying_content_length_never_buffers_past_the_limit():
    app = echo_app(body_limit=10)
    chunks = [b"x" * 6] * 100
    status, body, received = await raw_request(
        app, "POST", [("content-type", "text/plain"), ("content-length", "5")], chunks
    )
    assert status == 400
    assert b"LST_ERR_CTP_INVALID_CONTENT_LENGTH" in body
    assert sum(received) <= 10 + 6  # stopped at the first chunk past what was declared


async def test_chunked_body_over_the_limit_is_413_while_streaming():
    app = echo_app(body_limit=10)
    chunks = [b"x" * 4] * 100
    status, _, received = await raw_request(
        app, "POST", [("content-type", "text/plain"), ("transfer-encoding", "chunked")], chunks
    )
    assert status == 413
    assert len(received) == 3  # 12 bytes read, then it stopped


async def test_body_shorter_than_content_length_is_400():
    status, body, _ = await raw_request(
        echo_app(), "POST", [("content-type", "text/plain"), ("content-length", "10")], [b"abc"]
    )
    assert status == 400
    assert b"LST_ERR_CTP_INVALID_CONTENT_LENGTH" in body


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "1e3", "9" * 5000])
async def test_malformed_content_length_is_4xx(value):
    status, _, _ = await raw_request(
        echo_app(), "POST", [("content-type", "text/plain"), ("content-length", value)], [b"abc"]
    )
    assert status in (400, 413)


async def test_chunked_body_within_the_limit_is_parsed():
    status, body, _ = await raw_request(
        echo_app(),
        "POST",
        [("content-type", "application/json"), ("transfer-encoding", "chunked")],
        [b'{"a":', b"", b"1}"],
    )
    assert (status, body) == (200, b'{"body":{"a":1}}')
