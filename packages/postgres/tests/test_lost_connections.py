"""A connection lost under a request: 503 ``LST_PG_ERR_UNAVAILABLE`` wherever lesto-postgres
surfaces it (reliability issue 15: a PostgreSQL kill answered some requests 500 without a code).

``pg_terminate_backend`` ends one connection's server process the way a fast shutdown
does (FATAL 57P01, asyncpg's ``AdminShutdownError``), on the shared test server, at a
chosen moment: in the middle of a statement, while the connection is idle inside a
transaction, or during ``COMMIT``. asyncpg then reports a ``ConnectionDoesNotExistError``,
or, for a later call on a pool connection it has already taken back, an ``InterfaceError``
("connection has been released back to the pool").
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

import asyncpg
import lesto_postgres
import pytest
from lesto import Lesto

from .conftest import names

T = TypeVar("T")
CODE = "LST_PG_ERR_UNAVAILABLE"
TRANSACT = {"pg": {"transact": True}}
#: A statement that runs until its connection is ended; the comment finds it in pg_stat_activity.
SLEEP = "SELECT pg_sleep(30) /* lost */"
INSERT = "INSERT INTO users VALUES ($1, $2)"


async def end_backend(url: str, *, running: str | None = None, pid: int | None = None) -> None:
    """End the server process of the connection ``pid``, or of the one running a statement
    that contains ``running`` (waiting until it runs)."""
    admin = await asyncpg.connect(url)
    try:
        while pid is None:
            pid = await admin.fetchval(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND state = 'active' AND pid <> pg_backend_pid() AND strpos(query, $1) > 0",
                running,
            )
            await asyncio.sleep(0.01)
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


async def lost_during(url: str, work: Awaitable[T], running: str = "/* lost */") -> T:
    """Await ``work`` while the connection running ``running`` is ended under it."""
    task = asyncio.ensure_future(work)
    try:
        await end_backend(url, running=running)
    except BaseException:
        task.cancel()
        raise
    return await task


async def until_lost(conn: Any) -> None:
    """Wait until asyncpg has noticed that ``conn`` was lost."""
    while True:
        try:
            if conn.is_closed():
                return
        except asyncpg.InterfaceError:
            return  # asyncpg took its pool connection back when it was lost
        await asyncio.sleep(0.01)


def assert_unavailable(error: BaseException, cause: type[BaseException]) -> None:
    assert isinstance(error, lesto_postgres.LST_PG_ERR_UNAVAILABLE)
    assert error.code == CODE
    assert error.status_code == 503
    assert isinstance(error.__cause__, cause)


async def slow_commits(url: str) -> None:
    """Make every commit that inserted users wait (a deferred trigger sleeps at COMMIT)."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            """
            CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql
                AS $$ BEGIN PERFORM pg_sleep(30); RETURN NULL; END $$;
            CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON users
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit();
            """
        )
    finally:
        await conn.close()


# --- in the middle of a statement ------------------------------------------------------------


async def test_a_query_whose_connection_is_lost_mid_statement_is_503(
    pg_app: Lesto, postgres_url: str
) -> None:
    pg: Any = pg_app.pg  # type: ignore[attr-defined]
    with pytest.raises(lesto_postgres.LST_PG_ERR_UNAVAILABLE) as caught:
        await lost_during(postgres_url, pg.fetchval(SLEEP))
    assert_unavailable(caught.value, asyncpg.ConnectionDoesNotExistError)
    # asyncpg keeps the server's last word (FATAL 57P01) as the cause of its own error.
    assert isinstance(caught.value.__cause__, asyncpg.ConnectionDoesNotExistError)
    assert isinstance(caught.value.__cause__.__cause__, asyncpg.AdminShutdownError)
    assert await pg.fetchval("SELECT count(*) FROM users") == 2


async def test_a_transaction_whose_connection_is_lost_mid_statement_is_503_and_absent(
    pg_app: Lesto, postgres_url: str
) -> None:
    # The case of the fault run: the rollback after the lost statement asked the
    # connection whether it was closed, and asyncpg's released proxy raised InterfaceError.
    pg: Any = pg_app.pg  # type: ignore[attr-defined]

    async def write() -> None:
        async with pg.transaction() as conn:
            await conn.execute(INSERT, 3, "Lin")
            await conn.execute(SLEEP)

    with pytest.raises(lesto_postgres.LST_PG_ERR_UNAVAILABLE) as caught:
        await lost_during(postgres_url, write())
    assert_unavailable(caught.value, asyncpg.ConnectionDoesNotExistError)
    assert await names(postgres_url) == ["Ada", "Grace"]


async def test_connect_and_transact_whose_connection_is_lost_mid_statement_are_503(
    pg_app: Lesto, postgres_url: str
) -> None:
    pg: Any = pg_app.pg  # type: ignore[attr-defined]

    async def in_connect() -> None:
        async with pg.connect() as conn:
            await conn.fetchval(SLEEP)

    for work in (in_connect(), pg.transact(lambda conn: conn.fetchval(SLEEP))):
        with pytest.raises(lesto_postgres.LST_PG_ERR_UNAVAILABLE) as caught:
            await lost_during(postgres_url, work)
        assert_unavailable(caught.value, asyncpg.ConnectionDoesNotExistError)


# --- between statements: the connection was lost while idle in a transaction -----------------


async def test_a_statement_after_the_connection_was_lost_is_503(
    pg_app: Lesto, postgres_url: str
) -> None:
    pg: Any = pg_app.pg  # type: ignore[attr-defined]

    async def write() -> None:
        async with pg.transaction() as conn:
            await conn.execute(INSERT, 3, "Lin")
            await end_backend(postgres_url, pid=conn.get_server_pid())
            await until_lost(conn)
            await conn.execute(INSERT, 4, "Mae")

    with pytest.raises(lesto_postgres.LST_PG_ERR_UNAVAILABLE) as caught:
        await write()
    assert_unavailable(caught.value, asyncpg.InterfaceError)
    assert await names(postgres_url) == ["Ada", "Grace"]


async def test_a_commit_on_a_lost_connection_is_503_and_absent(
    pg_app: Lesto, postgres_url: str
) -> None:
    pg: Any = pg_app.pg  # type: ignore[attr-defined]

    async def write() -> None:
        async with pg.transaction() as conn:
            await conn.execute(INSERT, 3, "Lin")
            await end_backend(postgres_url, pid=conn.get_server_pid())
            await until_lost(conn)  # then the block ends: COMMIT

    with pytest.raises(lesto_postgres.LST_PG_ERR_UNAVAILABLE) as caught:
        await write()
    assert_unavailable(caught.value, asyncpg.InterfaceError)
    assert await names(postgres_url) == ["Ada", "Grace"]


# --- during COMMIT: the outcome is unknown to the client, the answer is still 503 ------------


async def test_a_connection_lost_during_commit_is_503(pg_app: Lesto, postgres_url: str) -> None:
    await slow_commits(postgres_url)
    pg: Any = pg_app.pg  # type: ignore[attr-defined]

    async def write() -> None:
        async with pg.transaction() as conn:
            await conn.execute(INSERT, 3, "Lin")

    with pytest.raises(lesto_postgres.LST_PG_ERR_UNAVAILABLE) as caught:
        await lost_during(postgres_url, write(), running="COMMIT")
    assert_unavailable(caught.value, asyncpg.ConnectionDoesNotExistError)
    # Ended before its commit record: absent (a commit lost after it would be complete).
    assert await names(postgres_url) == ["Ada", "Grace"]


# --- per-route transactions ------------------------------------------------------------------


async def write_and_wait(request: Any, reply: Any) -> dict[str, bool]:
    await request.pg.execute(INSERT, 3, "Lin")
    await request.pg.fetchval(SLEEP)
    return {"ok": True}


async def test_a_transact_route_whose_connection_is_lost_in_the_handler_is_503(
    pg_app: Lesto, postgres_url: str
) -> None:
    pg_app.post("/write", write_and_wait, config=TRANSACT)
    await pg_app.ready()
    response = await lost_during(postgres_url, pg_app.inject(method="POST", url="/write"))
    assert response.status_code == 503, response.body
    assert response.json()["code"] == CODE
    assert await names(postgres_url) == ["Ada", "Grace"]


async def test_a_transact_routes_own_error_handler_gets_the_coded_error(
    pg_app: Lesto, postgres_url: str
) -> None:
    def own(error: Exception, request: Any, reply: Any) -> dict[str, Any]:
        cause = type(error.__cause__).__name__
        return {"code": getattr(error, "code", None), "status": reply.status_code, "cause": cause}

    async def duplicate(request: Any, reply: Any) -> Any:
        return await request.pg.execute(INSERT, 1, "Ada again")

    pg_app.post("/write", write_and_wait, config=TRANSACT, error_handler=own)
    pg_app.post("/duplicate", duplicate, config=TRANSACT, error_handler=own)
    await pg_app.ready()
    response = await lost_during(postgres_url, pg_app.inject(method="POST", url="/write"))
    assert response.json() == {
        "code": CODE,
        "status": 503,
        "cause": "ConnectionDoesNotExistError",
    }
    duplicate_response = await pg_app.inject(method="POST", url="/duplicate")
    assert duplicate_response.json()["code"] is None  # UniqueViolationError, untouched


async def test_other_errors_of_a_transact_handler_pass_unchanged_sync_or_async(
    pg_app: Lesto,
) -> None:
    def sync_conflict(request: Any, reply: Any) -> None:
        assert request.pg.is_in_transaction()
        reply.code(409)
        raise LookupError("taken")

    async def async_conflict(request: Any, reply: Any) -> None:
        sync_conflict(request, reply)

    pg_app.post("/sync", sync_conflict, config=TRANSACT)
    pg_app.post("/async", async_conflict, config=TRANSACT)
    await pg_app.ready()
    for path in ("/sync", "/async"):
        response = await pg_app.inject(method="POST", url=path)
        assert response.status_code == 409, response.body  # the status the handler set
        assert "code" not in response.json()


async def test_a_transact_route_whose_connection_is_lost_during_commit_is_503(
    pg_app: Lesto, postgres_url: str
) -> None:
    await slow_commits(postgres_url)

    async def write(request: Any, reply: Any) -> dict[str, bool]:
        await request.pg.execute(INSERT, 3, "Lin")
        return {"ok": True}

    pg_app.post("/write", write, config=TRANSACT)
    await pg_app.ready()
    response = await lost_during(
        postgres_url, pg_app.inject(method="POST", url="/write"), running="COMMIT"
    )
    assert response.status_code == 503, response.body
    assert response.json()["code"] == CODE


# --- borrowing -------------------------------------------------------------------------------


async def test_borrowing_from_a_closed_pool_is_503(pg_app: Lesto) -> None:
    pg: Any = pg_app.pg  # type: ignore[attr-defined]
    await pg.pool.close()
    with pytest.raises(lesto_postgres.LST_PG_ERR_UNAVAILABLE) as caught:
        await pg.fetchval("SELECT 1")
    assert_unavailable(caught.value, asyncpg.InterfaceError)
