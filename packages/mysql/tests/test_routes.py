"""Over HTTP (inject): the seed example, JSON of typed rows, per-route transactions, 503s."""

import asyncio

import lesto_mysql
import pytest
from lesto import Lesto
from lesto_mysql import errors

pytestmark = [
    pytest.mark.usefixtures("users"),
]

TRANSACT = {"mysql": {"transact": True}}


@pytest.fixture
async def app_with(mysql_url):
    """``await app_with(**options)``: an app with lesto-mysql loaded, routes not yet added."""
    apps = []

    async def make(**options):
        app = Lesto()
        apps.append(app)
        await app.register(lesto_mysql.plugin, url=mysql_url, **options)
        return app

    yield make
    for app in apps:
        await app.close()


def add_insert_route(app, **route_options):
    @app.post("/users", **route_options)
    async def insert(request, reply):
        result = await request.mysql.execute(
            "INSERT INTO users (name) VALUES (%s)", [request.body["name"]]
        )
        if request.body.get("fail"):
            raise RuntimeError("handler failed after writing")
        reply.code(201)
        return {"id": result.insert_id}


async def test_seed_example_select_by_id(app_with):
    app = await app_with()

    @app.get("/user/:id")
    async def user(request, reply):
        return await app.mysql.query(
            "SELECT id, name FROM users WHERE id = %s", [request.params["id"]]
        )

    response = await app.inject(method="GET", url="/user/2")
    assert response.status_code == 200
    assert response.json() == [{"id": 2, "name": "grace"}]


async def test_decimal_and_datetime_rows_serialise_to_json(app_with):
    app = await app_with()

    @app.get("/typed")
    async def typed(request, reply):
        return await app.mysql.query(
            "SELECT CAST('12.50' AS DECIMAL(10,2)) AS price, "
            "CAST('2024-02-29 13:14:15' AS DATETIME) AS at, '🦄' AS emoji"
        )

    response = await app.inject(method="GET", url="/typed")
    assert response.status_code == 200
    assert response.json() == [{"price": "12.50", "at": "2024-02-29T13:14:15", "emoji": "🦄"}]


async def test_route_transaction_commits_after_the_handler(app_with, peer):
    app = await app_with(maxsize=1)
    seen_inside = []

    @app.post("/users", config=TRANSACT)
    async def insert(request, reply):
        await request.mysql.execute("INSERT INTO users (name) VALUES (%s)", ["new"])
        seen_inside.append(await peer("SELECT COUNT(*) FROM users"))
        return {"ok": True}

    response = await app.inject(method="POST", url="/users", payload={})
    assert response.status_code == 200
    assert seen_inside == [[(2,)]]  # not committed while the handler ran
    assert await peer("SELECT name FROM users WHERE id = 3") == [("new",)]
    assert app.mysql.pool.freesize == 1  # released


async def test_route_transaction_rolls_back_when_the_handler_raises(app_with, peer):
    app = await app_with(maxsize=1)
    add_insert_route(app, config=TRANSACT)
    response = await app.inject(method="POST", url="/users", payload={"name": "x", "fail": True})
    assert response.status_code == 500
    assert await peer("SELECT COUNT(*) FROM users") == [(2,)]
    assert app.mysql.pool.freesize == 1
    response = await app.inject(method="POST", url="/users", payload={"name": "ok"})
    assert response.status_code == 201
    assert await peer("SELECT COUNT(*) FROM users") == [(3,)]


async def test_route_transaction_rolls_back_when_a_later_hook_raises(app_with, peer):
    app = await app_with(maxsize=1)

    def refuse(request, reply, payload):
        raise RuntimeError("serialisation refused")

    add_insert_route(app, config=TRANSACT, pre_serialization=refuse)
    response = await app.inject(method="POST", url="/users", payload={"name": "x"})
    assert response.status_code == 500
    assert await peer("SELECT COUNT(*) FROM users") == [(2,)]
    assert app.mysql.pool.freesize == 1


async def test_a_failed_commit_is_an_error_reply_not_a_lost_write(app_with, peer):
    app = await app_with(maxsize=1)

    @app.post("/users", config=TRANSACT)
    async def insert(request, reply):
        await request.mysql.execute("INSERT INTO users (name) VALUES ('lost?')")
        thread = request.mysql.raw.thread_id()
        await peer("KILL CONNECTION %s", [thread])  # the commit will find no connection
        return {"ok": True}

    response = await app.inject(method="POST", url="/users", payload={})
    # The lost connection is an outage of that connection: 503, not a 201 for nothing.
    assert (response.status_code, response.json()["code"]) == (503, "LST_MYSQL_ERR_UNAVAILABLE")
    assert await peer("SELECT COUNT(*) FROM users") == [(2,)]
    response = await app.inject(method="POST", url="/users", payload={})
    assert response.status_code == 503  # the same again, on a fresh connection
    assert app.mysql.pool.freesize <= 1


async def test_routes_without_the_config_have_no_transaction(app_with):
    app = await app_with()

    @app.get("/plain")
    async def plain(request, reply):
        return {"mysql": request.mysql}

    @app.get("/off", config={"mysql": {"transact": False}})
    async def off(request, reply):
        return {"mysql": request.mysql}

    assert (await app.inject(method="GET", url="/plain")).json() == {"mysql": None}
    assert (await app.inject(method="GET", url="/off")).json() == {"mysql": None}


