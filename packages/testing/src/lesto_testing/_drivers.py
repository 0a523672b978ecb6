"""Real connections to each kind of server: readiness, version and scratch databases.

The drivers (asyncpg, PyMySQL, redis, PyMongo) are imported when first used,
so the pytest plugin costs nothing in a session that asks for no service.
"""

from __future__ import annotations

import asyncio
import importlib
import threading
from collections.abc import Callable, Coroutine
from typing import Any, Protocol, TypeVar
from urllib.parse import unquote, urlsplit, urlunsplit

from ._specs import SPECS
from .errors import LST_TESTING_ERR_BAD_SETTING, LST_TESTING_ERR_DRIVER_MISSING

T = TypeVar("T")
_DOUBLE_QUOTE = '"'


class Driver(Protocol):
    """What the provisioning code needs from a server's client library."""

    def probe(self, url: str, timeout: float) -> str:
        """Connect, run a query and return the server's version; raise if it does not answer."""
        ...

    def fresh(self, url: str, name: str, index: int) -> str:
        """Prepare an empty database (``name``, or Redis db ``index``) and return its URL."""
        ...

    def discard(self, url: str, fresh_url: str) -> None:
        """Remove what :meth:`fresh` prepared."""
        ...


def driver_for(service: str) -> Driver:
    """The driver of ``service`` (its client library is imported here)."""
    return _DRIVERS[service]()


def _require(module: str, service: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as error:
        spec = SPECS[service]
        raise LST_TESTING_ERR_DRIVER_MISSING(spec.title, module, spec.extra, cause=error) from error


def with_path(url: str, path: str) -> str:
    """``url`` with its path replaced by ``/path`` (query string kept)."""
    return urlunsplit(urlsplit(url)._replace(path="/" + path))


def _in_thread(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion on a private loop, even when the caller has a loop."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = asyncio.run(factory())
        except BaseException as error:
            box["error"] = error

    thread = threading.Thread(target=run, name="lesto-testing-driver")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    value: T = box["value"]
    return value


def _quoted(name: str, quote: str) -> str:
    return quote + name.replace(quote, quote * 2) + quote


class _Postgres:
    def __init__(self) -> None:
        self._asyncpg = _require("asyncpg", "postgres")

    def probe(self, url: str, timeout: float) -> str:
        async def run() -> str:
            conn = await self._asyncpg.connect(url, timeout=timeout)
            try:
                return str(await conn.fetchval("SHOW server_version"))
            finally:
                await conn.close()

        return _in_thread(run)

    def fresh(self, url: str, name: str, index: int) -> str:
        async def create(conn: Any) -> None:
            await conn.execute(f"CREATE DATABASE {_quoted(name, _DOUBLE_QUOTE)}")

        self._with_connection(url, create)
        return with_path(url, name)

    def discard(self, url: str, fresh_url: str) -> None:
        name = urlsplit(fresh_url).path.lstrip("/")

        async def drop(conn: Any) -> None:
            if conn.get_server_version().major >= 13:
                await conn.execute(
                    f"DROP DATABASE IF EXISTS {_quoted(name, _DOUBLE_QUOTE)} WITH (FORCE)"
                )
                return
            await conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                name,
            )
            await conn.execute(f"DROP DATABASE IF EXISTS {_quoted(name, _DOUBLE_QUOTE)}")

        self._with_connection(url, drop)

    def _with_connection(self, url: str, work: Callable[[Any], Coroutine[Any, Any, None]]) -> None:
        async def run() -> None:
            conn = await self._asyncpg.connect(url, timeout=10)
            try:
                await work(conn)
            finally:
                await conn.close()

        _in_thread(run)


class _MySQL:
    def __init__(self) -> None:
        self._pymysql = _require("pymysql", "mysql")

    def _connect(self, url: str, timeout: float) -> Any:
        parts = urlsplit(url)
        return self._pymysql.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 3306,
            user=unquote(parts.username or "root"),
            password=unquote(parts.password or ""),
            connect_timeout=timeout,
            autocommit=True,
        )

    def _execute(self, url: str, sql: str, timeout: float = 10) -> Any:
        conn = self._connect(url, timeout)
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchone()
        finally:
            conn.close()

    def probe(self, url: str, timeout: float) -> str:
        return str(self._execute(url, "SELECT VERSION()", timeout)[0])

    def fresh(self, url: str, name: str, index: int) -> str:
        self._execute(url, f"CREATE DATABASE {_quoted(name, '`')}")
        return with_path(url, name)

    def discard(self, url: str, fresh_url: str) -> None:
        name = urlsplit(fresh_url).path.lstrip("/")
        self._execute(url, f"DROP DATABASE IF EXISTS {_quoted(name, '`')}")


class _Redis:
    def __init__(self) -> None:
        self._redis = _require("redis", "redis")

    def _client(self, url: str, timeout: float = 10) -> Any:
        return self._redis.Redis.from_url(
            url, socket_connect_timeout=timeout, socket_timeout=timeout
        )

    def probe(self, url: str, timeout: float) -> str:
        with self._client(url, timeout) as client:
            return str(client.info("server")["redis_version"])

    def fresh(self, url: str, name: str, index: int) -> str:
        with self._client(url) as client:
            available = self._databases(client)
            if index >= available:
                raise LST_TESTING_ERR_BAD_SETTING(
                    url, "the Redis server", f"db {index} is needed but it has {available} dbs"
                )
            fresh_url = with_path(url, str(index))
        with self._client(fresh_url) as client:
            client.flushdb()
        return fresh_url

    def discard(self, url: str, fresh_url: str) -> None:
        with self._client(fresh_url) as client:
            client.flushdb()

    def _databases(self, client: Any) -> int:
        try:
            return int(client.config_get("databases")["databases"])
        except self._redis.ResponseError:
            return 16


class _MongoDB:
    def __init__(self) -> None:
        self._pymongo = _require("pymongo", "mongodb")

    def _client(self, url: str, timeout: float = 10) -> Any:
        millis = int(timeout * 1000)
        return self._pymongo.MongoClient(
            url, serverSelectionTimeoutMS=millis, connectTimeoutMS=millis
        )

    def probe(self, url: str, timeout: float) -> str:
        with self._client(url, timeout) as client:
            return str(client.admin.command("buildInfo")["version"])

    def fresh(self, url: str, name: str, index: int) -> str:
        return with_path(url, name)

    def discard(self, url: str, fresh_url: str) -> None:
        with self._client(url) as client:
            client.drop_database(urlsplit(fresh_url).path.lstrip("/"))


_DRIVERS: dict[str, Callable[[], Driver]] = {
    "postgres": _Postgres,
    "mysql": _MySQL,
    "redis": _Redis,
    "mongodb": _MongoDB,
}
