"""What each scenario requests and the exact answer a server must give before it is measured."""

from dataclasses import dataclass, field
from typing import Any

import orjson
from apps.body.spec import PAYLOAD, RESPONSE

from harness.targets import (
    BARE_GRANIAN,
    BARE_UVICORN,
    FASTIFY,
    LESTO_GRANIAN,
    LESTO_NO_FREEZE,
    LESTO_UVICORN,
    TARGETS,
    Target,
)


@dataclass(frozen=True)
class Probe:
    """One request, and for the measured one the exact JSON it must answer with."""

    method: str
    path: str
    body: bytes | None = None
    json: Any = None


@dataclass(frozen=True)
class Scenario:
    name: str
    summary: str
    method: str
    path: str
    expected: Any
    body: bytes | None = None
    # Requests that must get a 4xx: a server that skips validation cannot post a number.
    rejects: tuple[Probe, ...] = field(default_factory=tuple)
    # The folder under apps/ holding the apps (default: the scenario's name).
    apps: str = ""
    # The systems, in report order; a system is measured when its app file exists.
    targets: tuple[Target, ...] = TARGETS
    # Databases the apps need, provisioned with lesto-testing (harness/services.py).
    services: tuple[str, ...] = ()
    # False: neither the server nor wrk is pinned (the workers scenario needs both cores).
    pin: bool = True
    # How many times the whole list of systems is measured, one system after another,
    # each round with fresh servers; a system's runs are pooled over the rounds. More
    # than one where the ratios are targets: drift of a shared machine (or of a database
    # server sharing the cores) then lands on every system alike.
    rounds: int = 1
    # What the report says under the scenario's table.
    note: str = ""

    @property
    def app_dir(self) -> str:
        return self.apps or self.name

    @property
    def probe(self) -> Probe:
        return Probe(self.method, self.path, self.body, self.expected)


def _with(payload: dict[str, Any], **changes: Any) -> bytes:
    return orjson.dumps({**payload, **changes})


HELLO = Scenario(
    name="hello",
    summary='GET / answers {"hello": "world"}',
    method="GET",
    path="/",
    expected={"hello": "world"},
    targets=(*TARGETS[:4], LESTO_NO_FREEZE, *TARGETS[4:]),
    rounds=2,
)

PARAMS = Scenario(
    name="params",
    summary=(
        "GET /users/42?fields=name,email: integer path param, required query string, "
        "response schema that drops `password`"
    ),
    method="GET",
    path="/users/42?fields=name,email",
    expected={"id": 42, "name": "User 42", "email": "user42@example.com", "fields": "name,email"},
    rejects=(
        Probe("GET", "/users/abc?fields=name"),
        Probe("GET", "/users/42"),
    ),
)

BODY = Scenario(
    name="body",
    summary="POST /users with a 20-property JSON body checked against a schema",
    method="POST",
    path="/users",
    body=orjson.dumps(PAYLOAD),
    expected=RESPONSE,
    rejects=(
        Probe("POST", "/users", body=_with(PAYLOAD, age="old")),
        Probe("POST", "/users", body=orjson.dumps({"id": 1})),
    ),
)

ROUTES = Scenario(
    name="routes",
    summary=(
        "1,000 routes `GET /r<i>/items/:id`; the measured route, `GET /target/items/:id` with "
        "an integer id, is number 991 of 1,000 in registration order"
    ),
    method="GET",
    path="/target/items/7",
    expected={"route": "target", "id": 7},
    rejects=(Probe("GET", "/target/items/abc"),),
    targets=(
        *TARGETS[:4],
        LESTO_UVICORN.variant_of("10", "10 routes", BENCH_ROUTES="10"),
        LESTO_UVICORN.variant_of("10k", "10,000 routes", BENCH_ROUTES="10000"),
        *TARGETS[4:],
    ),
    note=(
        "Every app registers `BENCH_ROUTES` routes (default 1,000); the measured one is "
        "registered tenth from the end. Lesto is also measured with 10 and 10,000 routes: "
        "its req/s must not fall with the route count."
    ),
)

HOOKS = Scenario(
    name="hooks",
    summary=(
        "GET /: 5 `on_request` and 5 `pre_handler` hooks each add 1 to a request decorator "
        '`hits` (initial 0); the handler answers {"hits": 10}'
    ),
    method="GET",
    path="/",
    expected={"hits": 10},
    note=(
        "Peers without hooks use their per-request mechanism: Starlette and Litestar 10 pure "
        "ASGI middlewares, FastAPI 10 app-level dependencies, BlackSheep 10 middlewares; the "
        "bare app awaits 10 functions on a per-request object by hand."
    ),
)

