"""``tools/release``: release one package, or (``--check``) build and validate every package.

``tools/release <package> major|minor|patch|<version> [--dry-run]`` bumps the
version file, moves the CHANGELOG's Unreleased entries under the new version
and today's date, checks that every workspace package depending on it still
admits the new version, builds sdist and wheel into ``dist/``, validates them
with ``twine check``, commits the two files and tags ``<distribution>-v<version>``.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .build import build, check_artifacts
from .changelog import release_changelog
from .errors import ToolError
from .gitops import commit_and_tag, dirty, is_repository, tag_exists
from .ranges import admits
from .versions import next_version
from .workspace import ROOT, Package, find_package, load_workspace, write_version

__all__ = ["Plan", "check_all", "main", "plan_release", "release"]


@dataclass(frozen=True)
class Plan:
    """Everything a release will do, decided before anything is written."""

    package: Package
    old: str
    new: str
    changelog: str
    tag: str
    dependents: tuple[str, ...]

    @property
    def files(self) -> list[Path]:
        """The files the release changes and commits."""
        return [self.package.version_file, self.package.folder / "CHANGELOG.md"]


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run a release, a dry run or the CI check."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.check:
            check_all(args.args)
            return 0
        if len(args.args) != 2:
            parser.error("give a package and major, minor, patch or a version")
        plan = plan_release(args.args[0], args.args[1], datetime.date.today())
        print(describe(plan))
        if not args.dry_run:
            release(plan)
    except ToolError as exc:
        print(f"release: {exc}", file=sys.stderr)
        return 1
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tools/release", description=__doc__.splitlines()[0])
    parser.add_argument(
        "args",
        nargs="*",
        metavar="package [major|minor|patch|version]",
        help="the package (folder, distribution or import name) and its new version;"
        " with --check: the packages to check (default: all)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="show what it would do, change nothing"
    )
    parser.add_argument(
        "--check", action="store_true", help="build and validate every package (CI)"
    )
    return parser


def plan_release(ident: str, bump: str, today: datetime.date, root: Path = ROOT) -> Plan:
    """Decide the release of ``ident`` and check every precondition; write nothing.

    Raises:
        ToolError: unknown package, bad bump, empty Unreleased, a dependent
            whose range excludes the new version, a tag that exists, no git
            repository, or uncommitted edits to the files the release commits.
    """
    packages = load_workspace(root)
    package = find_package(packages, ident)
    old = package.version
    released = tag_exists(root, _tag(package, old))
    new = next_version(old, bump, released=released)
    changelog_file = package.folder / "CHANGELOG.md"
    if not changelog_file.is_file():
        raise ToolError(f"{package.dist} has no CHANGELOG.md")
    changelog = release_changelog(changelog_file.read_text(encoding="utf-8"), new, today)
    dependents = _check_dependents(packages, package, new)
    tag = _tag(package, new)
    _check_git(root, package, tag)
    return Plan(package, old, new, changelog, tag, dependents)


def _tag(package: Package, version: str) -> str:
    return f"{package.dist}-v{version}"


def _check_dependents(packages: list[Package], package: Package, new: str) -> tuple[str, ...]:
    """The dependents' ``name (range)``; refuses when a range excludes ``new``."""
    found: list[str] = []
    excluded: list[str] = []
    for other in packages:
        requirement = other.requirement_on(package.dist) if other is not package else None
        if requirement is None:
            continue
        found.append(f"{other.dist} ({requirement})")
        if not admits(requirement, new):
            excluded.append(f"{other.dist} requires {requirement}")
    if excluded:
        raise ToolError(
            f"{package.dist} {new} is outside the range of its dependents: "
            + "; ".join(excluded)
            + ". Widen those ranges first."
        )
    return tuple(found)


def _check_git(root: Path, package: Package, tag: str) -> None:
    if not is_repository(root):
        raise ToolError(f"{root} is not a git repository: the release commits and tags")
    if tag_exists(root, tag):
        raise ToolError(f"the tag {tag} exists already")
    edited = dirty(root, [package.version_file, package.folder / "CHANGELOG.md"])
    if edited:
        names = ", ".join(str(p.relative_to(root)) for p in edited)
        raise ToolError(f"commit your edits first: {names}")


def describe(plan: Plan, root: Path = ROOT) -> str:
    """What the release does, step by step (the ``--dry-run`` output)."""
    package = plan.package
    folder = package.folder.relative_to(root)
    dependents = ", ".join(plan.dependents) or "none"
    return "\n".join(
        [
            f"release {package.dist} {plan.old} -> {plan.new}"
            + (" (first release)" if plan.old == plan.new else ""),
            f"  version file: {package.version_file.relative_to(root)}",
            f"  CHANGELOG: Unreleased entries move under '## [{plan.new}] - <today>'",
            f"  dependents admitting {plan.new}: {dependents}",
            f"  build: hatch build -t sdist -t wheel (in {folder}) into dist/",
            "  validate: twine check --strict, wheel name, version and requirements",
            f"  commit: {package.dist} {plan.new} (the version file and CHANGELOG.md)",
            f"  tag: {plan.tag}",
        ]
    )


def release(plan: Plan, root: Path = ROOT) -> list[Path]:
    """Write, build, validate, commit and tag; restore the files if the build fails.

    Raises:
        ToolError: the build, the validation or git failed.
    """
    package = plan.package
    changelog_file = package.folder / "CHANGELOG.md"
    originals = {path: path.read_text(encoding="utf-8") for path in plan.files}
    write_version(package.version_file, plan.new)
    changelog_file.write_text(plan.changelog, encoding="utf-8")
    try:
        files = build(package, root / "dist")
        check_artifacts(package, files)
    except ToolError:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
        raise
    commit_and_tag(root, plan.files, f"{package.dist} {plan.new}", plan.tag)
    for file in files:
        print(f"built {file.relative_to(root)}")
    print(f"tagged {plan.tag}: push it with `git push origin {plan.tag}` after the commit")
    return files


def check_all(names: list[str], root: Path = ROOT) -> None:
    """Build and validate every package (or those named) in a temporary folder.

    Raises:
        ToolError: one or more packages failed; every failure is listed.
    """
    packages = load_workspace(root)
    chosen = [find_package(packages, name) for name in names] if names else packages
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="lesto-release-check-") as tmp:
        for package in chosen:
            try:
                check_artifacts(package, build(package, Path(tmp) / package.name))
            except ToolError as exc:
                failures.append(str(exc))
                print(f"FAIL {package.dist} {package.version}")
            else:
                print(f"ok   {package.dist} {package.version}: sdist and wheel pass twine check")
    if failures:
        raise ToolError("\n".join(failures))


if __name__ == "__main__":
    raise SystemExit(main())
