"""Readiness and closing: the ping before ready(), unreachable servers, what on_close closes."""

from __future__ import annotations

import socket
import time
from typing import Any

import lesto_mongodb
import pytest
from lesto import Lesto
from lesto import errors as core_errors
from lesto_mongodb import errors
from pymongo import AsyncMongoClient, monitoring
from pymongo.errors import InvalidOperation


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def new_client(driver: str, url: str, **options: Any) -> Any:
    if driver == "motor":
        from motor.motor_asyncio import AsyncIOMotorClient

        return AsyncIOMotorClient(url, **options)
    return AsyncMongoClient(url, **options)


async def close_client(driver: str, client: Any) -> None:
    result = client.close()
    if driver == "pymongo":
        await result


async def assert_closed(client: Any) -> None:
    with pytest.raises(InvalidOperation):
        await client.admin.command("ping")


class CommandNames(monitoring.CommandListener):
    """Records the name of every command the client sends (a real driver listener)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.names.append(event.command_name)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


@pytest.mark.parametrize("driver", ["pymongo", "motor"])
async def test_unreachable_server_fails_ready_with_hosts_and_cause(driver: str) -> None:
    port = unused_port()
    app = Lesto(plugin_timeout=2)  # the default selection timeout becomes 1 s
    app.register(lesto_mongodb.plugin, url=f"mongodb://127.0.0.1:{port}/app", driver=driver)
    started = time.perf_counter()
    with pytest.raises(errors.LST_MONGO_ERR_CONNECT) as info:
        await app.ready()
    elapsed = time.perf_counter() - started
    print(f"unreachable ({driver}, selection timeout 1 s): failed after {elapsed:.2f} s")
    hosts, cause = info.value.args
    assert hosts == f"127.0.0.1:{port}"
    assert "ServerSelectionTimeoutError" in cause
    assert info.value.status_code == 503
    assert isinstance(info.value, ConnectionError)
    await app.close()


@pytest.mark.parametrize("driver", ["pymongo", "motor"])
async def test_readiness_gives_up_before_the_plugin_timeout(driver: str) -> None:
    port = unused_port()
    client = new_client(driver, f"mongodb://127.0.0.1:{port}/", serverSelectionTimeoutMS=30000)
    app = Lesto(plugin_timeout=1)
    app.register(lesto_mongodb.plugin, client=client)
    with pytest.raises(errors.LST_MONGO_ERR_CONNECT) as info:
        await app.ready()
    assert not isinstance(info.value, core_errors.LST_ERR_PLUGIN_TIMEOUT)
    assert "no answer within 0.9 s" in info.value.args[1]
    await app.close()
    await close_client(driver, client)


async def test_created_client_is_closed_on_close(app: Lesto) -> None:
    await app.ready()
    client = app.mongo.client
    await app.close()
    await assert_closed(client)


async def test_passed_client_is_left_open(mongodb_url: str, driver: str) -> None:
    client = new_client(driver, mongodb_url)
    app = Lesto()
    app.register(lesto_mongodb.plugin, client=client)
    await app.ready()
    assert app.mongo.client is client
    assert app.mongo.driver == driver
    assert app.mongo.database_name == mongodb_url.rsplit("/", 1)[1]  # the client's own default
    await app.close()
    assert (await client.admin.command("ping"))["ok"] == 1
    await close_client(driver, client)


async def test_passed_client_is_closed_when_asked(mongodb_url: str, driver: str) -> None:
    client = new_client(driver, mongodb_url)
    app = Lesto()
    app.register(lesto_mongodb.plugin, client=client, close_client=True, database="other")
    await app.ready()
    assert app.mongo.db.name == "other"
    await app.close()
    await assert_closed(client)


@pytest.mark.parametrize("force_close", [False, True])
async def test_force_close_skips_ending_sessions(
    mongodb_url: str, driver: str, force_close: bool
) -> None:
    listener = CommandNames()
    app = Lesto()
    app.register(
        lesto_mongodb.plugin,
        url=mongodb_url,
        driver=driver,
        force_close=force_close,
        event_listeners=[listener],
    )
    await app.ready()
    await app.mongo.db.animals.insert_one({"animal": "cat"})  # uses a server session
    await app.close()
    await assert_closed(app.mongo.client)
    assert ("endSessions" in listener.names) is not force_close
