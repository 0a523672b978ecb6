"""Options, the readiness check, named instances, misuse errors and closing."""

import asyncio
import socket
import time

import aiomysql
import lesto_mysql
import pytest
from lesto import Lesto
from lesto_mysql import errors


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def ready_error(**options):
    app = Lesto()
    app.register(lesto_mysql.plugin, **options)
    with pytest.raises(Exception) as caught:
        await app.ready()
    await app.close()
    return caught.value


# --- options ------------------------------------------------------------------------------------


async def test_unknown_option_is_named():
    error = await ready_error(url="mysql://root@127.0.0.1/x", conection_limit=3)
    assert isinstance(error, errors.LST_MYSQL_ERR_OPTION_UNKNOWN)
    assert "conection_limit" in str(error)


@pytest.mark.parametrize(
    ("options", "key"),
    [
        ({}, "url"),
        ({"url": "postgres://x/y"}, "url"),
        ({"url": "mysql://h/db?charset=latin1"}, "url"),
        ({"url": "mysql://h:notaport/db"}, "url"),
        ({"url": "mysql://h/db", "type": "cluster"}, "type"),
        ({"url": "mysql://h/db", "cursor": "named"}, "cursor"),
        ({"url": "mysql://h/db", "minsize": -1}, "minsize"),
        ({"url": "mysql://h/db", "maxsize": 0}, "maxsize"),
        ({"url": "mysql://h/db", "minsize": 5, "maxsize": 2}, "maxsize"),
        ({"url": "mysql://h/db", "connect_timeout": 0}, "connect_timeout"),
        ({"url": "mysql://h/db", "acquire_timeout": "1"}, "acquire_timeout"),
        ({"url": "mysql://h/db", "autocommit": 1}, "autocommit"),
        ({"url": "mysql://h/db", "ssl": True}, "ssl"),
        ({"url": "mysql://h/db", "name": "not valid"}, "name"),
        ({"url": "mysql://h/db", "name": "_private"}, "name"),
        ({"url": "mysql://h/db", "close_pool": True}, "close_pool"),
        ({"url": "mysql://h/db", "connect_timeout": 30}, "connect_timeout"),
        ({"pool": object()}, "pool"),
    ],
)
async def test_invalid_options_name_the_key(options, key):
    error = await ready_error(**options)
    assert isinstance(error, errors.LST_MYSQL_ERR_OPTION_INVALID)
    assert error.args[0] == key


@pytest.mark.parametrize("key", ["url", "minsize", "charset", "autocommit"])
async def test_connection_options_conflict_with_a_given_pool(mysql_url, key):
    pool = await aiomysql.create_pool(minsize=0, host="127.0.0.1")
    values = {"url": mysql_url, "minsize": 1, "charset": "utf8", "autocommit": True}
    error = await ready_error(pool=pool, **{key: values[key]})
    pool.close()
    await pool.wait_closed()
    assert isinstance(error, errors.LST_MYSQL_ERR_OPTION_INVALID)
    assert error.args[0] == key


def test_defaults_are_documented_values():
    assert lesto_mysql.DEFAULTS["charset"] == "utf8mb4"
    assert lesto_mysql.DEFAULTS["type"] == "pool"
    assert lesto_mysql.DEFAULTS["connect_timeout"] < 10  # below the default plugin_timeout


# --- readiness ----------------------------------------------------------------------------------


async def test_unreachable_server_names_host_port_database_and_cause():
    port = closed_port()
    started = time.perf_counter()
    error = await ready_error(url=f"mysql://root@127.0.0.1:{port}/shop")
    elapsed = time.perf_counter() - started
    assert isinstance(error, errors.LST_MYSQL_ERR_CONNECT)
    assert error.status_code == 503
    assert f"127.0.0.1:{port}" in str(error)
    assert "'shop'" in str(error)
    assert isinstance(error.__cause__, aiomysql.OperationalError)
    print(f"unreachable server: failed in {elapsed * 1000:.1f} ms")


