"""A server outage under a running app: fast 503 ``LST_MYSQL_ERR_UNAVAILABLE``, then recovery.

The server is a dedicated one (lesto-testing's ``mysql_dedicated``), killed with SIGKILL and
restarted, so other tests' shared server is never touched. The times are printed
(``pytest -s``), not asserted: they depend on the machine.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import lesto_mysql
import lesto_testing
import pymysql
import pytest
from lesto import Lesto

CODE = "LST_MYSQL_ERR_UNAVAILABLE"
TABLE = "CREATE TABLE users (id int PRIMARY KEY, name varchar(64) UNIQUE) ENGINE=InnoDB"


async def outage_app(url: str, kind: str) -> Lesto:
    app = Lesto()
    app.register(lesto_mysql.plugin, url=url, type=kind, maxsize=2, connect_timeout=2)

    @app.get("/query")
    async def query(request: Any, reply: Any) -> Any:
        return await app.mysql.query("SELECT count(*) AS n FROM users")  # type: ignore[attr-defined]

    @app.post("/transaction")
    async def transaction(request: Any, reply: Any) -> Any:
        async with app.mysql.transaction() as conn, conn.cursor() as cursor:  # type: ignore[attr-defined]
            await cursor.execute("INSERT INTO users VALUES (%s, %s)", request.body)
        return {"ok": True}

    @app.post("/transact", config={"mysql": {"transact": True}})
    async def transact(request: Any, reply: Any) -> Any:
        await request.mysql.execute("INSERT INTO users VALUES (%s, %s)", request.body)
        return {"ok": True}

    @app.post("/connect")
    async def connect(request: Any, reply: Any) -> Any:
        async with app.mysql.connect() as conn:  # type: ignore[attr-defined]
            return await conn.query("SELECT count(*) AS n FROM users")

    await app.ready()
    await app.mysql.query(TABLE)  # type: ignore[attr-defined]
    return app


REQUESTS = [
    ("GET", "/query", None),
    ("POST", "/transaction", [100, "during"]),
    ("POST", "/transact", [101, "during"]),
    ("POST", "/connect", None),
]


@pytest.mark.parametrize("kind", ["pool", "connection"])
async def test_an_outage_is_503_with_a_code_then_requests_succeed_again(
    mysql_dedicated: lesto_testing.Service, kind: str
) -> None:
    with mysql_dedicated.fresh_database() as url:
        app = await outage_app(url, kind)
        try:
            assert (await app.inject(method="GET", url="/query")).status_code == 200
            await asyncio.to_thread(mysql_dedicated.kill)
            times = {}
            for round_ in range(2):  # first the open connections break, then new ones are refused
                for method, path, body in REQUESTS:
                    started = time.perf_counter()
                    response = await app.inject(method=method, url=path, payload=body)
                    times[f"{method} {path} #{round_}"] = round(time.perf_counter() - started, 4)
                    assert response.status_code == 503, response.body
                    answer = response.json()
                    assert answer["code"] == CODE
                    assert answer["error"] == "Service Unavailable"
                    assert "127.0.0.1:" in answer["message"]
            print(f"\nlesto-mysql ({kind}) outage answers (s):", times)

            await asyncio.to_thread(mysql_dedicated.restart)
            started = time.perf_counter()
            for n, (method, path, body) in enumerate(REQUESTS):
                payload = None if body is None else [200 + n, f"after{n}"]
                response = await app.inject(method=method, url=path, payload=payload)
                assert response.status_code == 200, response.body
            print(f"lesto-mysql ({kind}) recovered: {time.perf_counter() - started:.4f} s")
        finally:
            await app.close()
            await asyncio.to_thread(mysql_dedicated.ensure_running)


async def test_the_api_raises_the_coded_error_with_the_driver_error_as_cause(
    mysql_dedicated: lesto_testing.Service,
) -> None:
    with mysql_dedicated.fresh_database() as url:
        app = Lesto()
        await app.register(lesto_mysql.plugin, url=url, maxsize=1)
        mysql: Any = app.mysql  # type: ignore[attr-defined]
        try:
            await mysql.query(TABLE)
            await mysql.execute("INSERT INTO users VALUES (1, 'ada')")
            # The user's own mistakes stay PyMySQL's errors.
            with pytest.raises(pymysql.err.IntegrityError):
                await mysql.execute("INSERT INTO users VALUES (1, 'again')")
            with pytest.raises(pymysql.err.ProgrammingError):
                await mysql.query("SELEKT 1")
            with pytest.raises(pymysql.err.IntegrityError):
                async with mysql.transaction() as conn:
                    await conn.execute("INSERT INTO users VALUES (1, 'again')")

            await asyncio.to_thread(mysql_dedicated.kill)
            caught = []
            for _ in range(2):  # the open connection breaks, then a new one is refused
                with pytest.raises(lesto_mysql.LST_MYSQL_ERR_UNAVAILABLE) as raised:
                    await mysql.query("SELECT 1")
                caught.append(raised.value)
            with pytest.raises(lesto_mysql.LST_MYSQL_ERR_UNAVAILABLE):
                await mysql.transact(lambda conn: conn.query("SELECT 1"))
            for error in caught:
                assert error.code == CODE
                assert error.status_code == 503
                assert isinstance(error, ConnectionError)
                assert isinstance(error.__cause__, pymysql.err.OperationalError | OSError)
                assert str(error).startswith("MySQL at 127.0.0.1:")

            await asyncio.to_thread(mysql_dedicated.restart)
            assert await mysql.query("SELECT count(*) AS n FROM users") == [{"n": 1}]
        finally:
            await app.close()
            await asyncio.to_thread(mysql_dedicated.ensure_running)
