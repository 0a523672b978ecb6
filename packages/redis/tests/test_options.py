"""Option validation: unknown keys and bad values fail ready() with coded errors, unconnected."""

from __future__ import annotations

from typing import Any

import lesto_redis
import pytest
from lesto import Lesto
from lesto_redis import LST_REDIS_ERR_INVALID_OPTION, LST_REDIS_ERR_UNKNOWN_OPTION


async def _fail(opts: dict[str, Any], error: type[Exception], **app_options: Any) -> Any:
    app = Lesto(**app_options)
    app.register(lesto_redis.plugin, **opts)
    with pytest.raises(error) as info:
        await app.ready()
    return info.value


@pytest.mark.parametrize(
    ("opts", "key"),
    [
        ({"hots": "localhost"}, "hots"),
        ({"url": "redis://localhost", "connection_pool": None}, "connection_pool"),
        ({"cluster": True, "single_connection_client": True}, "single_connection_client"),
        ({"sentinel": {"hosts": [("h", 1)], "service_name": "m", "port": 1}}, "sentinel.port"),
    ],
)
async def test_unknown_option_is_named(opts: dict[str, Any], key: str) -> None:
    err = await _fail(opts, LST_REDIS_ERR_UNKNOWN_OPTION)
    assert err.code == "LST_REDIS_ERR_UNKNOWN_OPTION"
    assert err.args[0] == key
    assert isinstance(err, TypeError)


@pytest.mark.parametrize(
    ("opts", "key"),
    [
        ({"url": 6379}, "url"),
        ({"url": ""}, "url"),
        ({"port": "6379"}, "port"),
        ({"port": 70000}, "port"),
        ({"port": True}, "port"),
        ({"db": -1}, "db"),
        ({"ssl": "yes"}, "ssl"),
        ({"namespace": ""}, "namespace"),
        ({"namespace": 3}, "namespace"),
        ({"connect_timeout": 0}, "connect_timeout"),
        ({"connect_timeout": "1"}, "connect_timeout"),
        ({"client": object()}, "client"),
        ({"close_client": True}, "close_client"),
        ({"url": "redis://localhost", "host": "localhost"}, "host"),
        ({"url": "redis://localhost", "port": 6379}, "port"),
        ({"sentinel": "localhost:26379"}, "sentinel"),
        ({"sentinel": {"hosts": [], "service_name": "m"}}, "sentinel.hosts"),
        ({"sentinel": {"hosts": ["nohost"], "service_name": "m"}}, "sentinel.hosts"),
        ({"sentinel": {"hosts": [("h", 1)]}}, "sentinel.service_name"),
        ({"sentinel": {"hosts": [("h", 1)], "service_name": "m"}, "host": "h"}, "host"),
        ({"sentinel": {"hosts": [("h", 1)], "service_name": "m"}, "cluster": True}, "sentinel"),
    ],
)
async def test_invalid_option_is_named(opts: dict[str, Any], key: str) -> None:
    err = await _fail(opts, LST_REDIS_ERR_INVALID_OPTION)
    assert err.code == "LST_REDIS_ERR_INVALID_OPTION"
    assert err.args[0] == key


async def test_client_with_connection_options_is_refused(redis_url: str) -> None:
    client = lesto_redis.Client.from_url(redis_url)
    for extra in ({"host": "localhost"}, {"url": redis_url}, {"cluster": True}):
        err = await _fail({"client": client, **extra}, LST_REDIS_ERR_INVALID_OPTION)
        assert err.args[0] == "client"
    await client.aclose()


async def test_connect_timeout_must_be_shorter_than_plugin_timeout() -> None:
    err = await _fail({"connect_timeout": 3}, LST_REDIS_ERR_INVALID_OPTION, plugin_timeout=2)
    assert err.args[0] == "connect_timeout"


async def test_redis_py_arguments_pass_through(redis_url: str) -> None:
    app = Lesto()
    app.register(lesto_redis.plugin, url=redis_url, decode_responses=True, socket_timeout=2)
    await app.ready()
    await app.redis.set("k", "v")
    assert await app.redis.get("k") == "v"
    assert app.redis.connection_pool.connection_kwargs["socket_timeout"] == 2
    await app.close()