async def test_silent_server_fails_with_connect_timeout_not_plugin_timeout():
    async def accept_and_wait(reader, writer):
        await asyncio.sleep(30)

    server = await asyncio.start_server(accept_and_wait, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    app = Lesto(plugin_timeout=1)
    app.register(lesto_mysql.plugin, url=f"mysql://root@127.0.0.1:{port}/shop")
    started = time.perf_counter()
    with pytest.raises(errors.LST_MYSQL_ERR_CONNECT, match=r"no answer within 0\.8 s"):
        await app.ready()
    print(f"silent server: failed in {(time.perf_counter() - started) * 1000:.0f} ms")
    await app.close()
    server.close()


async def test_unknown_database_is_a_connect_error(mysql_url):
    base = mysql_url.rsplit("/", 1)[0]
    error = await ready_error(url=f"{base}/no_such_database")
    assert isinstance(error, errors.LST_MYSQL_ERR_CONNECT)
    assert "1049" in str(error.__cause__)


async def test_refused_login_is_a_connect_error(mysql_url):
    error = await ready_error(url=mysql_url.replace("root@", "nobody:wrong@"))
    assert isinstance(error, errors.LST_MYSQL_ERR_CONNECT)
    assert "1045" in str(error.__cause__)


# --- instances ----------------------------------------------------------------------------------


async def test_named_instances_beside_an_unnamed_one(mysql_url):
    app = Lesto()
    app.register(lesto_mysql.plugin, url=mysql_url, name="replica", cursor="tuple")
    app.register(lesto_mysql.plugin, url=mysql_url)
    app.register(lesto_mysql.plugin, url=mysql_url, name="reports", type="connection")
    await app.ready()
    try:
        assert await app.mysql.query("SELECT 1 AS one") == [{"one": 1}]
        assert await app.mysql.replica.query("SELECT 1") == [(1,)]
        assert await app.mysql.reports.query("SELECT 2 AS two") == [{"two": 2}]
        assert set(app.mysql.names) == {"replica", "reports"}
    finally:
        await app.close()


async def test_only_named_instances_leave_app_mysql_without_queries(mysql_url):
    app = Lesto()
    app.register(lesto_mysql.plugin, url=mysql_url, name="primary")
    await app.ready()
    try:
        assert await app.mysql.primary.query("SELECT 1 AS one") == [{"one": 1}]
        with pytest.raises(errors.LST_MYSQL_ERR_NO_DEFAULT):
            await app.mysql.query("SELECT 1")
    finally:
        await app.close()


async def test_registering_twice_without_a_name_is_refused(mysql_url):
    app = Lesto()
    app.register(lesto_mysql.plugin, url=mysql_url)
    app.register(lesto_mysql.plugin, url=mysql_url)
    with pytest.raises(errors.LST_MYSQL_ERR_ALREADY_REGISTERED):
        await app.ready()
    await app.close()


async def test_a_duplicate_name_is_refused(mysql_url):
    app = Lesto()
    app.register(lesto_mysql.plugin, url=mysql_url, name="replica")
    app.register(lesto_mysql.plugin, url=mysql_url, name="replica")
    with pytest.raises(errors.LST_MYSQL_ERR_DUPLICATE_NAME):
        await app.ready()
    await app.close()


@pytest.mark.parametrize("name", ["query", "pool", "transaction", "escape_id", "names"])
async def test_a_name_of_the_api_is_reserved(mysql_url, name):
    error = await ready_error(url=mysql_url, name=name)
    assert isinstance(error, errors.LST_MYSQL_ERR_RESERVED_NAME)


# --- single connection ----------------------------------------------------------------------------


async def test_connection_type_serialises_users_of_one_connection(make_app, mysql_url):
    app = await make_app(url=mysql_url, type="connection", acquire_timeout=0.2)
    assert app.mysql.pool is None
    thread = app.mysql.connection.thread_id()
    results = await asyncio.gather(*(app.mysql.query("SELECT %s AS n", [i]) for i in range(5)))
    assert [rows[0]["n"] for rows in results] == list(range(5))
    async with app.mysql.connect():
        with pytest.raises(errors.LST_MYSQL_ERR_POOL_TIMEOUT):
            await app.mysql.query("SELECT 1")
    assert app.mysql.connection.thread_id() == thread


# --- closing ------------------------------------------------------------------------------------


async def test_close_closes_the_pool_it_made(mysql_url):
    app = Lesto()
    app.register(lesto_mysql.plugin, url=mysql_url)
    await app.ready()
    pool = app.mysql.pool
    await app.close()
    assert pool.closed
    with pytest.raises(errors.LST_MYSQL_ERR_CLOSED):
        await app.mysql.query("SELECT 1")


async def test_close_waits_for_busy_connections_then_gives_up(mysql_url):
    app = Lesto()
    app.register(lesto_mysql.plugin, url=mysql_url, close_timeout=0.2)
    await app.ready()
    pool = app.mysql.pool
    held = await pool.acquire()  # never released: close must not hang
    started = time.perf_counter()
    await app.close()
    print(f"close with a busy connection: {(time.perf_counter() - started) * 1000:.0f} ms")
    assert pool.closed
    assert held.closed


@pytest.mark.parametrize("close_pool", [False, True])
async def test_a_given_pool_is_closed_only_when_asked(mysql_params, close_pool):
    pool = await aiomysql.create_pool(minsize=1, maxsize=2, **mysql_params)
    app = Lesto()
    app.register(lesto_mysql.plugin, pool=pool, close_pool=close_pool)
    await app.ready()
    assert app.mysql.pool is pool
    assert await app.mysql.query("SELECT 1 AS one") == [{"one": 1}]
    await app.close()
    assert pool.closed is close_pool
    if not close_pool:
        pool.close()
        await pool.wait_closed()


async def test_connection_type_says_goodbye_on_close(mysql_url):
    app = Lesto()
    app.register(lesto_mysql.plugin, url=mysql_url, type="connection")
    await app.ready()
    conn = app.mysql.connection
    await app.close()
    assert conn.closed
