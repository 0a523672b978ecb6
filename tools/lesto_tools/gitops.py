"""The git side of a release: preconditions, the release commit and the tag."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .errors import ToolError

__all__ = ["commit_and_tag", "dirty", "is_repository", "tag_exists"]


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)


def is_repository(root: Path) -> bool:
    """Whether ``root`` is inside a git work tree."""
    return _git(root, "rev-parse", "--is-inside-work-tree").stdout.strip() == "true"


def tag_exists(root: Path, tag: str) -> bool:
    """Whether the tag exists in the repository of ``root``."""
    return _git(root, "rev-parse", "-q", "--verify", f"refs/tags/{tag}").returncode == 0


def dirty(root: Path, paths: list[Path]) -> list[Path]:
    """Those of ``paths`` that differ from HEAD (or that git does not track)."""
    relative = [str(p.relative_to(root)) for p in paths]
    changed = _git(root, "status", "--porcelain", "--", *relative).stdout.splitlines()
    names = {line[3:] for line in changed}
    return [p for p, rel in zip(paths, relative, strict=True) if rel in names]


def commit_and_tag(root: Path, paths: list[Path], message: str, tag: str) -> None:
    """Commit exactly ``paths`` with ``message``, then make the annotated ``tag`` on it.

    Raises:
        ToolError: git refused (its message is included).
    """
    relative = [str(p.relative_to(root)) for p in paths]
    for args in (
        ["commit", "-q", "-m", message, "--", *relative],
        ["tag", "-a", tag, "-m", message],
    ):
        done = _git(root, *args)
        if done.returncode != 0:
            raise ToolError(f"git {args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")
