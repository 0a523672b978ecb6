"""``tools/check``: the repository's consistency check (run by CI after the tests).

For every package under ``packages/`` (or those named): the required files, a
version file, a README with the standard sections, a CHANGELOG, ``py.typed``;
internal dependency ranges that admit the workspace's current versions; and
no import of a workspace package that the package does not declare.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from .changelog import sections
from .errors import ToolError
from .imports import imported_modules
from .ranges import admits
from .readme import KNOWN_GAPS, missing_sections
from .workspace import ROOT, Package, find_package, load_package

__all__ = ["Report", "check_package", "main", "run"]

Report = tuple[list[str], list[str]]
"""Problems (which fail the check) and notes (which do not)."""


def main(argv: list[str] | None = None) -> int:
    """Check the packages, print a report, exit 1 on any problem."""
    parser = argparse.ArgumentParser(prog="tools/check", description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", help="folders to check (default: all)")
    args = parser.parse_args(argv)
    try:
        problems, notes = run(args.packages)
    except ToolError as exc:
        print(f"check: {exc}", file=sys.stderr)
        return 1
    for note in notes:
        print(f"note: {note}")
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    print(f"tools/check: {len(problems)} problem(s)" if problems else "tools/check: all consistent")
    return 1 if problems else 0


def run(names: list[str], root: Path = ROOT) -> Report:
    """Check every package folder under ``root/packages`` (or the named ones)."""
    problems: list[str] = []
    packages: list[Package] = []
    for folder in sorted(p for p in (root / "packages").iterdir() if p.is_dir()):
        if (folder / "pyproject.toml").is_file():
            try:
                packages.append(load_package(folder))
            except ToolError as exc:
                problems.append(str(exc))
        elif not folder.name.startswith((".", "_")):
            problems.append(f"packages/{folder.name}: no pyproject.toml")
    chosen = [find_package(packages, name) for name in names] if names else packages
    notes: list[str] = []
    for package in chosen:
        found, noted = check_package(package, packages)
        problems += [f"packages/{package.name}: {text}" for text in found]
        notes += [f"packages/{package.name}: {text}" for text in noted]
    return problems, notes


def check_package(package: Package, workspace: list[Package]) -> Report:
    """The problems and notes of one package."""
    problems = _files(package) + _version(package) + _changelog(package)
    readme_problems, notes = _readme(package)
    problems += readme_problems + _ranges(package, workspace) + _imports(package, workspace)
    return problems, notes


def _files(package: Package) -> list[str]:
    src = package.folder / "src" / package.import_name
    required = [
        package.folder / "README.md",
        package.folder / "CHANGELOG.md",
        src / "__init__.py",
        src / "py.typed",
    ]
    problems = [f"missing {p.relative_to(package.folder)}" for p in required if not p.is_file()]
    if package.version_file != src / "__about__.py":
        problems.append(f"the version file should be src/{package.import_name}/__about__.py")
    if not any((package.folder / "tests").glob("test_*.py")):
        problems.append("no tests (tests/test_*.py)")
    return problems


def _version(package: Package) -> list[str]:
    try:
        Version(package.version)
    except ToolError as exc:
        return [str(exc)]
    except InvalidVersion:
        return [f"{package.version!r} in the version file is not a valid version"]
    return []


def _readme(package: Package) -> Report:
    readme = package.folder / "README.md"
    if not readme.is_file():
        return [], []
    missing = missing_sections(readme.read_text(encoding="utf-8"))
    known = KNOWN_GAPS.get(package.name, frozenset())
    problems = [f"README.md has no '{s}' section" for s in missing if s not in known]
    notes = [f"README.md has no '{s}' section (known gap)" for s in missing if s in known]
    notes += [
        f"README.md has its '{s}' section now: drop it from KNOWN_GAPS"
        for s in sorted(known)
        if s not in missing
    ]
    return problems, notes


def _changelog(package: Package) -> list[str]:
    changelog = package.folder / "CHANGELOG.md"
    if not changelog.is_file():
        return []
    text = changelog.read_text(encoding="utf-8")
    if not text.startswith("# Changelog"):
        return ["CHANGELOG.md should start with '# Changelog'"]
    found = sections(text)
    try:
        current = package.version
    except ToolError:
        return []
    if not any(s.is_unreleased or s.version() == current for s in found):
        return [f"CHANGELOG.md has neither an 'Unreleased' nor a '{current}' section"]
    return []


def _ranges(package: Package, workspace: list[Package]) -> list[str]:
    versions = {canonicalize_name(p.dist): p for p in workspace}
    problems = []
    for requirement in package.requirements:
        target = versions.get(canonicalize_name(requirement.name))
        if target is None:
            continue
        try:
            version = target.version
        except ToolError:
            continue
        if not admits(requirement, version):
            problems.append(f"requires {requirement}, which excludes the workspace's {version}")
    return problems


def _imports(package: Package, workspace: list[Package]) -> list[str]:
    by_module = {p.import_name: p for p in workspace}
    declared = {canonicalize_name(r.name) for r in package.requirements}
    problems = []
    for found in imported_modules(package.folder / "src"):
        target = by_module.get(found.module)
        if target is None or target is package or canonicalize_name(target.dist) in declared:
            continue
        where = f"{found.file.relative_to(package.folder)}:{found.line}"
        problems.append(f"imports {found.module} ({where}) without declaring {target.dist}")
    return problems


if __name__ == "__main__":
    raise SystemExit(main())
