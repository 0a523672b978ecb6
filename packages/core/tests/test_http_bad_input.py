"""Bad input gets a 4xx, never a 500, and the app keeps serving afterwards.

Each case is checked in process (inject or a hand-made ASGI request) and the
ones a client can really send are also checked over a socket; property
tests throw arbitrary paths, query strings, headers and bodies at an app and
assert that nothing answers 5xx.
"""

import asyncio
import string

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lesto import Lesto


def build_app():
    app = Lesto(body_limit=64)
    app.get("/items/:id", lambda request, reply: {"id": request.params["id"], "q": request.query})
    app.post("/items", lambda request, reply: {"body": request.body})
    app.get("/files/*", lambda request, reply: {"path": request.params["*"]})

    def reflect(request, reply):
        reply.header("x-echo", request.query.get("v", ""))
        return "ok"

    app.get("/reflect", reflect)
    return app


async def still_serving(app):
    response = await app.inject(url="/items/1")
    assert response.status_code == 200
    assert response.json() == {"id": "1", "q": {}}


async def raw_asgi(app, method, path, headers, chunks):
    messages = [
        {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ] or [{"type": "http.request", "body": b""}]
    sent = []

    async def receive():
        if messages:
            return messages.pop(0)
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
        "raw_path": path.encode("utf-8", "surrogatepass"),
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def expect(app, status, code, **request):
    response = await app.inject(**request)
    assert response.status_code == status, response.body
    if code is not None:
        assert response.json()["code"] == code
    await still_serving(app)


# --- each kind of bad input ------------------------------------------------------------------


async def test_bad_percent_encoding():
    app = build_app()
    for url in ("/items/%zz", "/items/%", "/items/%E0%A4%A", "/items/%C3%28", "/files/a/%G1"):
        await expect(app, 400, "LST_ERR_BAD_URL", url=url)


async def test_overlong_params():
    app = build_app()
    await expect(app, 404, "LST_ERR_NOT_FOUND", url="/items/" + "9" * 101)
    await expect(app, 404, "LST_ERR_NOT_FOUND", url="/items/" + "%41" * 101)


async def test_lying_content_length():
    app = build_app()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"2")]
    status, body = await raw_asgi(app, "POST", "/items", headers, [b"[1,", b"2,", b"3]"])
    assert (status, b"LST_ERR_CTP_INVALID_CONTENT_LENGTH" in body) == (400, True)
    headers = [(b"content-type", b"application/json"), (b"content-length", b"50")]
    status, body = await raw_asgi(app, "POST", "/items", headers, [b"[1]"])
    assert (status, b"LST_ERR_CTP_INVALID_CONTENT_LENGTH" in body) == (400, True)
    await still_serving(app)


async def test_oversized_bodies():
    app = build_app()
    await expect(
        app, 413, "LST_ERR_CTP_BODY_TOO_LARGE", method="POST", url="/items", payload=[0] * 100
    )
    headers = [(b"content-type", b"text/plain"), (b"transfer-encoding", b"chunked")]
    status, body = await raw_asgi(app, "POST", "/items", headers, [b"x" * 40] * 10)
    assert (status, b"LST_ERR_CTP_BODY_TOO_LARGE" in body) == (413, True)
    await still_serving(app)


async def test_invalid_json():
    app = build_app()
    headers = {"content-type": "application/json"}
    for body in (b"{", b"nul", b"\xff\xfe", b'{"a": NaN}', b"[" * 2000 + b"]" * 2000):
        await expect(
            app,
            400 if len(body) < 64 else 413,
            None,
            method="POST",
            url="/items",
            body=body,
            headers=headers,
        )


async def test_unsupported_media_types():
    app = build_app()
    for content_type in ("application/xml", "multipart/form-data; boundary=x", "}{", ";"):
        await expect(
            app,
            415,
            "LST_ERR_CTP_INVALID_MEDIA_TYPE",
            method="POST",
            url="/items",
            body=b"<x/>",
            headers={"content-type": content_type},
        )


async def test_cr_lf_in_a_reflected_header_value():
    app = build_app()
    for value in ("%0D%0ASet-Cookie:%20a=1", "a%0Ab", "a%0Db", "a%00b"):
        await expect(app, 400, "LST_ERR_INVALID_HEADER_VALUE", url="/reflect?v=" + value)


async def test_malformed_query_strings_and_header_bytes():
    app = build_app()
    await expect(app, 200, None, url="/items/1?%zz=%&&==&a[=1")
    status, _ = await raw_asgi(app, "GET", "/items/1", [(b"x-bin", bytes(range(256)))], [])
    assert status == 200


