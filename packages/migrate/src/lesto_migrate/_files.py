"""Migration files: find them, parse their names, checksum them.

A migration file is named ``VERSION.ACTION[.DESCRIPTION].EXT``: ``VERSION``
an integer (``001``, ``20250101120000``), ``ACTION`` ``do`` or ``undo``,
``DESCRIPTION`` without dots, ``EXT`` ``sql`` or ``py``. Every file that the
directory (or glob) yields must follow it; hidden files and folders are
ignored. A name that does not parse, two files for one version and action,
and an undo without its do are errors that name the file.
"""

from __future__ import annotations

import glob
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import (
    LST_MIGRATE_ERR_BAD_FILENAME,
    LST_MIGRATE_ERR_BAD_OPTION,
    LST_MIGRATE_ERR_DUPLICATE,
    LST_MIGRATE_ERR_NO_DIRECTORY,
    LST_MIGRATE_ERR_UNDO_WITHOUT_DO,
)

__all__ = ["NEWLINES", "Migration", "checksum", "load_migrations"]

Action = Literal["do", "undo"]
Kind = Literal["sql", "py"]

NEWLINES = {"LF": "\n", "CR": "\r", "CRLF": "\r\n"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_GLOB_CHARS = frozenset("*?[")
_OPT_OUT = {
    "sql": re.compile(r"\s*--\s*lesto-migrate:\s*no-transaction\s*$", re.IGNORECASE),
    "py": re.compile(r"\s*#\s*lesto-migrate:\s*no-transaction\s*$", re.IGNORECASE),
}


@dataclass(frozen=True)
class Migration:
    """One migration file.

    ``md5`` is the hex MD5 of the file's text (after newline normalisation
    when the ``newline`` option is set), the same value Postgrator computes,
    so a Postgrator schema table validates. ``transaction`` is ``False``
    when the file's first line opts out (``-- lesto-migrate: no-transaction``).
    """

    version: int
    action: Action
    name: str
    path: Path
    kind: Kind
    md5: str
    transaction: bool
    source: str = field(repr=False, compare=False)

    @property
    def filename(self) -> str:
        return self.path.name


def checksum(text: str, newline: str | None = None) -> str:
    """MD5 hex digest of ``text``, with line breaks rewritten to ``newline`` if given."""
    if newline is not None:
        text = _LINE_BREAK.sub(NEWLINES[newline], text)
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def check_newline(newline: str | None) -> str | None:
    if newline is None or newline in NEWLINES:
        return newline
    raise LST_MIGRATE_ERR_BAD_OPTION("newline", f"{newline!r} is not one of LF, CR, CRLF")


def load_migrations(location: str | Path, newline: str | None = None) -> list[Migration]:
    """Every migration in ``location`` (a directory or a glob), sorted by version then action."""
    newline = check_newline(newline)
    migrations = [_load(path, newline) for path in _paths(str(location))]
    _check_unique(migrations)
    _check_undos_have_dos(migrations)
    return sorted(migrations, key=lambda m: (m.version, m.action))


def _paths(location: str) -> list[Path]:
    if _GLOB_CHARS.isdisjoint(location):
        folder = Path(location)
        if not folder.is_dir():
            raise LST_MIGRATE_ERR_NO_DIRECTORY(location)
        candidates: Iterable[Path] = folder.iterdir()
    else:
        candidates = (Path(p) for p in glob.glob(location))
    return sorted(p for p in candidates if p.is_file() and not p.name.startswith("."))


def _load(path: Path, newline: str | None) -> Migration:
    version, action, name, kind = parse_filename(path.name)
    source = path.read_bytes().decode("utf-8")
    first_line = source.split("\n", 1)[0]
    return Migration(
        version=version,
        action=action,
        name=name,
        path=path,
        kind=kind,
        md5=checksum(source, newline),
        transaction=_OPT_OUT[kind].match(first_line) is None,
        source=source,
    )


def parse_filename(filename: str) -> tuple[int, Action, str, Kind]:
    """``(version, action, description, kind)`` of a migration file name, or an error naming it."""
    stem, dot, extension = filename.rpartition(".")
    if not dot or extension not in ("sql", "py"):
        raise LST_MIGRATE_ERR_BAD_FILENAME(filename, "the extension must be .sql or .py")
    parts = stem.split(".")
    if not parts[0].isdigit() or not parts[0].isascii():
        raise LST_MIGRATE_ERR_BAD_FILENAME(filename, "the version must be an integer")
    if len(parts) < 2 or parts[1] not in ("do", "undo"):
        raise LST_MIGRATE_ERR_BAD_FILENAME(filename, "the action must be 'do' or 'undo'")
    if len(parts) > 3:
        raise LST_MIGRATE_ERR_BAD_FILENAME(filename, "the description must not contain dots")
    action: Action = "do" if parts[1] == "do" else "undo"
    kind: Kind = "sql" if extension == "sql" else "py"
    return int(parts[0]), action, parts[2] if len(parts) == 3 else "", kind


def _check_unique(migrations: list[Migration]) -> None:
    seen: dict[tuple[int, str], Migration] = {}
    for migration in sorted(migrations, key=lambda m: m.filename):
        key = (migration.version, migration.action)
        if key in seen:
            first = seen[key]
            raise LST_MIGRATE_ERR_DUPLICATE(
                migration.version, migration.action, first.filename, migration.filename
            )
        seen[key] = migration


def _check_undos_have_dos(migrations: list[Migration]) -> None:
    done = {m.version for m in migrations if m.action == "do"}
    for migration in migrations:
        if migration.action == "undo" and migration.version not in done:
            raise LST_MIGRATE_ERR_UNDO_WITHOUT_DO(migration.filename, migration.version)
