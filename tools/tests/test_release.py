"""tools/release: bumps, the CHANGELOG move, dependents' ranges, build, tag, --dry-run, --check."""

from __future__ import annotations

import datetime
import tarfile
from pathlib import Path

import pytest
from lesto_tools.changelog import release_changelog
from lesto_tools.errors import ToolError
from lesto_tools.release import check_all
from lesto_tools.versions import next_version
from repo_helpers import LANDED, git, ok, run

DAY = datetime.date(2025, 3, 14)

CHANGELOG = """# Changelog

## [Unreleased]

### Added

- `thing()`.

## [0.1.0] - 2025-01-02

- First release.
"""


def _add_entry(repo: Path, folder: str, entry: str) -> Path:
    """Put ``entry`` under the Unreleased heading of a package's CHANGELOG and commit it."""
    changelog = repo / "packages" / folder / "CHANGELOG.md"
    text = changelog.read_text()
    changelog.write_text(text.replace("## [Unreleased]\n", f"## [Unreleased]\n\n{entry}\n", 1))
    git(repo, "commit", "-qam", f"{folder}: changes")
    return changelog


@pytest.mark.parametrize(
    ("bump", "expected"),
    [("patch", "0.1.1"), ("minor", "0.2.0"), ("major", "1.0.0"), ("0.3.0rc1", "0.3.0rc1")],
)
def test_next_version(bump: str, expected: str) -> None:
    assert next_version("0.1.0", bump, released=True) == expected


def test_next_version_refusals() -> None:
    with pytest.raises(ToolError, match="not newer"):
        next_version("0.2.0", "0.1.9", released=True)
    with pytest.raises(ToolError, match="not newer"):
        next_version("0.2.0", "0.2.0", released=True)
    assert next_version("0.1.0", "0.1.0", released=False) == "0.1.0"  # the first release
    with pytest.raises(ToolError, match="neither major, minor, patch nor a version"):
        next_version("0.1.0", "bigger", released=False)


def test_changelog_moves_unreleased_under_the_version() -> None:
    text = release_changelog(CHANGELOG, "0.2.0", DAY)
    assert text.startswith("# Changelog\n\n## [Unreleased]\n\n## [0.2.0] - 2025-03-14\n\n### Added")
    assert text.index("`thing()`") < text.index("## [0.1.0] - 2025-01-02")
    assert text.count("## [Unreleased]") == 1


def test_changelog_dates_a_pending_section_of_the_same_version() -> None:
    pending = "# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - unreleased\n\n- First.\n"
    text = release_changelog(pending, "0.1.0", DAY)
    assert text == "# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2025-03-14\n\n- First.\n"


def test_changelog_refusals() -> None:
    empty = "# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2025-01-02\n\n- First.\n"
    with pytest.raises(ToolError, match="empty"):
        release_changelog(empty, "0.1.1", DAY)
    with pytest.raises(ToolError, match=r"no .*Unreleased"):
        release_changelog("# Changelog\n\n## 0.1.0\n\n- First.\n", "0.1.1", DAY)


def test_release_bumps_moves_builds_and_tags(repo: Path, tool_env: dict[str, str]) -> None:
    changelog = _add_entry(repo, "errors", "### Fixed\n\n- A thing.")
    ok(run([repo / "tools" / "release", "errors", "minor"], repo, tool_env))
    today = datetime.date.today().isoformat()
    about = repo / "packages" / "errors" / "src" / "lesto_errors" / "__about__.py"
    assert '__version__ = "0.2.0"' in about.read_text()
    text = changelog.read_text()
    assert f"## [Unreleased]\n\n## [0.2.0] - {today}\n\n### Fixed\n\n- A thing." in text
    built = sorted(p.name for p in (repo / "dist").iterdir())
    assert built == ["lesto_errors-0.2.0-py3-none-any.whl", "lesto_errors-0.2.0.tar.gz"]
    with tarfile.open(repo / "dist" / "lesto_errors-0.2.0.tar.gz") as sdist:
        assert "lesto_errors-0.2.0/CHANGELOG.md" in sdist.getnames()
    assert git(repo, "tag", "--list").split() == ["lesto-errors-v0.2.0"]
    commit = "lesto-errors-v0.2.0^{commit}"
    assert git(repo, "log", "-1", "--format=%s", commit).strip() == "lesto-errors 0.2.0"
    assert git(repo, "diff", "--name-only", f"{commit}~1", commit).split() == [
        "packages/errors/CHANGELOG.md",
        "packages/errors/src/lesto_errors/__about__.py",
    ]
    assert git(repo, "status", "--porcelain") == ""
    again = run([repo / "tools" / "release", "errors", "0.2.0"], repo, tool_env)
    assert again.returncode == 1
    assert "not newer" in again.stderr


