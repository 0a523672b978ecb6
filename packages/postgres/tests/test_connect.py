"""Before ready() completes, the plugin has used the server once; failures name it."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Callable
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import lesto_postgres
import pytest
from lesto import Lesto, errors

from .conftest import SMALL


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def silent_server() -> AsyncIterator[int]:
    """A port that accepts TCP connections and never says a word (a hung server)."""
    held: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


def with_database(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


async def failure(app: Lesto) -> tuple[BaseException, float]:
    started = time.monotonic()
    with pytest.raises(Exception) as caught:
        await app.ready()
    return caught.value, time.monotonic() - started


async def test_refused_connection_names_the_server_and_fails_fast(new_app: Callable[..., Lesto]):
    port = free_port()
    app = new_app()
    app.register(lesto_postgres.plugin, url=f"postgresql://postgres@127.0.0.1:{port}/shop")
    error, elapsed = await failure(app)
    assert isinstance(error, lesto_postgres.LST_PG_ERR_CONNECT)
    assert isinstance(error, ConnectionError)
    assert f'127.0.0.1:{port}, database "shop"' in error.message
    assert isinstance(error.__cause__, OSError)
    assert type(error.__cause__).__name__ in error.message
    assert error.__notes__ == ["while loading plugin: root -> lesto-postgres"]
    assert elapsed < 2


async def test_a_silent_server_fails_at_connect_timeout_not_the_plugin_timeout(
    new_app: Callable[..., Lesto], silent_server: int
):
    app = new_app(plugin_timeout=10)
    url = f"postgresql://postgres@127.0.0.1:{silent_server}/shop"
    app.register(lesto_postgres.plugin, url=url, connect_timeout=0.5)
    error, elapsed = await failure(app)
    assert isinstance(error, lesto_postgres.LST_PG_ERR_CONNECT)
    assert f"127.0.0.1:{silent_server}" in error.message
    assert "connect_timeout" in error.message
    assert isinstance(error.__cause__, TimeoutError)
    assert 0.4 < elapsed < 3


async def test_the_default_connect_timeout_ends_before_a_short_plugin_timeout(
    new_app: Callable[..., Lesto], silent_server: int
):
    app = new_app(plugin_timeout=1)
    app.register(lesto_postgres.plugin, url=f"postgresql://u@127.0.0.1:{silent_server}/db")
    error, elapsed = await failure(app)
    assert not isinstance(error, errors.LST_ERR_PLUGIN_TIMEOUT)
    assert isinstance(error, lesto_postgres.LST_PG_ERR_CONNECT)
    assert 0.6 < elapsed < 1


async def test_even_an_empty_pool_checks_the_server(
    new_app: Callable[..., Lesto], silent_server: int
):
    app = new_app()
    url = f"postgresql://postgres@127.0.0.1:{silent_server}/db"
    app.register(lesto_postgres.plugin, url=url, min_size=0, connect_timeout=0.3)
    error, _ = await failure(app)
    assert isinstance(error, lesto_postgres.LST_PG_ERR_CONNECT)


async def test_a_server_that_refuses_the_database(new_app: Callable[..., Lesto], postgres_url: str):
    app = new_app()
    app.register(lesto_postgres.plugin, url=with_database(postgres_url, "no_such_db"), **SMALL)
    error, elapsed = await failure(app)
    assert isinstance(error, lesto_postgres.LST_PG_ERR_CONNECT)
    assert 'database "no_such_db"' in error.message
    assert isinstance(error.__cause__, asyncpg.InvalidCatalogNameError)
    assert elapsed < 2


async def test_ready_has_used_the_server(new_app: Callable[..., Lesto], postgres_url: str):
    app = new_app()
    await app.register(lesto_postgres.plugin, url=postgres_url, min_size=0, max_size=1)
    assert app.pg.pool.get_size() == 1  # the check's connection, kept by the pool


async def test_a_pool_passed_in_is_used_and_left_open(
    new_app: Callable[..., Lesto], postgres_url: str
):
    pool = await asyncpg.create_pool(postgres_url, min_size=1, max_size=1)
    app = new_app()
    await app.register(lesto_postgres.plugin, pool=pool)
    assert app.pg.pool is pool
    assert await app.pg.fetchval("SELECT 41 + 1") == 42
    await app.close()
    assert not pool.is_closing()
    assert await pool.fetchval("SELECT 1") == 1
    await pool.close()


async def test_close_pool_closes_a_pool_passed_in(new_app: Callable[..., Lesto], postgres_url: str):
    pool = asyncpg.create_pool(postgres_url, min_size=1, max_size=1)  # not awaited: ready() does
    app = new_app()
    await app.register(lesto_postgres.plugin, pool=pool, close_pool=True)
    assert await app.pg.fetchval("SELECT 1") == 1
    await app.close()
    with pytest.raises(asyncpg.InterfaceError):
        await pool.fetchval("SELECT 1")


async def test_a_pool_passed_in_that_cannot_connect(new_app: Callable[..., Lesto]):
    port = free_port()
    pool = asyncpg.create_pool(f"postgresql://postgres@127.0.0.1:{port}/app", min_size=1)
    app = new_app()
    app.register(lesto_postgres.plugin, pool=pool)
    error, _ = await failure(app)
    assert isinstance(error, lesto_postgres.LST_PG_ERR_CONNECT)
    assert f'127.0.0.1:{port}, database "app"' in error.message
