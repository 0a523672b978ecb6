"""Fixtures of the tools' tests: temporary copies of the repository, the tools' environment."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from repo_helpers import ROOT, git, tracked_files  # noqa: E402

IDENTITY = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


@pytest.fixture(scope="session")
def hatch_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A HATCH_DATA_DIR for this session's builds (kept out of the user's hatch data)."""
    return tmp_path_factory.mktemp("hatch-data")


@pytest.fixture
def tool_env(hatch_data: Path) -> dict[str, str]:
    """The environment the tools run in: this Python's env first on PATH, as `hatch run` does."""
    env = {**os.environ, **IDENTITY}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["HATCH_ENV_ACTIVE"] = env.get("HATCH_ENV_ACTIVE", "default")
    env["HATCH_DATA_DIR"] = str(hatch_data)
    env.pop("PYTHONPATH", None)
    return env


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's tracked files and tools/, committed in a fresh git repository."""
    copy = tmp_path / "repo"
    for relative in tracked_files(ROOT):
        target = copy / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, target)
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "commit", "-q", "-m", "copy")
    return copy
