"""tools/check: the landed packages pass; each kind of inconsistency is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from lesto_tools.check import run as check
from lesto_tools.readme import STANDARD_SECTIONS, missing_sections
from repo_helpers import LANDED, ROOT, ok
from repo_helpers import run as run_command

README = """# lesto-thing

## Install
## Usage
```python
## not a heading: inside a code block
```
## Options
## Errors
## Compatibility and differences from @fastify/thing
"""


def make_package(
    root: Path, name: str, deps: list[str] | None = None, version: str = "0.1.0"
) -> Path:
    """A minimal, consistent package ``packages/<name>`` (distribution ``lesto-<name>``)."""
    folder = root / "packages" / name
    src = folder / "src" / f"lesto_{name}"
    src.mkdir(parents=True)
    (src / "__init__.py").write_text('"""A package."""\n')
    (src / "__about__.py").write_text(f'__version__ = "{version}"\n')
    (src / "py.typed").write_text("")
    (folder / "tests").mkdir()
    (folder / "tests" / "test_it.py").write_text("def test_it() -> None:\n    pass\n")
    (folder / "README.md").write_text(README.replace("thing", name))
    (folder / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    requirements = ", ".join(f'"{d}"' for d in deps or [])
    (folder / "pyproject.toml").write_text(
        f'[project]\nname = "lesto-{name}"\ndynamic = ["version"]\n'
        f"dependencies = [{requirements}]\n\n"
        f'[tool.hatch.version]\npath = "src/lesto_{name}/__about__.py"\n'
    )
    return folder


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """Two consistent packages: ``base`` and ``user``, which depends on and imports it."""
    make_package(tmp_path, "base")
    user = make_package(tmp_path, "user", deps=["lesto-base>=0.1,<1"])
    (user / "src" / "lesto_user" / "_use.py").write_text("import lesto_base\n")
    return tmp_path


def test_landed_packages_pass() -> None:
    problems, _ = check(list(LANDED), ROOT)
    assert problems == []


def test_a_consistent_workspace_passes(workspace: Path) -> None:
    assert check([], workspace) == ([], [])


def test_missing_files(workspace: Path) -> None:
    src = workspace / "packages" / "base" / "src" / "lesto_base"
    (src / "py.typed").unlink()
    (workspace / "packages" / "base" / "CHANGELOG.md").unlink()
    (workspace / "packages" / "empty").mkdir()
    problems, _ = check([], workspace)
    assert "packages/base: missing src/lesto_base/py.typed" in problems
    assert "packages/base: missing CHANGELOG.md" in problems
    assert "packages/empty: no pyproject.toml" in problems


def test_bad_version_file(workspace: Path) -> None:
    about = workspace / "packages" / "base" / "src" / "lesto_base" / "__about__.py"
    about.write_text("VERSION = '1'\n")
    problems, _ = check(["base"], workspace)
    assert any("no line `__version__" in p for p in problems)


@pytest.mark.parametrize("section", list(STANDARD_SECTIONS))
def test_readme_standard_sections(workspace: Path, section: str) -> None:
    readme = workspace / "packages" / "base" / "README.md"
    heading = {"usage": "## Usage", "compatibility": "## Compatibility and differences"}.get(
        section, f"## {section.capitalize()}"
    )
    readme.write_text(readme.read_text().replace(heading, "## Something else"))
    problems, _ = check(["base"], workspace)
    assert problems == [f"packages/base: README.md has no '{section}' section"]


def test_readme_section_aliases() -> None:
    assert missing_sections("## Installation\n## Example\n## Configuration\n## Errors\n") == [
        "compatibility"
    ]


def test_changelog_needs_unreleased_or_the_current_version(workspace: Path) -> None:
    changelog = workspace / "packages" / "base" / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## 0.1.0\n\n- First.\n")
    assert check(["base"], workspace)[0] == []
    changelog.write_text("# Changelog\n\n## 0.0.9\n\n- Older.\n")
    assert check(["base"], workspace)[0] == [
        "packages/base: CHANGELOG.md has neither an 'Unreleased' nor a '0.1.0' section"
    ]


def test_internal_range_must_admit_the_workspace_version(workspace: Path) -> None:
    about = workspace / "packages" / "base" / "src" / "lesto_base" / "__about__.py"
    about.write_text('__version__ = "1.0.0"\n')
    problems, _ = check([], workspace)
    assert problems == [
        "packages/user: requires lesto-base<1,>=0.1, which excludes the workspace's 1.0.0"
    ]


def test_undeclared_import_of_a_workspace_package(workspace: Path) -> None:
    base_src = workspace / "packages" / "base" / "src" / "lesto_base"
    (base_src / "_sneaky.py").write_text('"""Uses user."""\n\nfrom lesto_user import thing\n')
    problems, _ = check([], workspace)
    assert problems == [
        "packages/base: imports lesto_user (src/lesto_base/_sneaky.py:3)"
        " without declaring lesto-user"
    ]


def test_command_line_exit_codes(tmp_path: Path, tool_env: dict[str, str]) -> None:
    result = ok(run_command([ROOT / "tools" / "check", *LANDED], tmp_path, tool_env))
    assert "tools/check: all consistent" in result.stdout
    result = run_command([ROOT / "tools" / "check", "nope"], tmp_path, tool_env)
    assert result.returncode == 1
    assert "no workspace package named 'nope'" in result.stderr
