"""Security defaults (SECURITY.md): each documented default, checked."""

from collections.abc import Iterator

import asyncpg
import pytest
from lesto import Lesto
from lesto_reliability.rawhttp import Server, request, serve

HOSTILE = "x'); DROP TABLE notes; --"


async def test_body_limit_is_1_mib_by_default() -> None:
    app = Lesto()
    app.post("/", lambda request, reply: {"size": len(request.body)})
    app.add_content_type_parser("application/octet-stream", lambda request, body: body)
    headers = {"content-type": "application/octet-stream"}
    ok = await app.inject(method="POST", url="/", body=b"a" * (1 << 20), headers=headers)
    assert ok.json() == {"size": 1 << 20}
    big = await app.inject(method="POST", url="/", body=b"a" * ((1 << 20) + 1), headers=headers)
    assert (big.status_code, big.json()["code"]) == (413, "LST_ERR_CTP_BODY_TOO_LARGE")


async def test_trust_proxy_is_off_by_default() -> None:
    app = Lesto()
    app.get("/", lambda request, reply: [request.ip, request.hostname, request.protocol])
    response = await app.inject(
        url="/",
        remote_address="10.0.0.1",
        headers={
            "x-forwarded-for": "203.0.113.7",
            "x-forwarded-host": "evil.example",
            "x-forwarded-proto": "https",
        },
    )
    assert response.json() == ["10.0.0.1", "localhost", "http"]


async def test_500_answers_carry_no_exception_text_nor_traceback() -> None:
    app = Lesto()

    def boom(request, reply):
        raise RuntimeError("password=hunter2 at /srv/app/secrets.py line 3")

    app.get("/", boom)
    response = await app.inject(url="/")
    assert response.status_code == 500
    assert response.json() == {
        "statusCode": 500,
        "error": "Internal Server Error",
        "message": "Internal Server Error",
    }
    assert "hunter2" not in response.body
    assert "Traceback" not in response.body


async def test_response_schemas_drop_undeclared_fields() -> None:
    app = Lesto()
    user = {"type": "object", "properties": {"name": {"type": "string"}}}
    app.get(
        "/me",
        lambda request, reply: {"name": "ada", "password_hash": "x", "nested": {"token": "t"}},
        schema={"response": {200: user}},
    )
    assert (await app.inject(url="/me")).json() == {"name": "ada"}


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serve("abuse_app") as running:
        yield running


def test_request_line_limit_from_the_server(server: Server) -> None:
    response = request(server, b"GET /health?" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: t\r\n\r\n")
    assert (response.status, response.headers["connection"]) == (400, "close")


def test_header_block_limit_from_the_server(server: Server) -> None:
    response = request(
        server, b"GET /health HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 65_536 + b"\r\n\r\n"
    )
    assert (response.status, response.headers["connection"]) == (431, "close")
    assert response.json()["code"] == "LST_ERR_HEADERS_TOO_LARGE"  # type: ignore[index]


def test_header_count_limit_from_the_server(server: Server) -> None:
    many = b"".join(b"X-%d: 1\r\n" % n for n in range(5000))
    response = request(server, b"GET /health HTTP/1.1\r\nHost: t\r\n" + many + b"\r\n")
    assert (response.status, response.headers["connection"]) == (431, "close")


async def test_header_limits_apply_in_the_app_whatever_the_server() -> None:
    app = Lesto()
    app.get("/", lambda request, reply: "ok")
    big = await app.inject(url="/", headers={"x-big": "a" * 20_000})
    assert (big.status_code, big.json()["code"]) == (431, "LST_ERR_HEADERS_TOO_LARGE")
    assert big.headers["connection"] == "close"
    many = await app.inject(url="/", headers={f"x-{n}": "1" for n in range(200)})
    assert many.status_code == 431
    assert (await app.inject(url="/", headers={"x-ok": "a" * 8000})).status_code == 200


async def test_postgres_helpers_bind_parameters(postgres_url: str) -> None:
    import lesto_postgres

    app = Lesto()
    app.register(lesto_postgres.plugin, url=postgres_url)
    await app.ready()
    try:
        await app.pg.execute("CREATE TABLE notes (body text)")
        await app.pg.execute("INSERT INTO notes VALUES ($1)", HOSTILE)
        assert await app.pg.fetchval("SELECT body FROM notes WHERE body = $1", HOSTILE) == HOSTILE
        assert await app.pg.fetchval("SELECT count(*) FROM notes") == 1
    finally:
        await app.close()
    conn = await asyncpg.connect(postgres_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM notes") == 1  # the table survived
    finally:
        await conn.close()


async def test_mysql_helpers_bind_parameters(mysql_url: str) -> None:
    import lesto_mysql

    app = Lesto()
    app.register(lesto_mysql.plugin, url=mysql_url)
    await app.ready()
    try:
        await app.mysql.query("CREATE TABLE notes (body text)")
        await app.mysql.query("INSERT INTO notes VALUES (%s)", [HOSTILE])
        rows = await app.mysql.query("SELECT body FROM notes WHERE body = %s", [HOSTILE])
        assert [row["body"] for row in rows] == [HOSTILE]
    finally:
        await app.close()
