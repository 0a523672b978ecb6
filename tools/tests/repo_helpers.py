"""Helpers of the tools' tests: the repository's files, running commands, git."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

TOOLS = Path(__file__).resolve().parent.parent
ROOT = TOOLS.parent

#: The landed packages (tools/check's baseline): every tool must accept them.
LANDED = ("errors", "warnings", "core", "testing", "redis")


def tracked_files(root: Path) -> list[Path]:
    """The files git tracks (as they are in the work tree), plus everything under tools/."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    files = {Path(name) for name in listed.split("\0") if name}
    files |= {p.relative_to(root) for p in (root / "tools").rglob("*") if p.is_file()}
    return sorted(f for f in files if "__pycache__" not in f.parts and (root / f).is_file())


def git(root: Path, *args: str) -> str:
    """Run git in ``root``; return its output (raising on failure)."""
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True
    ).stdout


def run(
    command: Sequence[str | Path], cwd: Path, env: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run a command and return its result (never raising on a non-zero exit)."""
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, env=dict(env), capture_output=True, text=True
    )


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """Assert a zero exit, showing the output otherwise."""
    assert result.returncode == 0, f"{result.args}\n{result.stdout}\n{result.stderr}"
    return result
