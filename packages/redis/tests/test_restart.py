"""After startup the client retries: a server restart mid-run is survived."""

from __future__ import annotations

import lesto_redis
import lesto_testing
import pytest
import redis.exceptions
from lesto import Lesto


async def test_requests_survive_a_restart(redis_dedicated: lesto_testing.Service) -> None:
    app = Lesto()
    app.register(lesto_redis.plugin, url=redis_dedicated.url)
    await app.ready()
    await app.redis.set("kept", "yes")
    redis_dedicated.restart()  # clean stop (saves), start on the same port
    assert await app.redis.get("kept") == b"yes"  # the stale connection is retried
    assert await app.redis.incr("after-restart") == 1
    await app.close()


async def test_commands_fail_while_down_then_recover(
    redis_dedicated: lesto_testing.Service,
) -> None:
    app = Lesto()
    app.register(lesto_redis.plugin, url=redis_dedicated.url)
    await app.ready()
    await app.redis.ping()
    redis_dedicated.kill()
    try:
        with pytest.raises(redis.exceptions.ConnectionError):
            await app.redis.ping()  # retried with backoff, then raised
    finally:
        redis_dedicated.restart()
    assert await app.redis.ping() is True
    await app.close()
