"""``Migrator``: move a database to a version, one migration per transaction, under a lock."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter
from typing import Any

from lesto_errors import LestoError

from ._backend import Row
from ._connect import make_backend
from ._events import Event, Listener
from ._files import Migration, check_newline, load_migrations
from ._python import load_python
from ._sql import Statement, split_statements
from ._status import AppliedMigration, Status
from .errors import (
    LST_MIGRATE_ERR_BAD_OPTION,
    LST_MIGRATE_ERR_BAD_TARGET,
    LST_MIGRATE_ERR_CHECKSUM,
    LST_MIGRATE_ERR_FAILED,
    LST_MIGRATE_ERR_MISSING_UNDO,
)

__all__ = ["Migrator"]

# Checksums that mean "none recorded" (Postgrator writes 'undefined' for JavaScript files).
_NO_CHECKSUM = (None, "", "undefined")


@dataclass(frozen=True)
class _Step:
    """A migration to run, and the database version it expects to find before it runs."""

    migration: Migration
    version_before: int


@dataclass(frozen=True)
class _Work:
    """What running a migration means: statements, or a Python ``migrate(conn)``."""

    sql: str | None
    statements: Sequence[Statement]
    call: Callable[[Any], Awaitable[None]] | None


class Migrator:
    """Runs the migrations of ``directory`` against ``database``.

    Args:
        database: a URL (``postgresql://``, ``mysql://``/``mariadb://``,
            ``sqlite:///path``), or an open asyncpg connection or pool, aiomysql
            connection or pool, or ``sqlite3.Connection`` (left open by
            :meth:`close`).
        directory: the folder of migration files, or a glob pattern.
        schema_table: the table that records applied migrations; on
            PostgreSQL it may be ``schema.table`` (the schema is created).
        validate_checksums: check the checksums of applied ``do`` files before
            migrating up.
        newline: ``"LF"``, ``"CR"`` or ``"CRLF"`` to normalise line breaks
            before checksumming, or ``None`` to checksum files as they are.
        lock_timeout: seconds to wait for another runner's lock.
        on_event: called (or awaited, if ``async def``) with each :class:`Event`.
    """

    def __init__(
        self,
        database: Any,
        directory: str | Path,
        *,
        schema_table: str = "schemaversion",
        validate_checksums: bool = True,
        newline: str | None = None,
        lock_timeout: float = 60.0,
        on_event: Listener | None = None,
    ) -> None:
        _check_timeout(lock_timeout)
        self.directory = directory
        self.validate_checksums = validate_checksums
        self._newline = check_newline(newline)
        self._backend = make_backend(database, schema_table, float(lock_timeout))
        self._listener = on_event
        self._listener_is_async = inspect.iscoroutinefunction(on_event)

    @property
    def dialect(self) -> str:
        """``postgres``, ``mysql`` or ``sqlite``."""
        return self._backend.dialect

    async def __aenter__(self) -> Migrator:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the connection the migrator opened (a connection passed in stays open)."""
        await self._backend.close()

    def migrations(self) -> list[Migration]:
        """Every migration file, sorted; raises on a bad name, a duplicate, an undo without do."""
        return load_migrations(self.directory, self._newline)

    def max_version(self) -> int:
        """The highest ``do`` version among the files (0 when there are none)."""
        return _max_version(self.migrations())

    async def database_version(self) -> int:
        """The highest version recorded in the schema table (0 when none or no table)."""
        async with self._backend.session():
            return _version(await self._backend.rows())

    async def status(self) -> Status:
        """Applied migrations (with checksums) and pending ones."""
        files = self.migrations()
        async with self._backend.session():
            rows = await self._backend.rows()
        dos = _dos(files)
        current = _version(rows)
        applied = tuple(_applied(row, dos.get(row.version)) for row in rows if row.version > 0)
        pending = tuple(m for m in files if m.action == "do" and m.version > current)
        return Status(current, _max_version(files), applied, pending)

    async def validate(self) -> list[Migration]:
        """Check the checksums of applied ``do`` files; returns the files checked."""
        files = self.migrations()
        async with self._backend.session():
            rows = await self._backend.rows()
        return await self._validate(files, rows)

    async def drop_schema_table(self) -> None:
        """Drop the schema table (the migrations' own tables stay)."""
        async with self._backend.session(), self._backend.lock():
            await self._backend.drop_table()

    async def migrate(self, target: int | str = "max", *, dry_run: bool = False) -> list[Migration]:
        """Move the database to ``target`` (``"max"``, or a version; 0 undoes everything).

        Up runs ``do`` files in ascending order, down runs ``undo`` files in
        descending order. Returns the migrations applied (in a dry run, the
        ones that would be). A failure raises ``LST_MIGRATE_ERR_FAILED``;
        every coded error raised here has ``applied``, the migrations that
        completed before it.
        """
        files = self.migrations()
        goal = _target(target, files)
        applied: list[Migration] = []
        try:
            async with self._backend.session(), self._backend.lock():
                if dry_run:
                    return await self._dry_run(files, goal)
                await self._backend.ensure_table()
                await self._run(files, goal, applied)
        except LestoError as error:
            error.applied = applied  # type: ignore[attr-defined]
            raise
        return applied

    async def _run(self, files: list[Migration], goal: int, applied: list[Migration]) -> None:
        validated = False
        while True:
            rows = await self._backend.rows()
            if not validated:
                await self._validate_before(files, rows, goal)
                validated = True
            steps = _plan(files, rows, goal)
            for step in steps:
                if not await self._apply(step):
                    break
                applied.append(step.migration)
            else:
                return

    async def _dry_run(self, files: list[Migration], goal: int) -> list[Migration]:
        backend = self._backend
        rows = await backend.rows()
        await self._validate_before(files, rows, goal)
        steps = _plan(files, rows, goal)
        execute = backend.transactional_ddl
        if execute:
            await backend.begin()
        try:
            for step in steps:
                migration = step.migration
                work = await self._work(migration)
                await self._emit(Event("migration-started", migration, sql=work.sql, dry_run=True))
                began = perf_counter()
                if execute and migration.transaction:
                    await self._execute(migration, work)
                seconds = perf_counter() - began
                await self._emit(
                    Event("migration-finished", migration, seconds=seconds, dry_run=True)
                )
        finally:
            if execute:
                await backend.rollback()
        return [step.migration for step in steps]

    async def _apply(self, step: _Step) -> bool:
        """Run one migration and record it; ``False`` if another runner moved the database first."""
        migration, backend = step.migration, self._backend
        work = await self._work(migration)
        if backend.exclusive_steps:
            await backend.begin()
            if _version(await backend.rows()) != step.version_before:
                await backend.rollback()
                return False
            if not migration.transaction:
                await backend.commit()
        elif migration.transaction:
            await backend.begin()
        await self._emit(Event("migration-started", migration, sql=work.sql))
        began = perf_counter()
        try:
            await self._execute(migration, work)
            await backend.record(migration)
            if migration.transaction:
                await backend.commit()
        except BaseException:
            await self._rollback_quietly(migration)
            raise
        await self._emit(Event("migration-finished", migration, seconds=perf_counter() - began))
        return True

    async def _work(self, migration: Migration) -> _Work:
        if migration.kind == "sql":
            sql = migration.source
            return _Work(sql, split_statements(sql, self._backend.dialect), None)
        loaded = await load_python(migration)
        if loaded.sql is None:
            return _Work(None, (), loaded.migrate)
        return _Work(loaded.sql, split_statements(loaded.sql, self._backend.dialect), None)

    async def _execute(self, migration: Migration, work: _Work) -> None:
        if work.call is not None:
            try:
                await work.call(self._backend.connection)
            except Exception as error:
                raise _failed(migration, None, error) from error
        for statement in work.statements:
            try:
                await self._backend.execute(statement.sql)
            except Exception as error:
                raise _failed(migration, statement, error) from error

    async def _rollback_quietly(self, migration: Migration) -> None:
        if not migration.transaction:
            return
        # The connection may be gone already; the error that got us here is the one to raise.
        with contextlib.suppress(Exception):
            await self._backend.rollback()

    async def _validate_before(self, files: list[Migration], rows: list[Row], goal: int) -> None:
        if self.validate_checksums and goal >= _version(rows):
            await self._validate(files, rows)

    async def _validate(self, files: list[Migration], rows: list[Row]) -> list[Migration]:
        dos = _dos(files)
        checked = tuple(dos[r.version] for r in rows if r.version in dos)
        await self._emit(Event("validation-started", migrations=checked))
        began = perf_counter()
        for row in rows:
            migration = dos.get(row.version)
            if _applied(row, migration).checksum_ok is False:
                assert migration is not None
                raise LST_MIGRATE_ERR_CHECKSUM(migration.filename, row.md5, migration.md5)
        seconds = perf_counter() - began
        await self._emit(Event("validation-finished", migrations=checked, seconds=seconds))
        return list(checked)

    async def _emit(self, event: Event) -> None:
        if self._listener is None:
            return
        result = self._listener(event)
        if self._listener_is_async and result is not None:
            await result


def _check_timeout(lock_timeout: float) -> None:
    number = isinstance(lock_timeout, int | float) and not isinstance(lock_timeout, bool)
    if not number or not lock_timeout > 0:
        raise LST_MIGRATE_ERR_BAD_OPTION("lock_timeout", f"{lock_timeout!r} is not a number > 0")


def _target(target: int | str, files: list[Migration]) -> int:
    if isinstance(target, str) and target.strip().lower() == "max":
        return _max_version(files)
    if isinstance(target, str) and target.strip().isdigit():
        return int(target)
    if isinstance(target, int) and not isinstance(target, bool) and target >= 0:
        return target
    raise LST_MIGRATE_ERR_BAD_TARGET(target)


def _plan(files: list[Migration], rows: list[Row], goal: int) -> list[_Step]:
    """The steps from the recorded state to ``goal``; a missing undo is reported first."""
    current = _version(rows)
    if goal >= current:
        dos = [m for m in files if m.action == "do" and current < m.version <= goal]
        befores = [current, *(m.version for m in dos)]
        return [_Step(m, before) for m, before in zip(dos, befores, strict=False)]
    undos = {m.version: m for m in files if m.action == "undo"}
    versions = sorted((r.version for r in rows if r.version > goal), reverse=True)
    for version in versions:
        if version not in undos:
            raise LST_MIGRATE_ERR_MISSING_UNDO(goal, version)
    return [_Step(undos[v], v) for v in versions]


def _applied(row: Row, migration: Migration | None) -> AppliedMigration:
    ok = None if migration is None or row.md5 in _NO_CHECKSUM else row.md5 == migration.md5
    return AppliedMigration(row.version, row.name, row.md5, row.run_at, migration, ok)


def _failed(migration: Migration, statement: Statement | None, error: Exception) -> LestoError:
    where = "migrate(conn)"
    if statement is not None:
        where = f"statement {statement.number} (line {statement.line})"
    failure = LST_MIGRATE_ERR_FAILED(migration.filename, where, f"{type(error).__name__}: {error}")
    failure.migration = migration  # type: ignore[attr-defined]
    failure.statement = statement.number if statement else None  # type: ignore[attr-defined]
    failure.line = statement.line if statement else None  # type: ignore[attr-defined]
    return failure


def _dos(files: list[Migration]) -> dict[int, Migration]:
    return {m.version: m for m in files if m.action == "do"}


def _version(rows: list[Row]) -> int:
    return max((r.version for r in rows), default=0)


def _max_version(files: list[Migration]) -> int:
    return max((m.version for m in files if m.action == "do"), default=0)
