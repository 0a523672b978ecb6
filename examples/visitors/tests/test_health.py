"""``/health`` answers 503 while a database is down, and 200 again once it is back."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import lesto_testing
import pytest
from visitors import AppConfig, build_app


@pytest.fixture
def own_redis() -> Iterator[lesto_testing.Service]:
    """A Redis server for this test alone, so it can be stopped without harming others."""
    service = lesto_testing.start("redis", backend="local")
    yield service
    service.stop()


async def test_health_is_503_while_redis_is_down(
    config: AppConfig, own_redis: lesto_testing.Service
) -> None:
    app = build_app(dataclasses.replace(config, redis_url=own_redis.url))
    try:
        assert (await app.inject(method="GET", url="/health")).status_code == 200
        own_redis.kill()
        down = await app.inject(method="GET", url="/health")
        assert down.status_code == 503
        body = down.json()
        assert body["status"] == "unavailable"
        assert body["checks"]["mongodb"] == body["checks"]["postgres"] == "up"
        assert body["checks"]["redis"].startswith("down")
        own_redis.restart()
        back = await app.inject(method="GET", url="/health")
        assert back.status_code == 200
        assert back.json()["checks"]["redis"] == "up"
    finally:
        await app.close()
