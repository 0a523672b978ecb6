"""Shared fixtures: apps closed after each test, and a second connection to check from."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import aiomysql
import lesto_mysql
import pytest
from lesto import Lesto


def connect_params(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    return {
        "host": parts.hostname,
        "port": parts.port or 3306,
        "user": parts.username,
        "password": parts.password or "",
        "db": parts.path.lstrip("/") or None,
        "autocommit": True,
        "charset": "utf8mb4",
    }


@pytest.fixture
def mysql_params(mysql_url: str) -> dict[str, Any]:
    """``aiomysql.connect`` keywords for the test's database."""
    return connect_params(mysql_url)


@pytest.fixture
async def make_app() -> AsyncIterator[Callable[..., Awaitable[Lesto]]]:
    """``await make_app(url=..., **options)``: a readied app with lesto-mysql, closed afterwards."""
    apps: list[Lesto] = []

    async def make(**options: Any) -> Lesto:
        app = Lesto()
        apps.append(app)
        app.register(lesto_mysql.plugin, **options)
        await app.ready()
        return app

    yield make
    for app in apps:
        await app.close()


@pytest.fixture
async def peer(mysql_url: str) -> AsyncIterator[Callable[..., Awaitable[list[Any]]]]:
    """``await peer(sql, args)``: run SQL on a connection of its own (not the plugin's)."""
    conn = await aiomysql.connect(**connect_params(mysql_url))

    async def run(sql: str, args: Any = None) -> list[Any]:
        async with conn.cursor() as cursor:
            await cursor.execute(sql, args)
            return list(await cursor.fetchall())

    yield run
    conn.close()


@pytest.fixture
async def users(peer: Callable[..., Awaitable[list[Any]]]) -> None:
    """A ``users`` table with two rows."""
    await peer(
        "CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100)) "
        "CHARACTER SET utf8mb4"
    )
    await peer("INSERT INTO users (name) VALUES ('ada'), ('grace')")
