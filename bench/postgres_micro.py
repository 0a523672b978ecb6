"""Micro-benchmark of lesto-postgres: one row by primary key, side by side in one process.

    hatch run python bench/postgres_micro.py                # a PostgreSQL from lesto-testing
    hatch run python bench/postgres_micro.py --url postgresql://user@host/db

No sockets and no HTTP server: each system is an ASGI application called
directly with the same prebuilt request, so the numbers show what the
framework and the plugin add around asyncpg, and nothing of an HTTP
server's cost. Every system uses the same pool settings, the same query and
the same orjson encoding of the row:

- ``bare``: a hand-written ASGI app calling ``pool.fetchrow`` (the floor);
- ``lesto-asyncpg``: a Lesto route calling ``pool.fetchrow`` itself (Lesto
  without the plugin: the difference to ``lesto`` is the plugin's own cost);
- ``lesto``: Lesto + lesto-postgres, ``return await app.pg.fetchrow(...)``;
- ``bare-tx``: the bare app with ``acquire()`` + ``transaction()`` by hand;
- ``lesto-tx``: a ``config={"pg": {"transact": True}}`` route using ``request.pg``.

Systems are measured in interleaved rounds (each round runs every system
once) and the report gives medians, so a machine that slows down during the
run slows every system alike. Besides requests per second, it reports this
process's CPU time per request, which other processes on the machine (the
database server included) disturb much less than the wall clock.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg
import lesto_postgres
import orjson
from lesto import Lesto

SQL = "SELECT id, name, email FROM bench_users WHERE id = $1"
ROWS = 1000
POOL = {"min_size": 10, "max_size": 10}

Message = dict[str, Any]
Asgi = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


# --- the systems -------------------------------------------------------------------------------


def bare_app(pool: Any, *, transaction: bool) -> Asgi:
    """The least an ASGI app can do: parse the id, one query, orjson, two sends."""
    headers = [(b"content-type", b"application/json; charset=utf-8")]

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        user_id = int(scope["path"].rsplit("/", 1)[1])
        if transaction:
            async with pool.acquire() as conn, conn.transaction():
                row = await conn.fetchrow(SQL, user_id)
        else:
            row = await pool.fetchrow(SQL, user_id)
        body = orjson.dumps(dict(row))
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [*headers, (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return app


async def lesto_app(url: str, pool: Any) -> Lesto:
    app = Lesto()
    await app.register(lesto_postgres.plugin, url=url, **POOL)

    @app.get("/asyncpg/users/:id")
    async def user_without_the_plugin(request: Any, reply: Any) -> Any:
        return await pool.fetchrow(SQL, int(request.params["id"]))

    @app.get("/users/:id")
    async def user(request: Any, reply: Any) -> Any:
        return await app.pg.fetchrow(SQL, int(request.params["id"]))

    @app.get("/tx/users/:id", config={"pg": {"transact": True}})
    async def user_in_transaction(request: Any, reply: Any) -> Any:
        return await request.pg.fetchrow(SQL, int(request.params["id"]))

    await app.ready()
    return app


# --- driving an ASGI app -----------------------------------------------------------------------


def scope_for(path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"bench"), (b"accept", b"application/json")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def check(app: Asgi, path: str, expected: Any) -> None:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope_for(path), receive, send)
    status, body = sent[0]["status"], orjson.loads(sent[-1]["body"])
    if status != 200 or body != expected:
        raise SystemExit(f"{path}: expected 200 {expected}, got {status} {body}")


async def measure(app: Asgi, prefix: str, total: int, concurrency: int) -> tuple[float, float]:
    """Run ``total`` requests from ``concurrency`` tasks; every answer must be 200.

    Returns requests per second (wall clock) and this process's CPU time per
    request in microseconds: the work of the app and of asyncpg's client
    side, which other processes on the machine (the server included) do not
    change the way they change the wall clock.
    """
    failures = 0

    async def send(message: Message) -> None:
        nonlocal failures
        if message["type"] == "http.response.start" and message["status"] != 200:
            failures += 1

    async def worker(offset: int) -> None:
        for n in range(offset, total, concurrency):
            await app(scope_for(f"{prefix}/{n % ROWS + 1}"), receive, send)

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if failures:
        raise SystemExit(f"{prefix}: {failures} answers were not 200")
    return total / elapsed, cpu / total * 1e6


# --- the database ------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def database(url: str | None) -> AsyncIterator[str]:
    """A database with ``bench_users``: the given URL, or a fresh one from lesto-testing."""
    if url is not None:
        await fill(url)
        yield url
        return
    import lesto_testing

    with lesto_testing.start("postgres") as service, service.fresh_database() as fresh:
        print(f"PostgreSQL {service.version} ({service.backend}: {service.description})")
        await fill(fresh)
        yield fresh


async def fill(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_users (id int PRIMARY KEY, name text, email text)"
        )
        await conn.executemany(
            "INSERT INTO bench_users VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
            [(n, f"User {n}", f"user{n}@example.com") for n in range(1, ROWS + 1)],
        )
    finally:
        await conn.close()


# --- the run -----------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> None:
    async with database(args.url) as url:
        pool = await asyncpg.create_pool(url, **POOL)
        app = await lesto_app(url, pool)
        expected = {"id": 7, "name": "User 7", "email": "user7@example.com"}
        systems: dict[str, tuple[Asgi, str]] = {
            "bare": (bare_app(pool, transaction=False), "/users"),
            "lesto-asyncpg": (app, "/asyncpg/users"),
            "lesto": (app, "/users"),
            "bare-tx": (bare_app(pool, transaction=True), "/users"),
            "lesto-tx": (app, "/tx/users"),
        }
        for system, prefix in systems.values():
            await check(system, f"{prefix}/7", expected)

        asgi: dict[str, list[tuple[float, float]]] = {name: [] for name in systems}
        for _ in range(args.warmup):
            for system, prefix in systems.values():
                await measure(system, prefix, args.requests, args.concurrency)
        for _ in range(args.rounds):
            for name, (system, prefix) in systems.items():
                asgi[name].append(await measure(system, prefix, args.requests, args.concurrency))
        await app.close()
        await pool.close()
    report(args, asgi)


def report(args: argparse.Namespace, asgi: dict[str, list[tuple[float, float]]]) -> None:
    print(
        f"\n{args.rounds} rounds x {args.requests} requests, {args.concurrency} concurrent; "
        f"pool {POOL['min_size']}-{POOL['max_size']}; Python {sys.version.split()[0]}, "
        f"asyncpg {asyncpg.__version__}; load average {os.getloadavg()[0]:.2f}\n"
    )
    print(TABLE_HEAD)
    for name, runs in asgi.items():
        base = "bare-tx" if name.endswith("-tx") else "bare"
        print(row(name, runs, asgi[base]))
    plugin = cpu_median(asgi["lesto"]) - cpu_median(asgi["lesto-asyncpg"])
    print(f"\nThe plugin's own CPU per request (lesto - lesto-asyncpg): {plugin:+.1f} us")


def cpu_median(runs: list[tuple[float, float]]) -> float:
    return statistics.median(us for _, us in runs)


TABLE_HEAD = (
    "| system | req/s (median) | spread | req/s vs bare | CPU us/req (median) | CPU vs bare |\n"
    "|---|---|---|---|---|---|"
)


def row(name: str, runs: list[tuple[float, float]], base: list[tuple[float, float]]) -> str:
    rates, cpu = [rate for rate, _ in runs], [us for _, us in runs]
    rate, us = statistics.median(rates), statistics.median(cpu)
    base_rate = statistics.median(r for r, _ in base)
    base_us = cpu_median(base)
    spread = (max(rates) - min(rates)) / rate
    return (
        f"| {name} | {rate:,.0f} | {spread:.0%} | {rate / base_rate:.3f}x "
        f"| {us:.1f} | {us / base_us:.3f}x |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("LESTO_BENCH_POSTGRES_URL"))
    parser.add_argument("--requests", type=int, default=4000, help="requests per system per round")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=1, help="unrecorded rounds first")
    args = parser.parse_args()
    try:
        import uvloop
    except ImportError:
        asyncio.run(run(args))
    else:
        uvloop.run(run(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
