"""``app.redis`` as the client, or as the container of named clients, and its misuse errors."""

from __future__ import annotations

import lesto_redis
import pytest
from lesto import Lesto, plugin
from lesto_redis import (
    LST_REDIS_ERR_ALREADY_REGISTERED,
    LST_REDIS_ERR_DUPLICATE_NAMESPACE,
    LST_REDIS_ERR_RESERVED_NAMESPACE,
    LST_REDIS_ERR_UNKNOWN_NAMESPACE,
    RedisNamespaces,
)


async def test_namespaces_by_item_and_attribute(redis_url: str) -> None:
    app = Lesto()
    app.register(lesto_redis.plugin, url=redis_url, namespace="cache")
    app.register(lesto_redis.plugin, url=redis_url, namespace="text", decode_responses=True)
    await app.ready()
    assert isinstance(app.redis, RedisNamespaces)
    assert app.redis["cache"] is app.redis.cache
    assert sorted(app.redis) == ["cache", "text"]
    assert len(app.redis) == 2
    await app.redis.cache.set("k", "v")
    assert await app.redis.cache.get("k") == b"v"
    assert await app.redis.text.get("k") == "v"
    assert await app.redis.ping() is True
    await app.close()


async def test_unknown_namespace(redis_url: str) -> None:
    app = Lesto()
    app.register(lesto_redis.plugin, url=redis_url, namespace="cache")
    await app.ready()
    with pytest.raises(LST_REDIS_ERR_UNKNOWN_NAMESPACE) as info:
        app.redis["nope"]
    assert isinstance(info.value, KeyError)
    with pytest.raises(AttributeError):
        _ = app.redis.nope
    assert app.redis.get("nope") is None
    assert not hasattr(app.redis, "nope")
    await app.close()


async def test_registering_twice(redis_url: str) -> None:
    app = Lesto()
    app.register(lesto_redis.plugin, url=redis_url)
    app.register(lesto_redis.plugin, url=redis_url)
    with pytest.raises(LST_REDIS_ERR_ALREADY_REGISTERED):
        await app.ready()
    await app.close()


@pytest.mark.parametrize("first_named", [True, False])
async def test_mixing_named_and_unnamed(redis_url: str, first_named: bool) -> None:
    app = Lesto()
    app.register(lesto_redis.plugin, url=redis_url, namespace="a" if first_named else None)
    app.register(lesto_redis.plugin, url=redis_url, namespace=None if first_named else "a")
    with pytest.raises(LST_REDIS_ERR_ALREADY_REGISTERED):
        await app.ready()
    await app.close()


async def test_duplicate_namespace(redis_url: str) -> None:
    app = Lesto()
    app.register(lesto_redis.plugin, url=redis_url, namespace="cache")
    app.register(lesto_redis.plugin, url=redis_url, namespace="cache")
    with pytest.raises(LST_REDIS_ERR_DUPLICATE_NAMESPACE) as info:
        await app.ready()
    assert info.value.args == ("cache",)
    await app.close()


@pytest.mark.parametrize("name", ["ping", "get", "keys", "items", "_private", "__class__"])
async def test_reserved_namespace(name: str) -> None:
    app = Lesto()
    app.register(lesto_redis.plugin, namespace=name)
    with pytest.raises(LST_REDIS_ERR_RESERVED_NAMESPACE) as info:
        await app.ready()
    assert info.value.args[0] == name


async def test_encapsulated_registration_stays_in_its_context(redis_url: str) -> None:
    seen = {}

    async def child(instance: Lesto, opts: object) -> None:
        await instance.register(lesto_redis.plugin, url=redis_url)
        seen["child"] = await instance.redis.ping()

    @plugin
    def sibling(instance: Lesto, opts: object) -> None:
        seen["sibling"] = instance.has_decorator("redis")

    app = Lesto()
    app.register(child)
    app.register(sibling)
    await app.ready()
    assert seen == {"child": True, "sibling": False}
    assert not app.has_decorator("redis")
    await app.close()
