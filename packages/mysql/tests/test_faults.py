"""Pool exhaustion, connections the server dropped, and a server restart mid-run."""

import asyncio

import pytest
from lesto_mysql import errors

pytestmark = pytest.mark.usefixtures("users")


async def test_pool_timeout_after_acquire_timeout(make_app, mysql_url):
    app = await make_app(url=mysql_url, maxsize=1, acquire_timeout=0.1)
    async with app.mysql.connect():
        with pytest.raises(errors.LST_MYSQL_ERR_POOL_TIMEOUT) as caught:
            await app.mysql.query("SELECT 1")
    assert caught.value.status_code == 503
    assert await app.mysql.query("SELECT 1 AS one") == [{"one": 1}]


async def test_each_queued_caller_times_out_at_its_own_deadline(make_app, mysql_url):
    """One timer serves the whole queue: it is armed again for each later waiter."""
    app = await make_app(url=mysql_url, maxsize=1, acquire_timeout=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()

    async def timed_out_after() -> float:
        with pytest.raises(errors.LST_MYSQL_ERR_POOL_TIMEOUT):
            await app.mysql.query("SELECT 1")
        return loop.time() - started

    async with app.mysql.connect():
        first = asyncio.create_task(timed_out_after())
        await asyncio.sleep(0.1)
        second = asyncio.create_task(timed_out_after())
        cancelled = asyncio.create_task(app.mysql.query("SELECT 1"))
        await asyncio.sleep(0)
        cancelled.cancel()
        assert 0.18 < await first < 0.28
        assert 0.28 < await second < 0.45
        with pytest.raises(asyncio.CancelledError):
            await cancelled
    assert await app.mysql.query("SELECT 1 AS one") == [{"one": 1}]  # the turn came back


async def test_waiters_get_the_connection_when_it_is_released(make_app, mysql_url):
    app = await make_app(url=mysql_url, maxsize=1, acquire_timeout=5)
    results = await asyncio.gather(*(app.mysql.query("SELECT %s AS n", [i]) for i in range(20)))
    assert [rows[0]["n"] for rows in results] == list(range(20))


@pytest.mark.parametrize("kind", ["pool", "connection"])
async def test_waiters_are_served_in_arrival_order(make_app, mysql_url, kind):
    app = await make_app(url=mysql_url, type=kind, maxsize=1)
    order = []

    async def waiter(index):
        for _ in range(2):  # coming back at once must not overtake the others
            async with app.mysql.connect():
                order.append(index)

    async with app.mysql.connect():
        tasks = [asyncio.create_task(waiter(i)) for i in range(4)]
        await asyncio.sleep(0.05)
    await asyncio.gather(*tasks)
    assert order == [0, 1, 2, 3, 0, 1, 2, 3]


async def kill_all_but(peer, keep_thread):
    """Kill every client connection of the server except ``keep_thread`` (the peer)."""
    rows = await peer(
        "SELECT id FROM information_schema.processlist WHERE command <> 'Daemon' AND id <> %s",
        [keep_thread],
    )
    for (thread,) in rows:
        await peer("KILL CONNECTION %s", [thread])
    return len(rows)


async def peer_thread(peer):
    return (await peer("SELECT CONNECTION_ID()"))[0][0]


@pytest.mark.parametrize("kind", ["pool", "connection"])
async def test_connections_dropped_by_the_server_are_replaced(make_app, mysql_url, peer, kind):
    app = await make_app(url=mysql_url, type=kind, minsize=3)
    before = await app.mysql.query("SELECT CONNECTION_ID() AS id")
    assert await kill_all_but(peer, await peer_thread(peer)) >= 1
    for _ in range(5):  # every idle connection is dead; none of them may reach the caller
        after = await app.mysql.query("SELECT CONNECTION_ID() AS id")
        assert after != before


async def test_pool_recovers_from_a_server_restart(make_app, mysql_url, mysql_service):
    app = await make_app(url=mysql_url, minsize=3, maxsize=5)
    await asyncio.gather(*(app.mysql.query("SELECT SLEEP(0.05)") for _ in range(5)))
    mysql_service.restart()  # blocks the loop: it cannot notice the closed sockets before use
    results = await asyncio.gather(
        *(app.mysql.query("SELECT COUNT(*) AS n FROM users") for _ in range(10))
    )
    assert all(rows == [{"n": 2}] for rows in results)
    async with app.mysql.transaction() as conn:
        await conn.execute("INSERT INTO users (name) VALUES ('after restart')")
    assert await app.mysql.query("SELECT COUNT(*) AS n FROM users") == [{"n": 3}]


async def test_single_connection_recovers_from_a_server_restart(make_app, mysql_url, mysql_service):
    app = await make_app(url=mysql_url, type="connection")
    assert await app.mysql.query("SELECT COUNT(*) AS n FROM users") == [{"n": 2}]
    await asyncio.to_thread(mysql_service.restart)  # the loop runs meanwhile
    assert await app.mysql.query("SELECT COUNT(*) AS n FROM users") == [{"n": 2}]
    await app.mysql.ping()


async def test_queries_during_an_outage_fail_then_succeed(make_app, mysql_url, mysql_service):
    app = await make_app(url=mysql_url, connect_timeout=1)
    mysql_service.kill()
    try:
        with pytest.raises(Exception, match=r"2003|2013"):
            await app.mysql.query("SELECT 1")
    finally:
        mysql_service.restart()
    assert await app.mysql.query("SELECT COUNT(*) AS n FROM users") == [{"n": 2}]
