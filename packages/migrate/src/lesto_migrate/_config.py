"""The CLI's settings: command-line options, then environment, then pyproject.toml, then defaults.

``[tool.lesto-migrate]`` is read from the nearest ``pyproject.toml`` (the
current folder or a parent) that has the section; a relative ``dir`` there
is relative to that file. The URL may also come from ``LESTO_MIGRATE_URL``
or ``DATABASE_URL`` (in that order), which win over the file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import LST_MIGRATE_ERR_BAD_OPTION

__all__ = ["DEFAULTS", "Settings", "read_pyproject", "resolve_settings"]

URL_VARIABLES = ("LESTO_MIGRATE_URL", "DATABASE_URL")

# Setting name -> (pyproject key, default, accepted types).
DEFAULTS: dict[str, tuple[str, Any, tuple[type, ...]]] = {
    "url": ("url", None, (str,)),
    "directory": ("dir", "migrations", (str,)),
    "schema_table": ("schema-table", "schemaversion", (str,)),
    "lock_timeout": ("lock-timeout", 60.0, (int, float)),
    "newline": ("newline", None, (str,)),
    "validate_checksums": ("validate-checksums", True, (bool,)),
}


@dataclass(frozen=True)
class Settings:
    url: str | None
    directory: str
    schema_table: str
    lock_timeout: float
    newline: str | None
    validate_checksums: bool


def read_pyproject(start: Path) -> tuple[dict[str, Any], Path | None]:
    """The ``[tool.lesto-migrate]`` table of the nearest pyproject.toml that has one."""
    for folder in (start, *start.parents):
        path = folder / "pyproject.toml"
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise LST_MIGRATE_ERR_BAD_OPTION(str(path), error, cause=error) from error
        section = data.get("tool", {}).get("lesto-migrate")
        if section is not None:
            return _checked(section, path), path
    return {}, None


def _checked(section: Any, path: Path) -> dict[str, Any]:
    where = f"[tool.lesto-migrate] in {path}"
    if not isinstance(section, dict):
        raise LST_MIGRATE_ERR_BAD_OPTION(where, "must be a table")
    known = {key: (name, types) for name, (key, _, types) in DEFAULTS.items()}
    found: dict[str, Any] = {}
    for key, value in section.items():
        if key not in known:
            raise LST_MIGRATE_ERR_BAD_OPTION(where, f"unknown key {key!r}")
        name, types = known[key]
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            raise LST_MIGRATE_ERR_BAD_OPTION(where, f"{key} has the wrong type")
        found[name] = value
    if "directory" in found:
        found["directory"] = str(path.parent / found["directory"])
    return found


def resolve_settings(given: Mapping[str, Any], environ: Mapping[str, str], start: Path) -> Settings:
    """Merge options given on the command line (``None`` = not given) with the other sources."""
    from_file, _ = read_pyproject(start)
    merged = {name: default for name, (_, default, _) in DEFAULTS.items()}
    merged |= from_file
    env_url = next((environ[v] for v in URL_VARIABLES if environ.get(v)), None)
    if env_url:
        merged["url"] = env_url
    merged |= {name: value for name, value in given.items() if value is not None}
    return Settings(**merged)
