"""Commands through ``app.redis`` from routes: the README example, bytes and strings."""

from __future__ import annotations

from typing import Any

import lesto_redis
from lesto import Lesto


def _seed_app(url: str, **opts: Any) -> Lesto:
    app = Lesto()
    app.register(lesto_redis.plugin, url=url, **opts)

    @app.get("/foo")
    async def read(request: Any, reply: Any) -> Any:
        return await app.redis.get(request.query["key"])

    @app.post("/foo")
    async def write(request: Any, reply: Any) -> Any:
        await app.redis.set(request.body["key"], request.body["value"])
        return {"status": "ok"}

    return app


async def test_seed_example_with_bytes(redis_url: str) -> None:
    app = _seed_app(redis_url)
    res = await app.inject(method="POST", url="/foo", payload={"key": "hello", "value": "world"})
    assert res.status_code == 200
    assert res.json() == {"status": "ok"}
    res = await app.inject(method="GET", url="/foo?key=hello")
    assert res.status_code == 200
    assert res.raw_payload == b"world"
    assert res.headers["content-type"].startswith("application/octet-stream")
    await app.close()


async def test_seed_example_with_decoded_strings(redis_url: str) -> None:
    app = _seed_app(redis_url, decode_responses=True)
    await app.inject(method="POST", url="/foo", payload={"key": "hello", "value": "wörld"})
    res = await app.inject(method="GET", url="/foo?key=hello")
    assert res.status_code == 200
    assert res.body == "wörld"
    assert res.headers["content-type"].startswith("text/plain")
    await app.close()


async def test_namespaced_clients_from_routes(redis_url: str) -> None:
    app = Lesto()
    app.register(lesto_redis.plugin, url=redis_url, namespace="hits", decode_responses=True)

    @app.get("/count/:page")
    async def count(request: Any, reply: Any) -> Any:
        return {"hits": await app.redis.hits.incr(f"page:{request.params['page']}")}

    for expected in (1, 2, 3):
        res = await app.inject(method="GET", url="/count/home")
        assert res.json() == {"hits": expected}
    await app.close()
