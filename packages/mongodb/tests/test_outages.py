"""A server outage under a running app: 503 ``LST_MONGO_ERR_UNAVAILABLE``, then recovery.

The server is a dedicated one (lesto-testing's ``mongodb_dedicated``), killed with SIGKILL and
restarted, so other tests' shared server is never touched. The times are printed
(``pytest -s``), not asserted: with the server gone a request waits for server
selection (``serverSelectionTimeoutMS``, 1 s here).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import lesto_mongodb
import lesto_testing
import pymongo.errors
import pytest
from lesto import Lesto

CODE = "LST_MONGO_ERR_UNAVAILABLE"


def outage_app(url: str, driver: str) -> Lesto:
    app = Lesto()
    app.register(
        lesto_mongodb.plugin,
        url=url,
        driver=driver,
        # One database per run: both drivers' runs share the module's server, and whether
        # the first run's documents survive its kill depends on when the server flushed.
        database=f"outage_{driver}",
        serverSelectionTimeoutMS=1000,
    )

    @app.get("/find")
    async def find(request: Any, reply: Any) -> Any:
        return await app.mongo.db.users.find_one({"_id": 1}, {"_id": 0})  # type: ignore[attr-defined]

    @app.post("/insert")
    async def insert(request: Any, reply: Any) -> Any:
        await app.mongo.db.users.insert_one({"name": "during"})  # type: ignore[attr-defined]
        return {"ok": True}

    @app.post("/duplicate")
    async def duplicate(request: Any, reply: Any) -> Any:
        await app.mongo.db.users.insert_one({"_id": 1})  # type: ignore[attr-defined]

    def own_handler(error: Exception, request: Any, reply: Any) -> Any:
        return {"seen": getattr(error, "code", type(error).__name__), "status": reply.status_code}

    app.get("/own", error_handler=own_handler)(find)
    return app


@pytest.mark.parametrize("driver", ["pymongo", "motor"])
async def test_an_outage_is_503_with_a_code_then_requests_succeed_again(
    mongodb_dedicated: lesto_testing.Service, driver: str
) -> None:
    with mongodb_dedicated.fresh_database() as url:
        app = outage_app(url, driver)
        try:
            await app.ready()
            await app.mongo.db.users.insert_one({"_id": 1, "name": "ada"})  # type: ignore[attr-defined]
            assert (await app.inject(method="GET", url="/find")).json() == {"name": "ada"}
            # A user's mistake stays a 500 of the driver's error.
            assert (await app.inject(method="POST", url="/duplicate")).status_code == 500

            await asyncio.to_thread(mongodb_dedicated.kill)
            times = {}
            for n, (method, path) in enumerate(
                [("GET", "/find"), ("POST", "/insert"), ("GET", "/find")]
            ):
                started = time.perf_counter()
                response = await app.inject(method=method, url=path)
                times[f"{n} {method} {path}"] = round(time.perf_counter() - started, 4)
                assert response.status_code == 503, response.body
                answer = response.json()
                assert answer["code"] == CODE
                assert answer["error"] == "Service Unavailable"
                assert "127.0.0.1:" in answer["message"]
            # A route's own error handler gets the translated error, with the status set.
            own = await app.inject(method="GET", url="/own")
            assert own.json() == {"seen": CODE, "status": 503}
            print(f"\nlesto-mongodb ({driver}) outage answers (s):", times)

            await asyncio.to_thread(mongodb_dedicated.restart)
            started = time.perf_counter()
            assert (await app.inject(method="POST", url="/insert")).status_code == 200
            assert (await app.inject(method="GET", url="/find")).status_code == 200
            print(f"lesto-mongodb ({driver}) recovered: {time.perf_counter() - started:.4f} s")
        finally:
            await app.close()
            await asyncio.to_thread(mongodb_dedicated.ensure_running)


def test_the_helper_translates_only_connection_errors() -> None:
    refused = pymongo.errors.AutoReconnect("127.0.0.1:1: [Errno 111] Connection refused")
    error = lesto_mongodb.unavailable(refused, "127.0.0.1:1")
    assert isinstance(error, lesto_mongodb.errors.LST_MONGO_ERR_UNAVAILABLE)
    assert error.status_code == 503
    assert str(error) == (
        "MongoDB at 127.0.0.1:1 is unavailable: AutoReconnect: 127.0.0.1:1: [Errno 111] "
        "Connection refused"
    )
    duplicate = pymongo.errors.DuplicateKeyError("E11000 duplicate key", 11000)
    assert lesto_mongodb.unavailable(duplicate, "127.0.0.1:1") is None