# --- over a real socket ------------------------------------------------------------------------


async def _raw_http(port, data):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    response = await asyncio.wait_for(reader.read(65536), 5)
    writer.close()
    return response


async def test_bad_input_over_a_socket_then_still_serving():
    app = build_app()
    address = await app.listen(port=0)
    port = int(address.rsplit(":", 1)[1])
    try:
        requests = {
            b"GET /items/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n": b" 400 ",
            b"POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\nConnection: close\r\n\r\n[1]": b" 413 ",
            b"POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 3\r\nConnection: close\r\n\r\n{x}": b" 400 ",
            b"POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\n"
            b"Content-Length: 3\r\nConnection: close\r\n\r\n<a>": b" 415 ",
            b"GET /reflect?v=a%0D%0Ab HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n": b" 400 ",
            b"GET /items/1 HTTP/1.1\r\nHost: x\r\nX-Bad: a\rb\r\n"
            b"Connection: close\r\n\r\n": b" 400 ",
        }
        for request, status in requests.items():
            response = await _raw_http(port, request)
            assert status in response.split(b"\r\n", 1)[0], (request, response[:200])
        async with httpx.AsyncClient() as client:
            response = await client.get(address + "/items/1")
        assert response.json() == {"id": "1", "q": {}}
    finally:
        await app.close()


# --- properties ----------------------------------------------------------------------------

PATH_CHARS = string.ascii_letters + string.digits + "/%:*?.-_~!$&'()+,;=@[]{}^|`\"<> \\"
HEADER_NAME = st.text(alphabet=string.ascii_lowercase + "-", min_size=1, max_size=20)
HEADER_VALUE = st.binary(max_size=60).filter(
    lambda value: b"\r" not in value and b"\n" not in value
)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

APP = build_app()


def _assert_not_5xx(status, body):
    assert status < 500, body


@SETTINGS
@given(
    path=st.text(alphabet=PATH_CHARS, max_size=120) | st.text(max_size=60),
    method=st.sampled_from(["GET", "POST", "HEAD", "BREW"]),
)
def test_property_paths_never_5xx(path, method):
    async def run():
        status, body = await raw_asgi(APP, method, "/" + path, [], [])
        _assert_not_5xx(status, body)

    asyncio.run(run())


@SETTINGS
@given(query=st.text(max_size=100), value=st.text(max_size=30))
def test_property_query_strings_never_5xx(query, value):
    async def run():
        for url in (f"/items/1?{query}", f"/reflect?{query}", "/reflect"):
            response = await APP.inject(url=url, query={"v": value} if url == "/reflect" else None)
            _assert_not_5xx(response.status_code, response.body)

    asyncio.run(run())


@SETTINGS
@given(headers=st.lists(st.tuples(HEADER_NAME, HEADER_VALUE), max_size=8))
def test_property_headers_never_5xx(headers):
    async def run():
        raw = [(name.encode(), value) for name, value in headers]
        for method, path in (("GET", "/items/1"), ("POST", "/items")):
            status, body = await raw_asgi(APP, method, path, raw, [b"[]"])
            _assert_not_5xx(status, body)

    asyncio.run(run())


@SETTINGS
@given(
    body=st.binary(max_size=200),
    content_type=st.sampled_from(
        ["application/json", "text/plain", "application/xml", "", "text/plain; charset=latin-1"]
    ),
    chunked=st.booleans(),
)
def test_property_bodies_never_5xx(body, content_type, chunked):
    async def run():
        headers = [(b"content-type", content_type.encode())]
        headers.append(
            (b"transfer-encoding", b"chunked")
            if chunked
            else (b"content-length", str(len(body)).encode())
        )
        chunks = [body[i : i + 7] for i in range(0, len(body), 7)] or [b""]
        status, answer = await raw_asgi(APP, "POST", "/items", headers, chunks)
        _assert_not_5xx(status, answer)

    asyncio.run(run())


async def test_a_root_parameter_route_does_not_take_paths_without_a_slash():
    app = Lesto()
    app.get("/:slug", lambda request, reply: {"slug": request.params["slug"]})
    app.options("/:slug", lambda request, reply: {"slug": request.params["slug"]})
    await app.ready()
    assert (await raw_asgi(app, "GET", "/about", [], [])) == (200, b'{"slug":"about"}')
    status, body = await raw_asgi(app, "OPTIONS", "*", [], [])  # asterisk-form
    assert (status, b"LST_ERR_NOT_FOUND" in body) == (404, True)
    status, body = await raw_asgi(app, "GET", "about", [], [])
    assert status == 404
