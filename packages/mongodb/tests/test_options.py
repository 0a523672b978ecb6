"""Option validation: every misuse is refused with a coded error before any connection."""

from __future__ import annotations

import sys

import lesto_mongodb
import pytest
from lesto import Lesto
from lesto_mongodb import errors
from lesto_mongodb._options import DEFAULT_SERVER_SELECTION_TIMEOUT_MS, parse_options
from pymongo import AsyncMongoClient, MongoClient

UNREACHABLE = "mongodb://127.0.0.1:1/app"


async def ready_error(**opts: object) -> BaseException:
    app = Lesto()
    app.register(lesto_mongodb.plugin, **opts)
    with pytest.raises(Exception) as info:
        await app.ready()
    await app.close()
    return info.value


async def test_unknown_option_is_named() -> None:
    error = await ready_error(url=UNREACHABLE, colour="blue")
    assert isinstance(error, errors.LST_MONGO_ERR_OPTION_UNKNOWN)
    assert error.args == ("colour",)


@pytest.mark.parametrize("key", ["host", "port"])
async def test_constructor_arguments_are_not_options(key: str) -> None:
    error = await ready_error(url=UNREACHABLE, **{key: "x"})
    assert isinstance(error, errors.LST_MONGO_ERR_OPTION_UNKNOWN)


async def test_missing_url_and_client() -> None:
    error = await ready_error(database="app")
    assert isinstance(error, errors.LST_MONGO_ERR_URL_REQUIRED)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("url", ""),
        ("url", 42),
        ("database", ""),
        ("name", 3),
        ("driver", "mongoose"),
        ("force_close", "yes"),
        ("close_client", 1),
    ],
)
async def test_invalid_values(key: str, value: object) -> None:
    opts = {"url": UNREACHABLE, key: value}
    error = await ready_error(**opts)
    assert isinstance(error, errors.LST_MONGO_ERR_OPTION_INVALID)
    assert error.args[0] == key


async def test_close_client_needs_a_client() -> None:
    error = await ready_error(url=UNREACHABLE, close_client=True)
    assert isinstance(error, errors.LST_MONGO_ERR_OPTION_INVALID)
    assert error.args[0] == "close_client"


@pytest.mark.parametrize("extra", [{"url": UNREACHABLE}, {"driver": "motor"}, {"max_pool_size": 5}])
async def test_client_excludes_client_settings(extra: dict[str, object]) -> None:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(UNREACHABLE, connect=False)
    error = await ready_error(client=client, **extra)
    await client.close()
    assert isinstance(error, errors.LST_MONGO_ERR_OPTION_INVALID)
    assert error.args[0] == next(iter(extra))


async def test_a_synchronous_client_is_refused() -> None:
    client: MongoClient[dict[str, object]] = MongoClient(UNREACHABLE, connect=False)
    error = await ready_error(client=client)
    client.close()
    assert isinstance(error, errors.LST_MONGO_ERR_CLIENT_INVALID)


async def test_driver_option_refused_by_pymongo() -> None:
    error = await ready_error(url=UNREACHABLE, max_pool_size="many")
    assert isinstance(error, errors.LST_MONGO_ERR_OPTION_INVALID)
    assert error.args[0] == "a client option"


async def test_url_refused_by_pymongo() -> None:
    error = await ready_error(url="http://127.0.0.1/app")
    assert isinstance(error, errors.LST_MONGO_ERR_OPTION_INVALID)
    assert error.args[0] == "url"


async def test_motor_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "motor.motor_asyncio", None)  # import fails as if absent
    error = await ready_error(url=UNREACHABLE, driver="motor")
    assert isinstance(error, errors.LST_MONGO_ERR_DRIVER_MISSING)
    assert isinstance(error, ImportError)


def test_driver_options_in_either_spelling() -> None:
    snake = parse_options({"url": UNREACHABLE, "max_pool_size": 5, "tz_aware": True}, 10)
    camel = parse_options({"url": UNREACHABLE, "maxPoolSize": 5}, 10)
    assert snake.client_options["maxpoolsize"] == 5
    assert snake.client_options["tz_aware"] is True
    assert camel.client_options["maxPoolSize"] == 5


def test_server_selection_default_stays_below_plugin_timeout() -> None:
    default = parse_options({"url": UNREACHABLE}, 10).client_options  # Lesto's default
    assert default["serverSelectionTimeoutMS"] == 5000
    long = parse_options({"url": UNREACHABLE}, 60).client_options
    assert long["serverSelectionTimeoutMS"] == DEFAULT_SERVER_SELECTION_TIMEOUT_MS
    unlimited = parse_options({"url": UNREACHABLE}, 0).client_options
    assert unlimited["serverSelectionTimeoutMS"] == DEFAULT_SERVER_SELECTION_TIMEOUT_MS


def test_server_selection_given_by_the_user_is_kept() -> None:
    given = parse_options({"url": UNREACHABLE, "server_selection_timeout_ms": 50}, 10)
    assert given.client_options == {"serverselectiontimeoutms": 50, "tz_aware": True}
    in_url = parse_options({"url": UNREACHABLE + "?serverSelectionTimeoutMS=60"}, 10)
    assert in_url.client_options == {"tz_aware": True}


def test_tz_aware_by_default_unless_set() -> None:
    assert parse_options({"url": UNREACHABLE}, 10).client_options["tz_aware"] is True
    given = parse_options({"url": UNREACHABLE, "tz_aware": False}, 10)
    assert given.client_options["tz_aware"] is False
    in_url = parse_options({"url": UNREACHABLE + "?tz_aware=false"}, 10)
    assert "tz_aware" not in in_url.client_options
