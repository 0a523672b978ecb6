"""Shared fixtures: a database URL per dialect (real servers from lesto-testing), queries."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiomysql
import asyncpg
import pytest

Fetch = Callable[[str, str], Awaitable[list[tuple[Any, ...]]]]
Write = Callable[..., Path]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'app.db'}"


@pytest.fixture(params=["postgres", "mysql", "sqlite"])
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh, empty database of each kind."""
    name = request.param
    url: str = request.getfixturevalue("sqlite_url" if name == "sqlite" else f"{name}_url")
    return url


def dialect(url: str) -> str:
    return {"postgresql": "postgres", "mysql": "mysql", "sqlite": "sqlite"}[url.split(":")[0]]


async def fetch_rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    """Run one query with the database's own driver and return its rows as tuples."""
    kind = dialect(url)
    if kind == "postgres":
        conn = await asyncpg.connect(url)
        try:
            return [tuple(row) for row in await conn.fetch(sql)]
        finally:
            await conn.close()
    if kind == "mysql":
        parts = urlsplit(url)
        conn = await aiomysql.connect(
            host=parts.hostname,
            port=parts.port,
            user="root",
            db=parts.path.strip("/"),
            autocommit=True,
        )
        try:
            async with conn.cursor() as cursor:
                await cursor.execute(sql)
                return [tuple(row) for row in await cursor.fetchall()]
        finally:
            await conn.ensure_closed()
    with sqlite3.connect(urlsplit(url).path[1:]) as conn:
        return [tuple(row) for row in conn.execute(sql).fetchall()]


@pytest.fixture
def fetch() -> Fetch:
    return fetch_rows


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """Write migration files: ``write(**{"001.do.x.sql": "..."})`` into tmp_path/migrations."""
    folder = tmp_path / "migrations"

    def write_files(files: dict[str, str] | None = None, /, **more: str) -> Path:
        folder.mkdir(exist_ok=True)
        for name, text in {**(files or {}), **more}.items():
            (folder / name).write_text(text, encoding="utf-8", newline="")
        return folder

    return write_files
