"""Connecting: the readiness PING, and the errors naming the address and the cause."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator

import lesto_redis
import lesto_testing
import pytest
import redis.asyncio
from lesto import Lesto
from lesto_redis import LST_REDIS_ERR_CONNECT


@pytest.fixture
async def acl_user(redis_dedicated: lesto_testing.Service) -> AsyncIterator[str]:
    """A user of the dedicated server whose password is ``right``."""
    name = f"lesto_{uuid.uuid4().hex[:8]}"
    admin = redis.asyncio.Redis.from_url(redis_dedicated.url)
    await admin.acl_setuser(name, enabled=True, passwords=["+right"], keys="*", commands=["+@all"])
    yield name
    await admin.acl_deluser(name)
    await admin.aclose()


async def _connect_error(**opts: object) -> lesto_redis.LST_REDIS_ERR_CONNECT:
    app = Lesto()
    app.register(lesto_redis.plugin, **opts)
    started = time.monotonic()
    with pytest.raises(LST_REDIS_ERR_CONNECT) as info:
        await app.ready()
    print(f"failed after {time.monotonic() - started:.2f} s: {info.value}")
    await app.close()
    return info.value


async def test_ready_pings_the_server(redis_url: str) -> None:
    app = Lesto()
    app.register(lesto_redis.plugin, url=redis_url)
    await app.ready()
    assert isinstance(app.redis, redis.asyncio.Redis)
    assert await app.redis.ping() is True
    await app.close()


async def test_host_and_port_options(redis_dedicated: lesto_testing.Service) -> None:
    client = redis.asyncio.Redis.from_url(redis_dedicated.url)
    kwargs = client.connection_pool.connection_kwargs
    app = Lesto()
    app.register(lesto_redis.plugin, host=kwargs["host"], port=kwargs["port"], db=2)
    await app.ready()
    await app.redis.set("where", "db2")
    assert await client.execute_command("SELECT", 2)
    await app.close()
    await client.aclose()


async def test_unreachable_server(free_port: int) -> None:
    err = await _connect_error(host="127.0.0.1", port=free_port)
    assert err.status_code == 503
    assert isinstance(err, ConnectionError)
    assert f"127.0.0.1:{free_port}" in str(err)
    assert isinstance(err.__cause__, redis.exceptions.ConnectionError)


async def test_unknown_host() -> None:
    err = await _connect_error(url="redis://no-such-host.invalid:6379/0")
    assert "no-such-host.invalid:6379" in str(err)


async def test_bad_password(redis_dedicated: lesto_testing.Service, acl_user: str) -> None:
    url = redis_dedicated.url.replace("redis://", f"redis://{acl_user}:wrong@")
    err = await _connect_error(url=url)
    assert isinstance(err.__cause__, redis.exceptions.AuthenticationError)
    assert "wrong" not in str(err)  # the address is named without credentials
    app = Lesto()
    app.register(lesto_redis.plugin, url=redis_dedicated.url, username=acl_user, password="right")
    await app.ready()
    assert await app.redis.acl_whoami() == acl_user
    await app.close()


async def test_tls_against_a_plain_server(redis_dedicated: lesto_testing.Service) -> None:
    err = await _connect_error(url=redis_dedicated.url, ssl=True, connect_timeout=1)
    assert err.code == "LST_REDIS_ERR_CONNECT"
    assert redis_dedicated.url.split("//")[1].split("/")[0] in str(err)


async def test_cluster_mode_against_a_single_node(redis_url: str) -> None:
    err = await _connect_error(url=redis_url, cluster=True)
    assert "cluster" in str(err.__cause__).lower()
    url = redis_url.replace("redis://", "redis+cluster://")
    err = await _connect_error(url=url)
    assert "cluster" in str(err.__cause__).lower()


async def test_connect_timeout_defaults_below_plugin_timeout(free_port: int) -> None:
    app = Lesto(plugin_timeout=0.8)
    app.register(lesto_redis.plugin, host="10.255.255.1", port=free_port)
    with pytest.raises(LST_REDIS_ERR_CONNECT):  # not LST_ERR_PLUGIN_TIMEOUT
        await app.ready()


async def test_sentinel_unreachable(free_port: int) -> None:
    sentinel = {"hosts": [("127.0.0.1", free_port)], "service_name": "mymaster"}
    err = await _connect_error(sentinel=sentinel, connect_timeout=2)
    assert f"master 'mymaster' via Sentinels 127.0.0.1:{free_port}" in str(err)
