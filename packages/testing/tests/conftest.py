"""Helpers for lesto-testing's own tests: real clients, and inner pytest sessions."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import pymongo
import pymysql
import pytest
import redis
from pymongo.write_concern import WriteConcern


class Store:
    """Write and read one key/value pair with each service's real client."""

    def put(self, service: str, url: str, key: str, value: str) -> None:
        getattr(self, f"_put_{service}")(url, key, value)

    def get(self, service: str, url: str, key: str) -> str | None:
        found: str | None = getattr(self, f"_get_{service}")(url, key)
        return found

    def keys(self, service: str, url: str) -> list[str]:
        found: list[str] = getattr(self, f"_keys_{service}")(url)
        return sorted(found)

    def _pg(self, url: str, *statements: tuple[str, ...]) -> Any:
        async def run() -> Any:
            conn = await asyncpg.connect(url, timeout=10)
            try:
                await conn.execute("CREATE TABLE IF NOT EXISTS kv (k text PRIMARY KEY, v text)")
                result = None
                for sql, *args in statements:
                    result = await conn.fetch(sql, *args)
                return result
            finally:
                await conn.close()

        return asyncio.run(run())

    def _put_postgres(self, url: str, key: str, value: str) -> None:
        self._pg(url, ("INSERT INTO kv VALUES ($1, $2)", key, value))

    def _get_postgres(self, url: str, key: str) -> str | None:
        rows = self._pg(url, ("SELECT v FROM kv WHERE k = $1", key))
        return rows[0]["v"] if rows else None

    def _keys_postgres(self, url: str) -> list[str]:
        return [row["k"] for row in self._pg(url, ("SELECT k FROM kv",))]

    def _my(self, url: str, sql: str, *args: str) -> Any:
        parts = urlsplit(url)
        conn = pymysql.connect(
            host=parts.hostname,
            port=parts.port or 3306,
            user=parts.username or "root",
            password=parts.password or "",
            database=parts.path.strip("/"),
            autocommit=True,
        )
        with conn, conn.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS kv (k varchar(64) PRIMARY KEY, v text)")
            cursor.execute(sql, args)
            return cursor.fetchall()

    def _put_mysql(self, url: str, key: str, value: str) -> None:
        self._my(url, "INSERT INTO kv VALUES (%s, %s)", key, value)

    def _get_mysql(self, url: str, key: str) -> str | None:
        rows = self._my(url, "SELECT v FROM kv WHERE k = %s", key)
        return rows[0][0] if rows else None

    def _keys_mysql(self, url: str) -> list[str]:
        return [row[0] for row in self._my(url, "SELECT k FROM kv")]

    def _put_redis(self, url: str, key: str, value: str) -> None:
        with redis.Redis.from_url(url) as client:
            client.set(key, value)

    def _get_redis(self, url: str, key: str) -> str | None:
        with redis.Redis.from_url(url, decode_responses=True) as client:
            value: str | None = client.get(key)
            return value

    def _keys_redis(self, url: str) -> list[str]:
        with redis.Redis.from_url(url, decode_responses=True) as client:
            return list(client.keys("*"))

    def _mongo(self, url: str) -> Any:
        return pymongo.MongoClient(url, serverSelectionTimeoutMS=1500)

    def _put_mongodb(self, url: str, key: str, value: str) -> None:
        # j=True: acknowledged once journaled, so the write survives a server crash.
        with self._mongo(url) as client:
            collection = client.get_default_database().get_collection(
                "kv", write_concern=WriteConcern(j=True)
            )
            collection.insert_one({"_id": key, "v": value})

    def _get_mongodb(self, url: str, key: str) -> str | None:
        with self._mongo(url) as client:
            doc = client.get_default_database().kv.find_one({"_id": key})
            return None if doc is None else doc["v"]

    def _keys_mongodb(self, url: str) -> list[str]:
        with self._mongo(url) as client:
            return [doc["_id"] for doc in client.get_default_database().kv.find()]


@pytest.fixture
def store() -> Store:
    return Store()


def database_exists(service: str, server_url: str, fresh_url: str) -> bool:
    """Whether the database named by ``fresh_url`` is on the server."""
    name = urlsplit(fresh_url).path.strip("/")
    if service == "postgres":

        async def run() -> bool:
            conn = await asyncpg.connect(server_url)
            try:
                sql = "SELECT count(*) FROM pg_database WHERE datname = $1"
                return bool(await conn.fetchval(sql, name))
            finally:
                await conn.close()

        return asyncio.run(run())
    if service == "mysql":
        parts = urlsplit(server_url)
        conn = pymysql.connect(host=parts.hostname, port=parts.port, user="root", password="")
        with conn, conn.cursor() as cursor:
            return bool(cursor.execute("SHOW DATABASES LIKE %s", (name,)))
    with pymongo.MongoClient(server_url) as client:
        return name in client.list_database_names()


@pytest.fixture(scope="session")
def exists() -> Callable[[str, str, str], bool]:
    return database_exists


@dataclass
class InnerRun:
    """An inner pytest session that ran in a subprocess."""

    returncode: int
    output: str
    seconds: float


@dataclass
class Sandbox:
    """A private TMPDIR and an environment marker that every process of a run inherits."""

    tmp: Path
    marker: str

    def leftover_processes(self) -> list[int]:
        """Processes that still carry the marker in their environment."""
        needle = f"LESTO_TESTING_SANDBOX={self.marker}".encode()
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                if needle in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
        return found

    def leftover_folders(self) -> list[str]:
        return sorted(p.name for p in self.tmp.iterdir() if p.name.startswith("lesto-testing-"))

    def wait_until_clean(self, seconds: float = 8.0) -> tuple[list[int], list[str]]:
        """Leftover processes and folders, once none are left or after ``seconds``."""
        deadline = time.monotonic() + seconds
        while True:
            found = (self.leftover_processes(), self.leftover_folders())
            if found == ([], []) or time.monotonic() > deadline:
                return found
            time.sleep(0.1)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    # Under /tmp and world-traversable: the postgres user must reach its data folder.
    folder = Path(tempfile.mkdtemp(prefix="lesto-sandbox-", dir="/tmp"))
    folder.chmod(0o755)
    yield Sandbox(folder, uuid.uuid4().hex)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def inner_pytest(tmp_path: Path, sandbox: Sandbox) -> Callable[..., InnerRun]:
    """Run ``source`` as a test file in a new pytest process inside the sandbox."""

    def run(source: str, *args: str, env: dict[str, str] | None = None) -> InnerRun:
        settings = "addopts = -p no:cacheprovider\nasyncio_default_fixture_loop_scope = function\n"
        (tmp_path / "pytest.ini").write_text("[pytest]\n" + settings)
        (tmp_path / "test_inner.py").write_text(source)
        environ = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PYTEST_", "LESTO_TEST_")) and k != "TMPDIR"
        }
        environ |= {"TMPDIR": str(sandbox.tmp), "LESTO_TESTING_SANDBOX": sandbox.marker}
        environ |= env or {}
        began = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-rA", *args],
            cwd=tmp_path,
            env=environ,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        return InnerRun(done.returncode, done.stdout + done.stderr, time.monotonic() - began)

    return run
