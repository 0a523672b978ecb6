"""Per-route transactions: config={"pg": {"transact": True | name}}, through real requests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import asyncpg
import lesto_postgres
import orjson
import pytest
from lesto import Lesto

from .conftest import SMALL, names, seed

TRANSACT = {"pg": {"transact": True}}


def idle(app: Lesto) -> bool:
    """Every connection of the pool is back."""
    pool = app.pg.pool
    return bool(pool.get_idle_size() == pool.get_size())


async def add_user(request: Any, reply: Any) -> dict[str, Any]:
    body = request.body
    await request.pg.execute("INSERT INTO users VALUES ($1, $2)", body["id"], body["name"])
    return {"added": body["name"], "in_transaction": request.pg.is_in_transaction()}


async def test_the_transaction_commits_before_the_response_starts(pg_app: Lesto, postgres_url: str):
    pg_app.post("/users", add_user, config=TRANSACT)
    await pg_app.ready()
    seen_at_start: list[list[str]] = []
    messages: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            seen_at_start.append(await names(postgres_url))
        messages.append(message)

    await call(pg_app, "POST", "/users", {"id": 3, "name": "Linus"}, send)
    assert messages[0]["status"] == 200
    assert orjson.loads(messages[1]["body"]) == {"added": "Linus", "in_transaction": True}
    assert seen_at_start == [["Ada", "Grace", "Linus"]]
    assert idle(pg_app)


async def test_a_failing_handler_rolls_back(pg_app: Lesto, postgres_url: str):
    @pg_app.post("/users", config=TRANSACT)
    async def add_then_fail(request: Any, reply: Any) -> None:
        await request.pg.execute("INSERT INTO users VALUES (3, 'Linus')")
        raise RuntimeError("after the insert")

    response = await pg_app.inject(method="POST", url="/users")
    assert response.status_code == 500
    assert await names(postgres_url) == ["Ada", "Grace"]
    assert idle(pg_app)


async def test_a_database_error_rolls_back(pg_app: Lesto, postgres_url: str):
    pg_app.post("/users", add_user, config=TRANSACT)
    for _ in range(3):  # more requests than connections: nothing may leak
        response = await pg_app.inject(method="POST", url="/users", payload={"id": 1, "name": "X"})
        assert response.status_code == 500
    assert await names(postgres_url) == ["Ada", "Grace"]
    assert idle(pg_app)


async def test_a_later_hook_that_raises_rolls_back(pg_app: Lesto, postgres_url: str):
    def refuse(request: Any, reply: Any, payload: Any) -> None:
        raise PermissionError("not this payload")

    pg_app.post("/users", add_user, config=TRANSACT, pre_serialization=refuse)
    response = await pg_app.inject(method="POST", url="/users", payload={"id": 3, "name": "L"})
    assert response.status_code == 500
    assert await names(postgres_url) == ["Ada", "Grace"]
    assert idle(pg_app)


async def test_a_failed_commit_is_a_500_not_a_lost_write(pg_app: Lesto, postgres_url: str):
    await pg_app.pg.execute(
        """
        CREATE TABLE orders (id int PRIMARY KEY, user_id int NOT NULL
            REFERENCES users (id) DEFERRABLE INITIALLY DEFERRED)
        """
    )

    @pg_app.post("/orders", config=TRANSACT)
    async def order(request: Any, reply: Any) -> dict[str, str]:
        # Checked only at COMMIT, after the handler has returned.
        await request.pg.execute("INSERT INTO orders VALUES (1, 99)")
        return {"status": "ordered"}

    response = await pg_app.inject(method="POST", url="/orders")
    assert response.status_code == 500
    assert await pg_app.pg.fetchval("SELECT count(*) FROM orders") == 0
    assert idle(pg_app)


async def test_a_named_instance(new_app: Callable[..., Lesto], postgres_url: str):
    await seed(postgres_url)
    app = new_app()
    await app.register(lesto_postgres.plugin, url=postgres_url, name="main", **SMALL)

    @app.post("/users", config={"pg": {"transact": "main"}})
    async def add(request: lesto_postgres.PgNamedRequest, reply: Any) -> dict[str, bool]:
        await request.pg.main.execute("INSERT INTO users VALUES (3, 'Linus')")
        return {"in_transaction": request.pg.main.is_in_transaction()}

    response = await app.inject(method="POST", url="/users")
    assert response.json() == {"in_transaction": True}
    assert await names(postgres_url) == ["Ada", "Grace", "Linus"]


async def test_unnamed_and_named_routes_side_by_side(
    pg_app: Lesto, postgres_service: Any, postgres_url: str
):
    with postgres_service.fresh_database() as other_url:
        await seed(other_url)
        await pg_app.register(lesto_postgres.plugin, url=other_url, name="other", **SMALL)
        pg_app.post("/main", add_user, config=TRANSACT)

        @pg_app.post("/other", config={"pg": {"transact": "other"}})
        async def add_other(request: Any, reply: Any) -> None:
            await request.pg.other.execute("INSERT INTO users VALUES (3, 'Other')")

        assert (await pg_app.inject(method="POST", url="/other")).status_code == 200
        response = await pg_app.inject(method="POST", url="/main", payload={"id": 3, "name": "M"})
        assert response.status_code == 200
        assert await names(other_url) == ["Ada", "Grace", "Other"]
        assert await names(postgres_url) == ["Ada", "Grace", "M"]
        await pg_app.close()


async def test_an_unknown_instance_fails_when_the_route_is_added(pg_app: Lesto):
    with pytest.raises(lesto_postgres.LST_PG_ERR_UNKNOWN_INSTANCE, match='"replica"'):
        pg_app.get("/r", lambda request, reply: None, config={"pg": {"transact": "replica"}})


async def test_transact_true_needs_the_unnamed_instance(
    new_app: Callable[..., Lesto], postgres_url: str
):
    app = new_app()
    await app.register(lesto_postgres.plugin, url=postgres_url, name="main", **SMALL)
    with pytest.raises(lesto_postgres.LST_PG_ERR_UNKNOWN_INSTANCE, match="without a name"):
        app.get("/r", lambda request, reply: None, config=TRANSACT)


@pytest.mark.parametrize(
    "pg_config",
    [True, "main", {"transact": 1}, {"transact": ""}, {"transakt": True}, {"transact": None}],
)
async def test_a_malformed_config_fails_when_the_route_is_added(pg_app: Lesto, pg_config: Any):
    with pytest.raises(lesto_postgres.LST_PG_ERR_ROUTE_CONFIG, match="GET /r"):
        pg_app.get("/r", lambda request, reply: None, config={"pg": pg_config})


@pytest.mark.parametrize("config", [None, {}, {"pg": {"transact": False}}, {"pg": {}}])
async def test_other_routes_get_no_hooks(pg_app: Lesto, config: Any):
    @pg_app.get("/plain", config=config)
    async def plain(request: Any, reply: Any) -> dict[str, Any]:
        hooks = request.route_options.hooks
        return {"pg": request.pg, "hooks": sorted(name for name in hooks if hooks[name])}

    response = await pg_app.inject(method="GET", url="/plain")
    assert response.json() == {"pg": None, "hooks": []}


async def test_the_routes_own_hooks_stay_and_run_first(pg_app: Lesto):
    seen: list[Any] = []
    shared = [lambda request, reply: seen.append(request.pg)]

    async def handler(request: Any, reply: Any) -> None:
        seen.append(request.pg.is_in_transaction())

    pg_app.get("/a", handler, config=TRANSACT, pre_handler=shared)
    pg_app.get("/b", handler, config=TRANSACT, pre_handler=shared[0])
    for url in ("/a", "/b"):
        assert (await pg_app.inject(method="GET", url=url)).status_code == 200
    assert seen == [None, True, None, True]
    assert len(shared) == 1


async def test_an_early_answer_borrows_nothing(pg_app: Lesto):
    async def scoped(instance: Lesto, opts: Any) -> None:
        @instance.add_hook("pre_handler")
        def closed(request: Any, reply: Any) -> None:
            reply.code(503).header("retry-after", "10").send({"closed": True})

        instance.get("/", lambda request, reply: {"reached": True}, config=TRANSACT)

    await pg_app.register(scoped)
    pool = pg_app.pg.pool
    async with pg_app.pg.connect():  # the pool's other connection stays free
        response = await pg_app.inject(method="GET", url="/")
        assert response.status_code == 503
        assert pool.get_idle_size() == pool.get_size() - 1


async def test_handler_timeout_rolls_back_and_releases(pg_app: Lesto, postgres_url: str):
    @pg_app.post("/slow", config=TRANSACT, handler_timeout=0.3)
    async def slow(request: Any, reply: Any) -> None:
        await request.pg.execute("INSERT INTO users VALUES (3, 'Linus')")
        await request.pg.execute("SELECT pg_sleep(10)")

    response = await pg_app.inject(method="POST", url="/slow")
    assert response.status_code == 503
    assert response.json()["code"] == "LST_ERR_HANDLER_TIMEOUT"
    assert await names(postgres_url) == ["Ada", "Grace"]
    for _ in range(20):
        if idle(pg_app):
            break
        await asyncio.sleep(0.05)
    assert idle(pg_app)
    assert await pg_app.pg.fetchval("SELECT 1") == 1


async def test_concurrent_requests_share_the_pool(pg_app: Lesto, postgres_url: str):
    pg_app.post("/users", add_user, config=TRANSACT)
    responses = await asyncio.gather(
        *(
            pg_app.inject(method="POST", url="/users", payload={"id": n, "name": f"user{n}"})
            for n in range(10, 40)
        )
    )
    assert {response.status_code for response in responses} == {200}
    assert len(await names(postgres_url)) == 32
    assert idle(pg_app)


async def call(app: Lesto, method: str, path: str, body: Any, send: Any) -> None:
    """One request through the ASGI interface, with our own ``send``."""
    payload = orjson.dumps(body)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"test"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    messages = [{"type": "http.request", "body": payload, "more_body": False}]

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    await app(scope, receive, send)


# --- pool exhaustion -------------------------------------------------------------------------


@pytest.fixture
async def one_connection(new_app: Callable[..., Lesto], postgres_url: str) -> Lesto:
    await seed(postgres_url)
    app = new_app()
    await app.register(
        lesto_postgres.plugin, url=postgres_url, min_size=1, max_size=1, acquire_timeout=0.3
    )
    app.get("/tx", lambda request, reply: {"ok": True}, config=TRANSACT)

    @app.get("/query")
    async def query(request: Any, reply: Any) -> Any:
        return await app.pg.fetchrow("SELECT * FROM users WHERE id = 1")

    return app


@pytest.mark.parametrize("url", ["/tx", "/query"])
async def test_an_exhausted_pool_answers_503_without_blocking(one_connection: Lesto, url: str):
    app = one_connection
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    task = asyncio.create_task(ticker())
    try:
        async with app.pg.connect():  # the only connection is busy
            started = time.monotonic()
            response = await app.inject(method="GET", url=url)
            elapsed = time.monotonic() - started
    finally:
        task.cancel()
    assert response.status_code == 503
    assert response.json()["code"] == "LST_PG_ERR_POOL_TIMEOUT"
    assert 0.25 < elapsed < 2
    assert ticks >= 10  # the loop kept running while the request waited
    assert (await app.inject(method="GET", url=url)).status_code == 200


async def test_a_request_waits_for_a_connection_within_acquire_timeout(one_connection: Lesto):
    app = one_connection

    async def hold_briefly() -> None:
        async with app.pg.connect():
            await asyncio.sleep(0.1)

    holder = asyncio.create_task(hold_briefly())
    await asyncio.sleep(0.01)
    response = await app.inject(method="GET", url="/query")
    await holder
    assert response.status_code == 200
    assert response.json() == {"id": 1, "name": "Ada"}


async def test_records_serialise_in_replies(pg_app: Lesto):
    @pg_app.get("/users")
    async def users(request: Any, reply: Any) -> Any:
        return await pg_app.pg.query("SELECT id, name FROM users ORDER BY id")

    @pg_app.get(
        "/users/:id",
        schema={
            "params": {"type": "object", "properties": {"id": {"type": "integer"}}},
            "response": {200: {"type": "object", "properties": {"name": {"type": "string"}}}},
        },
    )
    async def user(request: Any, reply: Any) -> Any:
        return await pg_app.pg.fetchrow("SELECT * FROM users WHERE id = $1", request.params["id"])

    response = await pg_app.inject(method="GET", url="/users")
    assert response.json() == [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Grace"}]
    assert (await pg_app.inject(method="GET", url="/users/2")).json() == {"name": "Grace"}


async def test_the_request_connection_is_released_after_the_response(pg_app: Lesto):
    kept: list[Any] = []

    @pg_app.get("/keep", config=TRANSACT)
    async def keep(request: Any, reply: Any) -> None:
        kept.append(request.pg)

    await pg_app.inject(method="GET", url="/keep")
    with pytest.raises(asyncpg.InterfaceError, match="released"):
        await kept[0].fetchval("SELECT 1")


async def test_a_route_declared_right_after_register_waits_for_the_plugin(
    new_app: Callable[..., Lesto], postgres_url: str
):
    # No await on register: the route waits for the plugin (as in Fastify), so the
    # plugin's on_route hook sees its config and gives it request.pg.
    await seed(postgres_url)
    app = new_app()
    app.register(lesto_postgres.plugin, url=postgres_url, **SMALL)
    app.post("/users", add_user, config=TRANSACT)

    @app.get("/plain")
    async def plain(request: Any, reply: Any) -> dict[str, Any]:
        return {
            "pg": request.pg is None,
            "count": await app.pg.fetchval("SELECT count(*) FROM users"),
        }

    response = await app.inject(method="POST", url="/users", payload={"id": 3, "name": "Linus"})
    assert response.status_code == 200
    assert response.json() == {"added": "Linus", "in_transaction": True}
    assert await names(postgres_url) == ["Ada", "Grace", "Linus"]
    assert (await app.inject(method="GET", url="/plain")).json() == {"pg": True, "count": 3}
    assert idle(app)


async def test_a_bad_config_right_after_register_fails_at_ready(
    new_app: Callable[..., Lesto], postgres_url: str
):
    app = new_app()
    app.register(lesto_postgres.plugin, url=postgres_url, **SMALL)
    app.post("/users", add_user, config={"pg": {"transact": "nope"}})
    with pytest.raises(lesto_postgres.errors.LST_PG_ERR_UNKNOWN_INSTANCE):
        await app.ready()
