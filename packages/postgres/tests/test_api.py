"""app.pg: queries, connections, transactions, ping and the pool."""

from __future__ import annotations

import asyncpg
import lesto_postgres
import pytest
from lesto import Lesto

from .conftest import names


async def test_queries(pg_app: Lesto):
    pg = pg_app.pg
    rows = await pg.query("SELECT id, name FROM users ORDER BY id")
    assert [tuple(row) for row in rows] == [(1, "Ada"), (2, "Grace")]
    assert await pg.fetch("SELECT id, name FROM users WHERE id > $1", 1) == rows[1:2]
    row = await pg.fetchrow("SELECT * FROM users WHERE id = $1", 2)
    assert row is not None
    assert row["name"] == "Grace"
    assert await pg.fetchrow("SELECT * FROM users WHERE id = $1", 99) is None
    assert await pg.fetchval("SELECT count(*) FROM users") == 2
    assert await pg.fetchval("SELECT id, name FROM users WHERE id = 1", column=1) == "Ada"
    assert await pg.execute("INSERT INTO users VALUES ($1, $2)", 3, "Linus") == "INSERT 0 1"
    await pg.executemany("INSERT INTO users VALUES ($1, $2)", [(4, "Barbara"), (5, "Edsger")])
    assert await pg.fetchval("SELECT count(*) FROM users") == 5


async def test_query_timeout(pg_app: Lesto):
    with pytest.raises(TimeoutError):
        await pg_app.pg.fetchval("SELECT pg_sleep(5)", timeout=0.1)
    assert await pg_app.pg.fetchval("SELECT 1") == 1  # the pool recovered the connection


async def test_errors_reach_the_caller_and_the_connection_goes_back(pg_app: Lesto):
    for _ in range(3):  # more than max_size: a leaked connection would show
        with pytest.raises(asyncpg.UniqueViolationError):
            await pg_app.pg.execute("INSERT INTO users VALUES (1, 'Ada again')")
    assert pg_app.pg.pool.get_idle_size() == pg_app.pg.pool.get_size()


async def test_connect_lends_a_connection(pg_app: Lesto):
    pool = pg_app.pg.pool
    async with pg_app.pg.connect() as conn:
        assert await conn.fetchval("SELECT name FROM users WHERE id = 1") == "Ada"
        assert pool.get_idle_size() == pool.get_size() - 1
    assert pool.get_idle_size() == pool.get_size()


async def test_transaction_commits(pg_app: Lesto, postgres_url: str):
    async with pg_app.pg.transaction() as conn:
        assert conn.is_in_transaction()
        await conn.execute("INSERT INTO users VALUES (3, 'Linus')")
        assert await names(postgres_url) == ["Ada", "Grace"]  # not committed yet
    assert await names(postgres_url) == ["Ada", "Grace", "Linus"]


async def test_transaction_rolls_back_on_exception(pg_app: Lesto, postgres_url: str):
    async def add_then_fail() -> None:
        async with pg_app.pg.transaction() as conn:
            await conn.execute("INSERT INTO users VALUES (3, 'Linus')")
            raise LookupError("no")

    with pytest.raises(LookupError):
        await add_then_fail()
    assert await names(postgres_url) == ["Ada", "Grace"]
    assert pg_app.pg.pool.get_idle_size() == pg_app.pg.pool.get_size()


async def test_transaction_options(pg_app: Lesto):
    async with pg_app.pg.transaction(isolation="serializable", readonly=True) as conn:
        assert await conn.fetchval("SHOW transaction_isolation") == "serializable"
        with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
            await conn.execute("DELETE FROM users")


async def test_transact_returns_what_the_function_returns(pg_app: Lesto, postgres_url: str):
    async def add_user(conn: asyncpg.Connection) -> int:
        await conn.execute("INSERT INTO users VALUES (3, 'Linus')")
        return int(await conn.fetchval("SELECT count(*) FROM users"))

    assert await pg_app.pg.transact(add_user) == 3
    assert await names(postgres_url) == ["Ada", "Grace", "Linus"]
    assert await pg_app.pg.transact(lambda conn: "plain") == "plain"


async def test_transact_rolls_back_and_reraises(pg_app: Lesto, postgres_url: str):
    async def fails(conn: asyncpg.Connection) -> None:
        await conn.execute("INSERT INTO users VALUES (3, 'Linus')")
        await conn.execute("INSERT INTO users VALUES (4, 'Ada')")  # unique name

    with pytest.raises(asyncpg.UniqueViolationError):
        await pg_app.pg.transact(fails)
    assert await names(postgres_url) == ["Ada", "Grace"]


async def test_a_savepoint_lets_a_transact_function_recover(pg_app: Lesto, postgres_url: str):
    # The README's pattern: catch errors inside a nested transaction (a savepoint).
    async def add_or_skip(conn: asyncpg.Connection) -> str:
        await conn.execute("INSERT INTO users VALUES (3, 'Linus')")
        try:
            async with conn.transaction():
                await conn.execute("INSERT INTO users VALUES (4, 'Ada')")
        except asyncpg.UniqueViolationError:
            return "skipped"
        return "added"

    assert await pg_app.pg.transact(add_or_skip) == "skipped"
    assert await names(postgres_url) == ["Ada", "Grace", "Linus"]


async def test_transact_needs_a_function(pg_app: Lesto):
    with pytest.raises(lesto_postgres.LST_PG_ERR_TRANSACT_INVALID):
        await pg_app.pg.transact("INSERT INTO users VALUES (3, 'x')")  # type: ignore[arg-type]


async def test_ping_and_pool(pg_app: Lesto):
    assert await pg_app.pg.ping() is None
    assert isinstance(pg_app.pg.pool, asyncpg.Pool)
    assert pg_app.pg.name is None


async def test_a_free_connection_is_borrowed_without_a_timer(pg_app: Lesto):
    # With asyncpg's queue of free slots in view, a borrower that cannot wait
    # skips the acquire_timeout timer; an asyncpg that moves the queue would
    # only cost speed, and this test would say so.
    assert pg_app.pg._free is pg_app.pg.pool._queue._queue
    assert await pg_app.pg.fetchval("SELECT 1") == 1


async def test_pool_options_reach_asyncpg(new_app, postgres_url: str):
    initialised: list[int] = []

    async def init(conn: asyncpg.Connection) -> None:
        initialised.append(conn.get_server_pid())

    app = new_app()
    await app.register(
        lesto_postgres.plugin,
        url=postgres_url,
        min_size=2,
        max_size=3,
        init=init,
        server_settings={"application_name": "lesto-test"},
        command_timeout=0.2,
    )
    pool = app.pg.pool
    assert (pool.get_min_size(), pool.get_max_size()) == (2, 3)
    assert len(initialised) == 2
    assert await app.pg.fetchval("SHOW application_name") == "lesto-test"
    with pytest.raises(TimeoutError):
        await app.pg.execute("SELECT pg_sleep(2)")  # command_timeout
