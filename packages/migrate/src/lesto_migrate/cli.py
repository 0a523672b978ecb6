"""The ``lesto-migrate`` command: migrate, status, validate, new, drop-schema-table.

Exit codes (also in the README):

* 0: done (``status --exit-code``: nothing pending);
* 1: a migration failed, or an unexpected error;
* 2: bad usage or settings (options, URL, pyproject.toml, driver, directory, target);
* 3: ``status --exit-code`` found pending migrations;
* 4: the migration files or the schema table do not check out (file names,
  duplicates, undo without do, Python migration, checksum, missing undo);
* 5: another runner held the lock longer than ``--lock-timeout``;
* 6: the database could not be reached.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from lesto_errors import LestoError

from . import errors
from .__about__ import __version__
from ._config import Settings, resolve_settings
from ._events import Event
from ._files import NEWLINES, load_migrations
from ._migrator import Migrator
from ._url import redact

__all__ = ["EXIT_CODES", "main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PENDING = 3

EXIT_CODES: dict[str, int] = {
    errors.LST_MIGRATE_ERR_FAILED.code: EXIT_FAILED,
    errors.LST_MIGRATE_ERR_BAD_OPTION.code: EXIT_USAGE,
    errors.LST_MIGRATE_ERR_BAD_URL.code: EXIT_USAGE,
    errors.LST_MIGRATE_ERR_BAD_CONNECTION.code: EXIT_USAGE,
    errors.LST_MIGRATE_ERR_DRIVER_MISSING.code: EXIT_USAGE,
    errors.LST_MIGRATE_ERR_NO_DIRECTORY.code: EXIT_USAGE,
    errors.LST_MIGRATE_ERR_BAD_TARGET.code: EXIT_USAGE,
    errors.LST_MIGRATE_ERR_BAD_FILENAME.code: 4,
    errors.LST_MIGRATE_ERR_DUPLICATE.code: 4,
    errors.LST_MIGRATE_ERR_UNDO_WITHOUT_DO.code: 4,
    errors.LST_MIGRATE_ERR_BAD_PY_MIGRATION.code: 4,
    errors.LST_MIGRATE_ERR_CHECKSUM.code: 4,
    errors.LST_MIGRATE_ERR_MISSING_UNDO.code: 4,
    errors.LST_MIGRATE_ERR_LOCK_TIMEOUT.code: 5,
    errors.LST_MIGRATE_ERR_CONNECT.code: 6,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    args = _parser().parse_args(argv)
    out = sys.stdout
    try:
        return asyncio.run(_dispatch(args, out))
    except LestoError as error:
        _report(error, args)
        return EXIT_CODES.get(error.code, EXIT_FAILED)
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lesto-migrate", description="Run SQL migrations (Postgrator file layout)."
    )
    parser.add_argument("--version", action="version", version=f"lesto-migrate {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", help="database URL (default: $LESTO_MIGRATE_URL, $DATABASE_URL)")
    common.add_argument("--dir", dest="directory", help="migrations folder or glob (migrations)")
    common.add_argument("--schema-table", help="table of applied migrations (schemaversion)")
    common.add_argument("--lock-timeout", type=float, help="seconds to wait for the lock (60)")
    common.add_argument("--newline", choices=sorted(NEWLINES), help="normalise before checksums")
    checks = common.add_mutually_exclusive_group()
    checks.add_argument(
        "--no-validate-checksums", dest="validate_checksums", action="store_false", default=None
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    migrate = commands.add_parser("migrate", parents=[common], help="migrate to a version")
    migrate.add_argument("target", nargs="?", default="max", help="'max' (default) or a version")
    migrate.add_argument("--dry-run", action="store_true", help="print the SQL, commit nothing")
    status = commands.add_parser("status", parents=[common], help="applied and pending")
    status.add_argument("--exit-code", action="store_true", help="exit 3 when any are pending")
    commands.add_parser("validate", parents=[common], help="check names and checksums")
    new = commands.add_parser("new", parents=[common], help="create the next do/undo pair")
    new.add_argument("description")
    commands.add_parser("drop-schema-table", parents=[common], help="drop the schema table")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    names = ("url", "directory", "schema_table", "lock_timeout", "newline", "validate_checksums")
    given = {name: getattr(args, name) for name in names}
    return resolve_settings(given, os.environ, Path.cwd())


async def _dispatch(args: argparse.Namespace, out: TextIO) -> int:
    settings = _settings(args)
    args.url = settings.url
    if args.command == "new":
        return _new(settings, args.description, out)
    if not settings.url:
        sources = "--url, LESTO_MIGRATE_URL, DATABASE_URL or url in [tool.lesto-migrate]"
        raise errors.LST_MIGRATE_ERR_BAD_OPTION("url", f"no database URL; set one of {sources}")
    printer = _Printer(out)
    async with Migrator(
        settings.url,
        settings.directory,
        schema_table=settings.schema_table,
        validate_checksums=settings.validate_checksums,
        newline=settings.newline,
        lock_timeout=settings.lock_timeout,
        on_event=printer,
    ) as migrator:
        where = redact(settings.url)
        if args.command == "migrate":
            return await _migrate(migrator, args, where, out)
        if args.command == "status":
            return await _status(migrator, args.exit_code, where, out)
        if args.command == "validate":
            checked = await migrator.validate()
            print(f"ok: {len(checked)} applied migrations match their files", file=out)
            return EXIT_OK
        await migrator.drop_schema_table()
        print(f"dropped {settings.schema_table} on {where}", file=out)
        return EXIT_OK


async def _migrate(migrator: Migrator, args: argparse.Namespace, where: str, out: TextIO) -> int:
    before = await migrator.database_version()
    target = args.target
    print(f"database {where} is at version {before}; target {target}", file=out)
    applied = await migrator.migrate(target, dry_run=args.dry_run)
    after = await migrator.database_version()
    if args.dry_run:
        ran = " (run and rolled back)" if migrator.dialect != "mysql" else ""
        print(f"dry run: {len(applied)} migrations would run{ran}; nothing changed", file=out)
    elif not applied:
        print(f"nothing to do: database is at version {after}", file=out)
    else:
        print(f"done: {len(applied)} migrations; database is at version {after}", file=out)
    return EXIT_OK


async def _status(migrator: Migrator, exit_code: bool, where: str, out: TextIO) -> int:
    status = await migrator.status()
    print(
        f"database {where}: version {status.database_version}, files up to {status.max_version}",
        file=out,
    )
    for row in status.applied:
        check = {True: "ok", False: "CHANGED", None: "-"}[row.checksum_ok]
        when = row.run_at.isoformat(timespec="seconds") if row.run_at else "-"
        print(f"  applied  {row.version:>6}  {row.name or '':<30} {when}  md5 {check}", file=out)
    for migration in status.pending:
        print(f"  pending  {migration.version:>6}  {migration.filename}", file=out)
    if exit_code and status.pending:
        return EXIT_PENDING
    return EXIT_OK


def _new(settings: Settings, description: str, out: TextIO) -> int:
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", description.strip()).strip("-").lower()
    if not slug:
        raise errors.LST_MIGRATE_ERR_BAD_OPTION("description", f"{description!r} has no letters")
    folder = Path(settings.directory)
    folder.mkdir(parents=True, exist_ok=True)
    existing = load_migrations(folder, settings.newline)
    width = max((len(m.filename.partition(".")[0]) for m in existing), default=3)
    version = str(max((m.version for m in existing), default=0) + 1).zfill(width)
    for action in ("do", "undo"):
        path = folder / f"{version}.{action}.{slug}.sql"
        path.write_text(f"-- {action}: {description.strip()}\n", encoding="utf-8")
        print(f"created {path}", file=out)
    return EXIT_OK


class _Printer:
    """Prints progress events, one line per migration with its time."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def __call__(self, event: Event) -> None:
        migration = event.migration
        if event.kind == "validation-finished" and event.migrations:
            count = len(event.migrations)
            self._line(f"checksums ok for {count} applied migrations{_ms(event.seconds)}")
        elif event.kind == "migration-started" and migration and event.dry_run:
            self._line(f"-- {migration.filename}")
            self._line(event.sql.rstrip() if event.sql is not None else "-- (migrate(conn))")
        elif event.kind == "migration-finished" and migration:
            verb = "dry-run" if event.dry_run else migration.action
            self._line(f"{verb:>7} {migration.filename}{_ms(event.seconds)}")

    def _line(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def _ms(seconds: float | None) -> str:
    return "" if seconds is None else f" ({seconds * 1000:.1f} ms)"


def _report(error: LestoError, args: argparse.Namespace) -> None:
    text = f"lesto-migrate: {error.code}: {error}"
    cause = error.__cause__
    if cause is not None and error.code == errors.LST_MIGRATE_ERR_FAILED.code:
        detail = getattr(cause, "detail", None)
        text += f"\n  detail: {detail}" if detail else ""
    print(_scrub(text, getattr(args, "url", None)), file=sys.stderr)


def _scrub(text: str, url: Any) -> str:
    """Never print a password, even one that found its way into a driver's message."""
    for candidate in (url, os.environ.get("LESTO_MIGRATE_URL"), os.environ.get("DATABASE_URL")):
        password = _password(candidate)
        if password:
            text = text.replace(password, "***")
    return text


def _password(url: Any) -> str | None:
    if not isinstance(url, str):
        return None
    try:
        return urlsplit(url).password
    except ValueError:
        return None


if __name__ == "__main__":
    raise SystemExit(main())
