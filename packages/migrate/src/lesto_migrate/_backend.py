"""What the migrator needs from a database, and the parts every database shares."""

from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from ._files import Migration
from .errors import LST_MIGRATE_ERR_BAD_OPTION

__all__ = ["Backend", "Row", "lock_key"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")


@dataclass(frozen=True)
class Row:
    """One row of the schema table."""

    version: int
    name: str | None
    md5: str | None
    run_at: datetime | None


def lock_key(*parts: str) -> str:
    """A stable text naming the migration lock of one schema table in one database."""
    return "lesto-migrate:" + ":".join(parts)


def lock_number(key: str) -> int:
    """A signed 64-bit number for ``key`` (PostgreSQL advisory locks take one)."""
    digest = hashlib.md5(key.encode(), usedforsecurity=False).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class Backend(ABC):
    """One database connection (or pool) as the migrator uses it.

    ``session()`` holds a connection for one operation; ``lock()`` keeps
    other runners out for the whole of it. Where the lock is a transaction
    (SQLite), ``exclusive_steps`` is true: every migration takes the lock in
    its own transaction and the migrator re-checks the version inside it.
    """

    dialect: ClassVar[str]
    transactional_ddl: ClassVar[bool] = True
    exclusive_steps: ClassVar[bool] = False
    qualified_tables: ClassVar[bool] = False

    def __init__(self, table: str, where: str, lock_timeout: float) -> None:
        self.table = self.check_table(table)
        self.where = where
        self.lock_timeout = lock_timeout

    @classmethod
    def check_table(cls, table: str) -> str:
        parts = table.split(".")
        too_many = len(parts) > (2 if cls.qualified_tables else 1)
        if too_many or not all(_IDENTIFIER.fullmatch(p) for p in parts):
            allowed = "an identifier" + (" or schema.identifier" if cls.qualified_tables else "")
            raise LST_MIGRATE_ERR_BAD_OPTION("schema_table", f"{table!r} is not {allowed}")
        return table

    @asynccontextmanager
    async def session(self) -> AsyncIterator[None]:
        """Hold a connection for one operation (connecting first when needed)."""
        await self.acquire()
        try:
            yield
        finally:
            await self.release()

    @asynccontextmanager
    async def lock(self) -> AsyncIterator[None]:
        """Keep other runners out until the block ends; waits at most ``lock_timeout`` seconds."""
        await self.take_lock()
        try:
            yield
        finally:
            await self.drop_lock()

    @property
    @abstractmethod
    def connection(self) -> Any:
        """The driver's connection of the current session (passed to ``migrate(conn)``)."""

    @abstractmethod
    async def acquire(self) -> None: ...

    @abstractmethod
    async def release(self) -> None: ...

    @abstractmethod
    async def close(self) -> None:
        """Close what the backend opened itself; connections passed in stay open."""

    @abstractmethod
    async def take_lock(self) -> None: ...

    @abstractmethod
    async def drop_lock(self) -> None: ...

    @abstractmethod
    async def execute(self, sql: str) -> None: ...

    @abstractmethod
    async def begin(self) -> None:
        """Start a transaction (SQLite: an exclusive one, waiting up to ``lock_timeout``)."""

    @abstractmethod
    async def commit(self) -> None: ...

    @abstractmethod
    async def rollback(self) -> None: ...

    @abstractmethod
    async def rows(self) -> list[Row]:
        """The schema table's rows by version; none when the table does not exist."""

    @abstractmethod
    async def ensure_table(self) -> None: ...

    @abstractmethod
    async def record(self, migration: Migration) -> None:
        """Insert the row of an applied ``do``, or delete the row an ``undo`` reverts."""

    @abstractmethod
    async def drop_table(self) -> None: ...
