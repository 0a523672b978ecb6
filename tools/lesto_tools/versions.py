"""The next version of a package: a semver bump or an explicit version."""

from __future__ import annotations

from packaging.version import InvalidVersion, Version

from .errors import ToolError

__all__ = ["BUMPS", "next_version"]

BUMPS = ("major", "minor", "patch")


def next_version(current: str, bump: str, *, released: bool) -> str:
    """The version after ``current``: ``major``/``minor``/``patch``, or ``bump`` itself.

    An explicit version must be newer than ``current``, or equal to it when
    ``current`` was never released (``released`` is false): the first release.

    Raises:
        ToolError: ``bump`` is neither a bump nor a valid version, or goes backwards.
    """
    try:
        base = Version(current)
    except InvalidVersion as exc:
        raise ToolError(f"the current version {current!r} is not a valid version") from exc
    if bump in BUMPS:
        major, minor, patch = (*base.release, 0, 0)[:3]
        if bump == "major":
            return f"{major + 1}.0.0"
        if bump == "minor":
            return f"{major}.{minor + 1}.0"
        return f"{major}.{minor}.{patch + 1}"
    try:
        wanted = Version(bump)
    except InvalidVersion as exc:
        raise ToolError(f"{bump!r} is neither major, minor, patch nor a version") from exc
    if wanted < base or (wanted == base and released):
        raise ToolError(f"{bump} is not newer than the current version {current}")
    return str(wanted)