POSTGRES = Scenario(
    name="postgres",
    summary=(
        "GET /users/42: one row by primary key from PostgreSQL (a 1,000-row table), "
        "pool of 10 connections everywhere"
    ),
    method="GET",
    path="/users/42",
    expected={"id": 42, "name": "User 42", "email": "user42@example.com"},
    rejects=(Probe("GET", "/users/abc"),),
    services=("postgres",),
    note=(
        "lesto + lesto-postgres (`await app.pg.fetchrow(...)`) vs a bare ASGI app on an "
        "asyncpg pool, FastAPI + asyncpg and Fastify + @fastify/postgres (pg). Targets "
        "(issue 7): lesto within 10% of bare ASGI, ahead of FastAPI."
    ),
    targets=(*TARGETS[:4], LESTO_NO_FREEZE, *TARGETS[4:]),
    rounds=2,
)

MYSQL = Scenario(
    name="mysql",
    summary=(
        "GET /users/42: one row by primary key from MariaDB (a 1,000-row table), "
        "pool of 10 connections everywhere"
    ),
    method="GET",
    path="/users/42",
    expected={"id": 42, "name": "User 42", "email": "user42@example.com"},
    rejects=(Probe("GET", "/users/abc"),),
    services=("mysql",),
    note=(
        "lesto + lesto-mysql (`await app.mysql.query(...)`) vs a bare ASGI app on an "
        "aiomysql pool, FastAPI + aiomysql and Fastify + @fastify/mysql (mysql2). Targets "
        "(issue 8): lesto within 10% of bare ASGI, ahead of FastAPI."
    ),
    targets=(*TARGETS[:4], LESTO_NO_FREEZE, *TARGETS[4:]),
    rounds=2,
)

REDIS = Scenario(
    name="redis",
    summary=(
        "GET /foo?key=greeting: one Redis GET, answered as "
        '{"key": "greeting", "value": "hello world"}'
    ),
    method="GET",
    path="/foo?key=greeting",
    expected={"key": "greeting", "value": "hello world"},
    rejects=(Probe("GET", "/foo"),),
    services=("redis",),
    note=(
        "lesto + lesto-redis (`await app.redis.get(...)`) vs a bare ASGI app on "
        "redis.asyncio, FastAPI + redis.asyncio and Fastify + @fastify/redis (ioredis); "
        "every Python client with `decode_responses=True` and its default pool. "
        "Target (issue 9): lesto within 10% of bare ASGI."
    ),
    targets=(*TARGETS[:4], LESTO_NO_FREEZE, *TARGETS[4:]),
    rounds=2,
)

LOGGING = Scenario(
    name="logging",
    summary='GET / answers {"hello": "world"}, with request logging off and on',
    method="GET",
    path="/",
    expected={"hello": "world"},
    targets=(
        BARE_UVICORN,
        BARE_UVICORN.variant_of("log", "logging on", BENCH_LOG="1"),
        LESTO_UVICORN,
        LESTO_UVICORN.variant_of("log", "logging on", BENCH_LOG="1"),
        FASTIFY,
        FASTIFY.variant_of("log", "logging on", BENCH_LOG="1"),
    ),
    note=(
        "Logging on: Lesto `Lesto(logger=True)` and Fastify `logger: true` write two JSON "
        "lines per request (incoming request, request completed) to stdout, which goes to a "
        "file; the bare app writes two similar lines with orjson. Logged rows are compared "
        "with the bare app logging too."
    ),
)

WORKERS = Scenario(
    name="workers",
    summary='GET / answers {"hello": "world"} (the hello apps) with 1 and 2 server workers',
    method="GET",
    path="/",
    expected={"hello": "world"},
    apps="hello",
    pin=False,
    targets=(
        BARE_UVICORN,
        BARE_UVICORN.variant_of("2w", "2 workers", workers=2),
        BARE_GRANIAN,
        BARE_GRANIAN.variant_of("2w", "2 workers", workers=2),
        LESTO_UVICORN,
        LESTO_UVICORN.variant_of("2w", "2 workers", workers=2),
        LESTO_GRANIAN,
        LESTO_GRANIAN.variant_of("2w", "2 workers", workers=2),
    ),
    note=(
        "Nothing is pinned here: the workers and wrk share every core, so on a 2-core "
        "machine wrk takes CPU from the second worker and 2 workers cannot reach 2x. "
        "Compare the 2-worker/1-worker ratio of Lesto with that of the bare app."
    ),
)

SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (HELLO, PARAMS, BODY, ROUTES, HOOKS, POSTGRES, MYSQL, REDIS, LOGGING, WORKERS)
}
