"""connect(), transaction() and transact(): commits and rollbacks, seen from another connection."""

import asyncio

import pytest

pytestmark = pytest.mark.usefixtures("users")


class BoomError(Exception):
    pass


async def test_transaction_commits_on_success(make_app, mysql_url, peer):
    app = await make_app(url=mysql_url)
    async with app.mysql.transaction() as conn:
        await conn.execute("INSERT INTO users (name) VALUES (%s)", ["in tx"])
        assert await peer("SELECT COUNT(*) FROM users") == [(2,)]  # not visible yet
    assert await peer("SELECT name FROM users WHERE id = 3") == [("in tx",)]


async def test_transaction_rolls_back_on_error(make_app, mysql_url, peer):
    app = await make_app(url=mysql_url, maxsize=1)

    async def delete_then_fail():
        async with app.mysql.transaction() as conn:
            await conn.execute("DELETE FROM users")
            raise BoomError

    with pytest.raises(BoomError):
        await delete_then_fail()
    assert await peer("SELECT COUNT(*) FROM users") == [(2,)]
    assert await app.mysql.query("SELECT COUNT(*) AS n FROM users") == [{"n": 2}]


async def test_transaction_rolls_back_when_cancelled(make_app, mysql_url, peer):
    app = await make_app(url=mysql_url, maxsize=1)
    inside = asyncio.Event()

    async def work():
        async with app.mysql.transaction() as conn:
            await conn.execute("DELETE FROM users")
            inside.set()
            await asyncio.Event().wait()

    task = asyncio.create_task(work())
    await inside.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await peer("SELECT COUNT(*) FROM users") == [(2,)]
    assert await app.mysql.query("SELECT COUNT(*) AS n FROM users") == [{"n": 2}]


async def test_transact_returns_the_result_and_commits(make_app, mysql_url, peer):
    app = await make_app(url=mysql_url)

    async def rename(conn):
        await conn.execute("UPDATE users SET name = %s WHERE id = %s", ["ADA", 1])
        return (await conn.query("SELECT name FROM users WHERE id = 1"))[0]["name"]

    assert await app.mysql.transact(rename) == "ADA"
    assert await peer("SELECT name FROM users WHERE id = 1") == [("ADA",)]


async def test_transact_rolls_back_and_reraises(make_app, mysql_url, peer):
    app = await make_app(url=mysql_url)

    async def fail(conn):
        await conn.execute("DELETE FROM users")
        raise BoomError

    with pytest.raises(BoomError):
        await app.mysql.transact(fail)
    assert await peer("SELECT COUNT(*) FROM users") == [(2,)]


async def test_transact_accepts_a_plain_function(make_app, mysql_url):
    app = await make_app(url=mysql_url)
    assert await app.mysql.transact(lambda conn: "sync") == "sync"


async def test_a_failing_statement_inside_transact_can_be_caught(make_app, mysql_url, peer):
    app = await make_app(url=mysql_url)

    async def tolerant(conn):
        await conn.execute("INSERT INTO users (name) VALUES ('kept')")
        try:
            await conn.execute("INSERT INTO users (id, name) VALUES (1, 'duplicate')")
        except Exception as error:
            return error.args[0]
        return None

    assert await app.mysql.transact(tolerant) == 1062  # ER_DUP_ENTRY; the transaction goes on
    assert await peer("SELECT name FROM users ORDER BY id") == [("ada",), ("grace",), ("kept",)]


async def test_connect_yields_a_connection_and_releases_it(make_app, mysql_url):
    app = await make_app(url=mysql_url, maxsize=1)
    async with app.mysql.connect() as conn:
        assert await conn.query("SELECT COUNT(*) AS n FROM users") == [{"n": 2}]
        async with conn.cursor() as cursor:
            await cursor.execute("SELECT name FROM users WHERE id = %s", [2])
            assert await cursor.fetchone() == {"name": "grace"}
        assert app.mysql.pool.freesize == 0
    assert app.mysql.pool.freesize == 1


async def test_connect_with_explicit_transaction_methods(make_app, mysql_url, peer):
    app = await make_app(url=mysql_url)
    async with app.mysql.connect() as conn:
        await conn.begin()
        await conn.execute("DELETE FROM users WHERE id = 1")
        await conn.rollback()
        await conn.begin()
        await conn.execute("DELETE FROM users WHERE id = 2")
        await conn.commit()
    assert await peer("SELECT id FROM users") == [(1,)]


async def test_a_connection_left_in_a_transaction_is_not_reused(make_app, mysql_url, peer):
    app = await make_app(url=mysql_url, maxsize=1)
    async with app.mysql.connect() as conn:
        await conn.begin()
        await conn.execute("DELETE FROM users")
    assert await peer("SELECT COUNT(*) FROM users") == [(2,)]
    assert await app.mysql.query("SELECT COUNT(*) AS n FROM users") == [{"n": 2}]
