"""The workspace: the packages under ``packages/``, their names, versions and requirements."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from .errors import ToolError

__all__ = [
    "ROOT",
    "Package",
    "find_package",
    "load_package",
    "load_workspace",
    "read_version",
    "write_version",
]

#: The repository root (``tools/`` is one of its folders).
ROOT = Path(__file__).resolve().parent.parent.parent

_VERSION_LINE = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.MULTILINE)


@dataclass(frozen=True)
class Package:
    """One workspace member, as its ``pyproject.toml`` describes it."""

    folder: Path
    dist: str
    import_name: str
    version_file: Path
    requirements: tuple[Requirement, ...]

    @property
    def name(self) -> str:
        """The folder name (``redis``), the short name the tools accept."""
        return self.folder.name

    @property
    def version(self) -> str:
        """The version in the version file."""
        return read_version(self.version_file)

    def requirement_on(self, dist: str) -> Requirement | None:
        """This package's requirement on ``dist`` (runtime or extra), ``None`` if it has none."""
        wanted = canonicalize_name(dist)
        return next((r for r in self.requirements if canonicalize_name(r.name) == wanted), None)


def load_workspace(root: Path = ROOT) -> list[Package]:
    """Every package under ``root/packages`` that has a ``pyproject.toml``, sorted by folder.

    Raises:
        ToolError: a ``pyproject.toml`` that cannot be read as a Lesto package.
    """
    folders = sorted(p.parent for p in (root / "packages").glob("*/pyproject.toml"))
    return [load_package(folder) for folder in folders]


def load_package(folder: Path) -> Package:
    """Read ``folder/pyproject.toml``.

    Raises:
        ToolError: the file is missing, is not TOML, or lacks the name or version path.
    """
    pyproject = folder / "pyproject.toml"
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ToolError(f"{pyproject}: cannot read it ({exc})") from exc
    project = data.get("project", {})
    dist = project.get("name")
    version_path = data.get("tool", {}).get("hatch", {}).get("version", {}).get("path")
    if not isinstance(dist, str) or not isinstance(version_path, str):
        raise ToolError(f"{pyproject}: needs [project] name and [tool.hatch.version] path")
    version_file = folder / version_path
    return Package(
        folder=folder,
        dist=dist,
        import_name=version_file.parent.name,
        version_file=version_file,
        requirements=_requirements(project, pyproject),
    )


def _requirements(project: dict[str, Any], pyproject: Path) -> tuple[Requirement, ...]:
    texts = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        texts.extend(extra)
    try:
        return tuple(Requirement(text) for text in texts)
    except InvalidRequirement as exc:
        raise ToolError(f"{pyproject}: {exc}") from exc


def find_package(packages: list[Package], ident: str) -> Package:
    """The package named ``ident``: its folder (``redis``), distribution or import name.

    Raises:
        ToolError: no package has that name.
    """
    wanted = ident.removeprefix("packages/").strip("/")
    for package in packages:
        names = {package.name, package.import_name, canonicalize_name(package.dist)}
        if wanted in names or canonicalize_name(wanted) in names:
            return package
    known = ", ".join(p.name for p in packages)
    raise ToolError(f"no workspace package named {ident!r} (known: {known})")


def read_version(version_file: Path) -> str:
    """The ``__version__`` string of a version file.

    Raises:
        ToolError: the file is missing or has no ``__version__ = "..."`` line.
    """
    try:
        match = _VERSION_LINE.search(version_file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ToolError(f"{version_file}: cannot read it ({exc})") from exc
    if match is None:
        raise ToolError(f'{version_file}: no line `__version__ = "..."`')
    return match.group(1)


def write_version(version_file: Path, version: str) -> None:
    """Replace the ``__version__`` string of a version file, keeping everything else."""
    text = version_file.read_text(encoding="utf-8")
    version_file.write_text(
        _VERSION_LINE.sub(f'__version__ = "{version}"', text, count=1), encoding="utf-8"
    )
