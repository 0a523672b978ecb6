"""A server outage under a running app: 503 ``LST_REDIS_ERR_UNAVAILABLE``, then recovery.

The server is a dedicated one (lesto-testing's ``redis_dedicated``), killed with
SIGKILL and restarted, so other tests' servers are never touched. The times are
printed (``pytest -s``), not asserted: they include redis-py's retries with backoff
(``retry``, 4 by default).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import lesto_redis
import lesto_testing
import pytest
import redis.exceptions
from lesto import Lesto

CODE = "LST_REDIS_ERR_UNAVAILABLE"


async def outage_app(url: str) -> Lesto:
    app = Lesto()
    app.register(lesto_redis.plugin, url=url)

    @app.get("/get")
    async def get(request: Any, reply: Any) -> Any:
        return {"value": await app.redis.get("key")}  # type: ignore[attr-defined]

    @app.post("/multi")
    async def multi(request: Any, reply: Any) -> Any:
        async with app.redis.pipeline(transaction=True) as pipe:  # type: ignore[attr-defined]
            await pipe.set("a", 1).set("b", 2).execute()
        return {"ok": True}

    @app.post("/watch")
    async def watch(request: Any, reply: Any) -> Any:
        async def bump(pipe: Any) -> None:
            value = int(await pipe.get("n") or 0)
            pipe.multi()
            pipe.set("n", value + 1)

        await app.redis.transaction(bump, "n")  # type: ignore[attr-defined]
        return {"ok": True}

    await app.ready()
    return app


REQUESTS = [("GET", "/get"), ("POST", "/multi"), ("POST", "/watch")]


async def test_an_outage_is_503_with_a_code_then_requests_succeed_again(
    redis_dedicated: lesto_testing.Service,
) -> None:
    app = await outage_app(redis_dedicated.url)
    try:
        for method, path in REQUESTS:
            assert (await app.inject(method=method, url=path)).status_code == 200
        await asyncio.to_thread(redis_dedicated.kill)
        times = {}
        for method, path in REQUESTS:
            started = time.perf_counter()
            response = await app.inject(method=method, url=path)
            times[f"{method} {path}"] = round(time.perf_counter() - started, 4)
            assert response.status_code == 503, response.body
            answer = response.json()
            assert answer["code"] == CODE
            assert answer["error"] == "Service Unavailable"
            assert "127.0.0.1:" in answer["message"]
        print("\nlesto-redis outage answers (s, with redis-py's retries):", times)

        await asyncio.to_thread(redis_dedicated.restart)
        started = time.perf_counter()
        for method, path in REQUESTS:
            assert (await app.inject(method=method, url=path)).status_code == 200
        print(f"lesto-redis recovered: {time.perf_counter() - started:.4f} s")
    finally:
        await app.close()
        await asyncio.to_thread(redis_dedicated.ensure_running)


async def test_the_client_raises_the_coded_error_with_the_driver_error_as_cause(
    redis_dedicated: lesto_testing.Service,
) -> None:
    app = Lesto()
    await app.register(lesto_redis.plugin, url=redis_dedicated.url, retry=None)
    client: Any = app.redis  # type: ignore[attr-defined]
    try:
        await client.set("text", "x")
        # The user's own mistakes stay redis-py's errors.
        with pytest.raises(redis.exceptions.ResponseError) as wrong_type:
            await client.incr("text")
        assert not isinstance(wrong_type.value, lesto_redis.LST_REDIS_ERR_UNAVAILABLE)
        with pytest.raises(redis.exceptions.ResponseError):
            await client.execute_command("NO-SUCH-COMMAND")

        await asyncio.to_thread(redis_dedicated.kill)
        with pytest.raises(lesto_redis.LST_REDIS_ERR_UNAVAILABLE) as caught:
            await client.get("text")
        with pytest.raises(lesto_redis.LST_REDIS_ERR_UNAVAILABLE):
            await client.pipeline().get("text").execute()
        error = caught.value
        assert error.code == CODE
        assert error.status_code == 503
        # Code written for redis-py's errors keeps catching it.
        assert isinstance(error, redis.exceptions.ConnectionError)
        assert isinstance(error, redis.exceptions.TimeoutError)
        assert isinstance(error.__cause__, redis.exceptions.ConnectionError)
        assert str(error).startswith("lesto-redis: Redis at 127.0.0.1:")

        await asyncio.to_thread(redis_dedicated.restart)
        assert await client.ping() is True
    finally:
        await app.close()
        await asyncio.to_thread(redis_dedicated.ensure_running)
