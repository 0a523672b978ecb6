"""Databases for the postgres, mysql and redis scenarios, provisioned with lesto-testing.

Each service is started once per run (`lesto_testing.start`: an env URL, a container or a
local server), given a fresh database, seeded, and handed to the apps as `DATABASE_URL`,
`MYSQL_URL` or `REDIS_URL`. Everything is stopped when the run ends.
"""

import asyncio
import contextlib
from typing import Any
from urllib.parse import urlsplit

USERS = 1000
REDIS_KEY = "greeting"
REDIS_VALUE = "hello world"


def user_rows() -> list[tuple[int, str, str]]:
    return [(i, f"User {i}", f"user{i}@example.com") for i in range(1, USERS + 1)]


async def seed_postgres(url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE TABLE users (id int PRIMARY KEY, name text, email text)")
        await conn.copy_records_to_table("users", records=user_rows())
        await conn.execute("ANALYZE users")
    finally:
        await conn.close()


async def seed_mysql(url: str) -> None:
    import aiomysql
    from apps.mysql import connect_args

    conn = await aiomysql.connect(**connect_args(url))
    try:
        async with conn.cursor() as cur:
            await cur.execute(
                "CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50), email VARCHAR(80))"
            )
            await cur.executemany("INSERT INTO users VALUES (%s, %s, %s)", user_rows())
            await cur.execute("ANALYZE TABLE users")
            await cur.fetchall()
    finally:
        conn.close()


async def seed_redis(url: str) -> None:
    import redis.asyncio

    client: Any = redis.asyncio.Redis.from_url(url)
    try:
        await client.set(REDIS_KEY, REDIS_VALUE)
    finally:
        await client.aclose()


class Services:
    """Start the services scenarios ask for, once; `env()` gives the apps their URLs."""

    def __init__(self, pin_cpu: int | None = None) -> None:
        self._pin_cpu = pin_cpu
        self._stack = contextlib.ExitStack()
        self._env: dict[str, str] = {}
        self._problems: dict[str, str] = {}
        self.descriptions: dict[str, str] = {}

    def __enter__(self) -> "Services":
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def _start(self, name: str) -> None:
        try:
            import lesto_testing

            service = self._stack.enter_context(lesto_testing.start(name))
            url = self._stack.enter_context(service.fresh_database())
            if name == "postgres":
                asyncio.run(seed_postgres(url))
                self._env["DATABASE_URL"] = url
            elif name == "mysql":
                asyncio.run(seed_mysql(url))
                self._env["MYSQL_URL"] = url
            elif name == "redis":
                asyncio.run(seed_redis(url))
                self._env["REDIS_URL"] = url
            else:
                raise ValueError(f"no seeding for service {name!r}")
            pinned = ""
            if self._pin_cpu is not None:
                from harness.machine import pin_listener

                port = urlsplit(url).port
                tasks = pin_listener(port, self._pin_cpu) if port else 0
                pinned = f", pinned to CPU {self._pin_cpu}" if tasks else ", not pinned"
            self.descriptions[name] = (
                f"{service.title} {service.version}"
                f" ({service.backend}: {service.description}{pinned})"
            )
        except Exception as exc:
            self._problems[name] = f"{name} unavailable: {type(exc).__name__}: {exc}"[:300]

    def env(self, names: tuple[str, ...]) -> tuple[dict[str, str], str | None]:
        """The environment for apps needing `names`, or why they cannot run."""
        for name in names:
            if name not in self.descriptions and name not in self._problems:
                print(f"starting {name} with lesto-testing ...", flush=True)
                self._start(name)
            if name in self._problems:
                return {}, self._problems[name]
        return dict(self._env), None
