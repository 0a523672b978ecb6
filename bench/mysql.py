"""lesto-mysql overhead: a primary-key SELECT through Lesto + lesto-mysql vs a bare ASGI app.

    hatch run python bench/mysql.py             # about 30 seconds
    hatch run python bench/mysql.py --requests 20000 --rounds 7

Starts its own MariaDB through lesto-testing (or uses LESTO_TEST_MYSQL_URL).
Every app is driven in-process through its ASGI callable (no sockets, no
HTTP server), so the numbers compare the work each app does per request:

* ``bare``: a hand-written ASGI app on an aiomysql pool, orjson for the body;
* ``lesto+aiomysql``: Lesto with the same pool decorated by hand;
* ``lesto+lesto-mysql``: Lesto with ``app.mysql.query``;
* ``lesto+lesto-mysql transact``: the same route with a per-route transaction
  (BEGIN/COMMIT: two more round trips, shown for its cost, not compared).

The apps take turns, round after round (each round starting with the next
app), and each figure is the median of its rounds: requests per second, and
the process CPU time per request, which a busy machine disturbs less. Every
app has its own pool of 10 connections and gets 50 concurrent requests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import aiomysql
import lesto_mysql
import lesto_testing
import orjson
from lesto import Lesto

Asgi = Callable[[dict[str, Any], Any, Any], Awaitable[None]]
SQL = "SELECT id, name, email FROM users WHERE id = %s"
ROWS = 1000
POOL = 10
CONCURRENCY = 50


def params(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    return {
        "host": parts.hostname,
        "port": parts.port or 3306,
        "user": parts.username,
        "password": parts.password or "",
        "db": parts.path.lstrip("/"),
        "autocommit": True,
        "charset": "utf8mb4",
    }


async def prepare(url: str) -> None:
    conn = await aiomysql.connect(**params(url))
    async with conn.cursor() as cur:
        await cur.execute("DROP TABLE IF EXISTS users")
        await cur.execute(
            "CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50), email VARCHAR(80))"
        )
        await cur.executemany(
            "INSERT INTO users VALUES (%s, %s, %s)",
            [(i, f"user {i}", f"user{i}@example.com") for i in range(1, ROWS + 1)],
        )
    conn.close()


def bare_app(pool: Any) -> Asgi:
    headers = [(b"content-type", b"application/json")]

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        user_id = int(scope["path"].rsplit("/", 1)[1])
        async with pool.acquire() as conn, conn.cursor(aiomysql.DictCursor) as cur:
            await cur.execute(SQL, (user_id,))
            rows = await cur.fetchall()
        body = orjson.dumps(rows[0])
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


def lesto_with_pool(pool: Any) -> Lesto:
    app = Lesto()
    app.decorate("pool", pool)

    @app.get("/users/:id")
    async def user(request: Any, reply: Any) -> Any:
        async with pool.acquire() as conn, conn.cursor(aiomysql.DictCursor) as cur:
            await cur.execute(SQL, (request.params["id"],))
            rows = await cur.fetchall()
        return rows[0]

    return app


async def lesto_with_plugin(url: str, transact: bool) -> Lesto:
    app = Lesto()
    await app.register(lesto_mysql.plugin, url=url, maxsize=POOL, minsize=POOL)
    if transact:

        @app.get("/users/:id", config={"mysql": {"transact": True}})
        async def user_tx(request: Any, reply: Any) -> Any:
            return (await request.mysql.query(SQL, [request.params["id"]]))[0]

    else:

        @app.get("/users/:id")
        async def user(request: Any, reply: Any) -> Any:
            return (await app.mysql.query(SQL, [request.params["id"]]))[0]

    await app.ready()
    return app


async def drive(app: Asgi, requests: int) -> tuple[float, float]:
    """Requests per second and CPU microseconds per request, ``CONCURRENCY`` at a time."""
    body_message = {"type": "http.request", "body": b"", "more_body": False}

    async def receive() -> dict[str, Any]:
        return body_message

    async def worker(ids: range) -> None:
        for n in ids:
            status: list[int] = []

            async def send(message: dict[str, Any], status: list[int] = status) -> None:
                if message["type"] == "http.response.start":
                    status.append(message["status"])
                elif status != [200]:
                    status.append(message["body"])

            path = f"/users/{n % ROWS + 1}"
            scope = {
                "type": "http",
                "asgi": {"version": "3.0"},
                "http_version": "1.1",
                "method": "GET",
                "scheme": "http",
                "path": path,
                "raw_path": path.encode(),
                "root_path": "",
                "query_string": b"",
                "headers": [(b"host", b"bench")],
                "client": ("127.0.0.1", 1234),
                "server": ("127.0.0.1", 80),
            }
            await app(scope, receive, send)
            if status != [200]:
                raise RuntimeError(f"{path}: {status}")

    per_worker = requests // CONCURRENCY
    started, cpu = time.perf_counter(), time.process_time()
    async with asyncio.TaskGroup() as group:  # one failure cancels the other workers
        for w in range(CONCURRENCY):
            group.create_task(worker(range(w * per_worker, (w + 1) * per_worker)))
    done = per_worker * CONCURRENCY
    return done / (time.perf_counter() - started), (time.process_time() - cpu) / done * 1e6


async def main(requests: int, rounds: int) -> None:
    service = None
    url = os.environ.get("LESTO_TEST_MYSQL_URL")
    if url is None:
        service = lesto_testing.start("mysql")
        url = service.url
    url = url.rstrip("/") + "/bench" if urlsplit(url).path in ("", "/") else url
    try:
        await run(url, requests, rounds)
    finally:
        if service is not None:
            service.stop()


async def run(url: str, requests: int, rounds: int) -> None:
    root = params(url)
    database = root.pop("db")
    conn = await aiomysql.connect(**root)
    async with conn.cursor() as cur:
        await cur.execute(f"CREATE DATABASE IF NOT EXISTS `{database}`")
    conn.close()
    await prepare(url)
    pool = await aiomysql.create_pool(minsize=POOL, maxsize=POOL, **params(url))
    own_pool = await aiomysql.create_pool(minsize=POOL, maxsize=POOL, **params(url))
    with_pool = lesto_with_pool(own_pool)
    await with_pool.ready()
    plugin = await lesto_with_plugin(url, transact=False)
    transact = await lesto_with_plugin(url, transact=True)
    apps: dict[str, Asgi] = {
        "bare": bare_app(pool),
        "lesto+aiomysql": with_pool,
        "lesto+lesto-mysql": plugin,
        "lesto+lesto-mysql transact": transact,
    }
    for app in apps.values():  # warm up
        await drive(app, requests // 4)
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in apps}
    names = list(apps)
    for round_number in range(rounds):  # each round starts with the next app
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            results[name].append(await drive(apps[name], requests))
    report(results, requests, rounds)
    for app in (with_pool, plugin, transact):
        await app.close()
    for each in (pool, own_pool):
        each.close()
        await each.wait_closed()


def report(results: dict[str, list[tuple[float, float]]], requests: int, rounds: int) -> None:
    load = os.getloadavg()[0]
    print(
        f"{requests} requests x {rounds} rounds, {CONCURRENCY} concurrent, pool {POOL}, "
        f"load average {load:.2f} at the end"
    )
    rates = {name: statistics.median(rate for rate, _ in runs) for name, runs in results.items()}
    costs = {name: statistics.median(cpu for _, cpu in runs) for name, runs in results.items()}
    print("| app | req/s (median) | spread | x bare | CPU us/request | CPU x lesto+aiomysql |")
    print("|---|---|---|---|---|---|")
    for name, runs in results.items():
        values = [rate for rate, _ in runs]
        spread = (max(values) - min(values)) / rates[name]
        print(
            f"| {name} | {rates[name]:,.0f} | {spread:.0%} | {rates[name] / rates['bare']:.2f} | "
            f"{costs[name]:.0f} | {costs[name] / costs['lesto+aiomysql']:.2f} |"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    asyncio.run(main(options.requests, options.rounds))
