"""Finding the local server executables, also where Linux distributions hide them.

Debian keeps PostgreSQL in ``/usr/lib/postgresql/<version>/bin`` and MariaDB's
server in ``/usr/sbin``, neither of which is always on ``PATH``. When
``LESTO_TEST_<NAME>_BIN`` is set, only that folder is searched.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import sysconfig
from collections.abc import Iterable, Sequence
from pathlib import Path

SYSTEM_DIRS = (
    "/usr/local/sbin",
    "/usr/local/bin",
    "/usr/sbin",
    "/usr/bin",
    "/sbin",
    "/bin",
    "/usr/libexec",
    "/opt/homebrew/bin",
)


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", str(path)))


def postgres_dirs() -> list[Path]:
    """Folders that may hold ``initdb`` and ``postgres``, newest version first."""
    patterns = (
        "/usr/lib/postgresql/*/bin",
        "/usr/pgsql-*/bin",
        "/opt/homebrew/opt/postgresql*/bin",
    )
    found: list[Path] = []
    for pattern in patterns:
        root = Path("/")
        found += sorted(root.glob(pattern.lstrip("/")), key=_version_key, reverse=True)
    return found


def script_dirs() -> list[Path]:
    """Folders where pip puts console scripts of the running Python (a venv's ``bin``)."""
    return [Path(sysconfig.get_path("scripts")), Path(sys.executable).parent]


def search_dirs(override: Path | None, extra: Iterable[Path] = ()) -> list[Path]:
    """Where to look: the override alone, else PATH, then ``extra``, then system folders."""
    if override is not None:
        return [override]
    path = [Path(p) for p in os.environ.get("PATH", "").split(os.pathsep) if p]
    return _unique([*path, *extra, *(Path(d) for d in SYSTEM_DIRS)])


def _unique(dirs: Iterable[Path]) -> list[Path]:
    seen: set[Path] = set()
    result = []
    for folder in dirs:
        if folder not in seen:
            seen.add(folder)
            result.append(folder)
    return result


def find(names: Sequence[str], dirs: Sequence[Path]) -> Path | None:
    """The first executable named one of ``names`` (in that order of preference) in ``dirs``."""
    for name in names:
        for folder in dirs:
            found = shutil.which(name, path=str(folder))
            if found:
                return Path(found)
    return None


def find_together(names: Sequence[str], dirs: Sequence[Path]) -> list[Path] | None:
    """All of ``names`` from the first folder that holds every one of them."""
    for folder in dirs:
        found = [shutil.which(name, path=str(folder)) for name in names]
        if all(found):
            return [Path(f) for f in found if f]
    return None