def test_dry_run_shows_the_plan_and_changes_nothing(repo: Path, tool_env: dict[str, str]) -> None:
    _add_entry(repo, "warnings", "- A change.")
    result = ok(run([repo / "tools" / "release", "warnings", "patch", "--dry-run"], repo, tool_env))
    assert "release lesto-warnings 0.1.0 -> 0.1.1" in result.stdout
    assert "lesto (lesto-warnings" in result.stdout  # core depends on it and admits 0.1.1
    assert "tag: lesto-warnings-v0.1.1" in result.stdout
    assert git(repo, "status", "--porcelain") == ""
    assert not (repo / "dist").exists()
    assert git(repo, "tag", "--list") == ""


def test_refuses_an_empty_unreleased_section(repo: Path, tool_env: dict[str, str]) -> None:
    result = run([repo / "tools" / "release", "warnings", "patch", "--dry-run"], repo, tool_env)
    assert result.returncode == 1
    assert "Unreleased" in result.stderr
    assert "empty" in result.stderr


def test_refuses_a_version_its_dependents_exclude(repo: Path, tool_env: dict[str, str]) -> None:
    _add_entry(repo, "errors", "### Changed\n\n- Breaking.")
    result = run([repo / "tools" / "release", "errors", "major"], repo, tool_env)
    assert result.returncode == 1
    assert "lesto-errors 1.0.0 is outside the range of its dependents" in result.stderr
    for dependent in ("lesto requires", "lesto-warnings requires", "lesto-redis requires"):
        assert dependent in result.stderr
    assert git(repo, "status", "--porcelain") == ""


def test_refuses_uncommitted_edits_and_unknown_packages(
    repo: Path, tool_env: dict[str, str]
) -> None:
    changelog = _add_entry(repo, "errors", "- A change.")
    changelog.write_text(changelog.read_text() + "\n- Not committed.\n")
    result = run([repo / "tools" / "release", "errors", "patch"], repo, tool_env)
    assert result.returncode == 1
    assert "commit your edits first: packages/errors/CHANGELOG.md" in result.stderr
    result = run([repo / "tools" / "release", "nope", "patch"], repo, tool_env)
    assert result.returncode == 1
    assert "no workspace package named 'nope'" in result.stderr


def test_check_builds_and_validates_the_landed_packages(
    repo: Path, tool_env: dict[str, str]
) -> None:
    result = ok(run([repo / "tools" / "release", "--check", *LANDED], repo, tool_env))
    assert result.stdout.count("pass twine check") == len(LANDED)
    assert not (repo / "dist").exists()


def test_check_fails_on_a_package_that_does_not_build(repo: Path, tool_env: dict[str, str]) -> None:
    pyproject = repo / "packages" / "warnings" / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('readme = "README.md"', 'readme = "NO.md"'))
    result = run([repo / "tools" / "release", "--check", "errors", "warnings"], repo, tool_env)
    assert result.returncode == 1
    assert "ok   lesto-errors" in result.stdout
    assert "FAIL lesto-warnings" in result.stdout
    assert "hatch build failed for lesto-warnings" in result.stderr


def test_check_compares_requirements_by_normalised_name(
    tmp_path: Path, tool_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "packages" / "thing"
    (folder / "src" / "lesto_thing").mkdir(parents=True)
    (folder / "src" / "lesto_thing" / "__init__.py").write_text("")
    (folder / "src" / "lesto_thing" / "__about__.py").write_text('__version__ = "0.1.0"\n')
    (folder / "README.md").write_text("# lesto-thing\n\nA thing.\n")
    (folder / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n\n'
        '[project]\nname = "lesto-thing"\ndynamic = ["version"]\nreadme = "README.md"\n'
        'dependencies = ["PyMySQL>=1.1,<2", "Redis[hiredis]>=5"]\n'
        "[project.optional-dependencies]\nspeed = [\"uvloop>=0.19; sys_platform != 'win32'\"]\n\n"
        '[tool.hatch.version]\npath = "src/lesto_thing/__about__.py"\n'
    )
    monkeypatch.setenv("HATCH_DATA_DIR", tool_env["HATCH_DATA_DIR"])
    check_all([], tmp_path)