async def test_named_route_transaction(mysql_url, peer):
    app = Lesto()
    await app.register(lesto_mysql.plugin, url=mysql_url)
    await app.register(lesto_mysql.plugin, url=mysql_url, name="primary", maxsize=1)

    @app.post("/users", config={"mysql": {"transact": "primary"}})
    async def insert(request, reply):
        await request.mysql.primary.execute("INSERT INTO users (name) VALUES ('named')")
        return {"ok": True}

    try:
        assert (await app.inject(method="POST", url="/users", payload={})).status_code == 200
        assert await peer("SELECT name FROM users WHERE id = 3") == [("named",)]
        assert app.mysql.primary.pool.freesize == 1
    finally:
        await app.close()


async def test_unknown_instance_fails_when_the_route_is_added(app_with):
    app = await app_with()
    with pytest.raises(errors.LST_MYSQL_ERR_UNKNOWN_INSTANCE):
        app.get("/x", lambda request, reply: None, config={"mysql": {"transact": "nope"}})


@pytest.mark.parametrize(
    "spec", ["yes", {"transact": 1}, {"transaction": True}, {"transact": True, "x": 1}]
)
async def test_bad_route_config_fails_when_the_route_is_added(app_with, spec):
    app = await app_with()
    with pytest.raises(errors.LST_MYSQL_ERR_ROUTE_CONFIG):
        app.get("/x", lambda request, reply: None, config={"mysql": spec})


async def test_pool_exhaustion_answers_503_with_the_code(app_with):
    app = await app_with(maxsize=1, acquire_timeout=0.1)
    add_insert_route(app, config=TRANSACT)

    @app.get("/count")
    async def count(request, reply):
        return await app.mysql.query("SELECT COUNT(*) AS n FROM users")

    async with app.mysql.connect():
        for response in (
            await app.inject(method="POST", url="/users", payload={"name": "x"}),
            await app.inject(method="GET", url="/count"),
        ):
            assert response.status_code == 503
            assert response.json()["code"] == "LST_MYSQL_ERR_POOL_TIMEOUT"
    assert (await app.inject(method="GET", url="/count")).json() == [{"n": 2}]


async def test_concurrent_route_transactions_share_a_small_pool(app_with, peer):
    app = await app_with(maxsize=2, acquire_timeout=5)
    add_insert_route(app, config=TRANSACT)
    responses = await asyncio.gather(
        *(
            app.inject(method="POST", url="/users", payload={"name": f"u{i}", "fail": i % 2 == 0})
            for i in range(10)
        )
    )
    assert sorted(r.status_code for r in responses) == [201] * 5 + [500] * 5
    assert await peer("SELECT COUNT(*) FROM users") == [(7,)]
    assert app.mysql.pool.freesize == app.mysql.pool.size


async def test_server_restart_mid_run_over_http(app_with, mysql_service):
    app = await app_with(minsize=2)
    add_insert_route(app, config=TRANSACT)

    @app.get("/count")
    async def count(request, reply):
        return await app.mysql.query("SELECT COUNT(*) AS n FROM users")

    assert (await app.inject(method="GET", url="/count")).json() == [{"n": 2}]
    mysql_service.restart()
    assert (await app.inject(method="POST", url="/users", payload={"name": "x"})).status_code == 201
    response = await app.inject(method="GET", url="/count")
    assert response.status_code == 200
    assert response.json() == [{"n": 3}]


async def test_a_hijacked_reply_still_gives_the_connection_back(app_with, peer):
    import gc

    app = await app_with(maxsize=1, acquire_timeout=1)

    @app.post("/raw", config=TRANSACT)
    async def raw(request, reply):
        await request.mysql.execute("INSERT INTO users (name) VALUES ('hijacked')")
        reply.hijack()
        send = reply.raw
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})

    assert (await app.inject(method="POST", url="/raw", payload={})).status_code == 200
    gc.collect()
    assert await peer("SELECT COUNT(*) FROM users") == [(2,)]  # never committed
    assert await app.mysql.query("SELECT COUNT(*) AS n FROM users") == [{"n": 2}]


async def test_a_route_declared_right_after_register_waits_for_the_plugin(mysql_url, peer):
    # No await on register: the route waits for the plugin (as in Fastify), so the
    # plugin's on_route hook sees its config and gives it request.mysql.
    app = Lesto()
    app.register(lesto_mysql.plugin, url=mysql_url)
    add_insert_route(app, config=TRANSACT)

    @app.get("/plain")
    async def plain(request, reply):
        return {"none": request.mysql is None}

    try:
        response = await app.inject(method="POST", url="/users", payload={"name": "linus"})
        assert response.status_code == 201
        assert await peer("SELECT name FROM users ORDER BY id") == [
            ("ada",),
            ("grace",),
            ("linus",),
        ]
        failed = await app.inject(method="POST", url="/users", payload={"name": "x", "fail": True})
        assert failed.status_code == 500
        assert await peer("SELECT COUNT(*) FROM users") == [(3,)]
        assert (await app.inject(method="GET", url="/plain")).json() == {"none": True}
    finally:
        await app.close()


async def test_a_bad_config_right_after_register_fails_at_ready(mysql_url):
    app = Lesto()
    app.register(lesto_mysql.plugin, url=mysql_url)
    add_insert_route(app, config={"mysql": {"transact": "nope"}})
    try:
        with pytest.raises(errors.LST_MYSQL_ERR_UNKNOWN_INSTANCE):
            await app.ready()
    finally:
        await app.close()
