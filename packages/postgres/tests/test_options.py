"""Options: each is checked before anything connects, unknown ones are refused."""

from __future__ import annotations

import ssl
from typing import Any

import asyncpg
import lesto_postgres
import pytest
from lesto import Lesto
from lesto_postgres.options import parse_options

URL = "postgresql://postgres@127.0.0.1:1/never_reached"


async def load(**options: Any) -> Exception:
    """The error of registering with ``options`` (the URL is never reached: checks come first)."""
    app = Lesto()
    app.register(lesto_postgres.plugin, **options)
    with pytest.raises(Exception) as caught:
        await app.ready()
    await app.close()
    return caught.value


async def test_unknown_options_are_refused_by_name():
    error = await load(url=URL, connectionString=URL, max=3)
    assert isinstance(error, lesto_postgres.LST_PG_ERR_UNKNOWN_OPTION)
    assert isinstance(error, TypeError)
    assert "connectionString, max" in error.message
    assert error.__notes__ == ["while loading plugin: root -> lesto-postgres"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("url", "mysql://localhost/db"),
        ("url", 5432),
        ("pool", "postgresql://localhost/db"),
        ("close_pool", "yes"),
        ("name", "not an identifier"),
        ("name", "_private"),
        ("name", ""),
        ("min_size", -1),
        ("min_size", True),
        ("max_size", 0),
        ("max_size", 2.5),
        ("command_timeout", 0),
        ("statement_cache_size", -1),
        ("max_inactive_connection_lifetime", -1),
        ("server_settings", {"application_name": 1}),
        ("server_settings", "application_name=x"),
        ("ssl", "sometimes"),
        ("init", "SET x = 1"),
        ("setup", 3),
        ("connect_timeout", 0),
        ("acquire_timeout", -1),
        ("acquire_timeout", False),
        ("close_timeout", "5"),
    ],
)
async def test_each_option_is_checked(name: str, value: Any):
    error = await load(**{"url": URL, name: value} if name != "url" else {name: value})
    assert isinstance(error, lesto_postgres.LST_PG_ERR_INVALID_OPTION)
    assert error.message.startswith(f"Option {name} of lesto-postgres")


async def test_pool_options_cannot_come_with_a_pool():
    pool = asyncpg.create_pool(URL)  # never initialised: the check comes first
    error = await load(pool=pool, min_size=1, url=URL)
    assert isinstance(error, lesto_postgres.LST_PG_ERR_INVALID_OPTION)
    assert "min_size, url" in error.message


async def test_close_pool_needs_a_pool():
    error = await load(url=URL, close_pool=True)
    assert isinstance(error, lesto_postgres.LST_PG_ERR_INVALID_OPTION)
    assert error.message.startswith("Option close_pool")


async def test_min_size_cannot_exceed_max_size():
    error = await load(url=URL, min_size=5, max_size=2)
    assert isinstance(error, lesto_postgres.LST_PG_ERR_INVALID_OPTION)


@pytest.mark.parametrize("name", ["connect_timeout", "close_timeout"])
async def test_timeouts_must_end_before_the_plugin_timeout(name: str):
    app = Lesto(plugin_timeout=2)
    app.register(lesto_postgres.plugin, url=URL, **{name: 2})
    with pytest.raises(lesto_postgres.LST_PG_ERR_INVALID_OPTION, match="plugin_timeout"):
        await app.ready()


def test_defaults():
    options = parse_options({}, plugin_timeout=10)
    assert (options.name, options.url, options.pool) == (None, None, None)
    assert options.close_pool is False
    assert options.connect_timeout == 5.0
    assert options.close_timeout == 5.0
    assert options.acquire_timeout == 5.0
    assert dict(options.pool_options) == {
        "min_size": 10,
        "max_size": 10,
        "command_timeout": None,
        "statement_cache_size": 100,
        "max_inactive_connection_lifetime": 300.0,
        "server_settings": None,
        "ssl": None,
        "init": None,
        "setup": None,
    }
    assert lesto_postgres.DEFAULTS["acquire_timeout"] == 5.0


def test_a_small_max_size_lowers_the_default_min_size():
    assert parse_options({"max_size": 2}, 10).pool_options["min_size"] == 2


def test_derived_timeouts_stay_below_a_short_plugin_timeout():
    options = parse_options({}, plugin_timeout=2)
    assert options.connect_timeout == pytest.approx(1.6)
    assert options.close_timeout == pytest.approx(1.6)
    assert parse_options({}, plugin_timeout=0).connect_timeout == 5.0


def test_accepted_values():
    context = ssl.create_default_context()
    options = parse_options(
        {
            "url": "postgres://u:p@h:1/db",
            "name": "replica",
            "min_size": 0,
            "max_size": 1,
            "command_timeout": 1.5,
            "statement_cache_size": 0,
            "max_inactive_connection_lifetime": 0,
            "server_settings": {"application_name": "lesto"},
            "ssl": context,
            "init": lambda conn: None,
            "connect_timeout": 1,
            "acquire_timeout": None,
            "close_timeout": 0.5,
        },
        plugin_timeout=10,
    )
    assert options.acquire_timeout is None
    assert options.pool_options["ssl"] is context
    assert parse_options({"ssl": "require"}, 10).pool_options["ssl"] == "require"
    assert parse_options({"ssl": False}, 10).pool_options["ssl"] is False
