"""Shared helpers: apps that are closed after each test, and a seeded table.

Every test that talks to PostgreSQL uses lesto-testing's ``postgres_url``
(an empty database of a real server, dropped after the test).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncpg
import lesto_postgres
import pytest
from lesto import Lesto

#: Small pools: a test rarely needs more, and a fresh database per test adds up.
SMALL = {"min_size": 1, "max_size": 2}


@pytest.fixture
async def new_app() -> AsyncIterator[Callable[..., Lesto]]:
    """``new_app(**factory_options)``: a Lesto app closed when the test ends."""
    created: list[Lesto] = []

    def make(**options: Any) -> Lesto:
        app = Lesto(**options)
        created.append(app)
        return app

    yield make
    for app in reversed(created):
        await app.close()


@pytest.fixture
async def pg_app(new_app: Callable[..., Lesto], postgres_url: str) -> Lesto:
    """An app with lesto-postgres loaded (small pool) on a fresh database with a users table."""
    await seed(postgres_url)
    app = new_app()
    await app.register(lesto_postgres.plugin, url=postgres_url, **SMALL)
    return app


async def seed(url: str) -> None:
    """``users(id int primary key, name text unique)`` with Ada (1) and Grace (2)."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            """
            CREATE TABLE users (id int PRIMARY KEY, name text UNIQUE NOT NULL);
            INSERT INTO users VALUES (1, 'Ada'), (2, 'Grace');
            """
        )
    finally:
        await conn.close()


async def names(url: str) -> list[str]:
    """The users' names, read on a connection of its own (what others see committed)."""
    conn = await asyncpg.connect(url)
    try:
        return [row["name"] for row in await conn.fetch("SELECT name FROM users ORDER BY id")]
    finally:
        await conn.close()
