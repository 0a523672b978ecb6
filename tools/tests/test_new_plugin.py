"""tools/new-plugin: generated packages pass lint, types and tests at once; bad names fail."""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from lesto_tools.errors import ToolError
from lesto_tools.names import plugin_names
from repo_helpers import ROOT, ok, run

#: One plugin per template variant: no service, and each lesto-testing service.
VARIANTS = {
    "greeter": [],
    "cache": ["--service", "redis"],
    "pg-store": ["--service", "postgres"],
    "my-store": ["--service", "mysql"],
    "doc-store": ["--service", "mongodb"],
}


def test_generated_plugins_pass_lint_types_and_tests(repo: Path, tool_env: dict[str, str]) -> None:
    for name, options in VARIANTS.items():
        ok(run([repo / "tools" / "new-plugin", name, *options], repo, tool_env))
    folders = [repo / "packages" / name for name in VARIANTS]
    members = tomllib.loads((repo / "hatch.toml").read_text())["envs"]["default"]["workspace"]
    assert all(
        any(fnmatch.fnmatch(f"packages/{n}", m) for m in members["members"]) for n in VARIANTS
    )

    python = [sys.executable, "-m"]
    ok(run([*python, "ruff", "check", *folders], repo, tool_env))
    ok(run([*python, "ruff", "format", "--check", *folders], repo, tool_env))
    ok(run([sys.executable, "tools/check_types.py", *VARIANTS], repo, tool_env))
    # The workspace installs members editable; the copy stands in with PYTHONPATH.
    tests_env = {**tool_env, "PYTHONPATH": os.pathsep.join(str(f / "src") for f in folders)}
    result = ok(run([*python, "pytest", "-p", "no:cacheprovider", *folders], repo, tests_env))
    assert " failed" not in result.stdout
    assert "skipped" not in result.stdout
    ok(run([repo / "tools" / "check", *VARIANTS], repo, tool_env))


def test_generated_package_layout(repo: Path, tool_env: dict[str, str]) -> None:
    ok(run([repo / "tools" / "new-plugin", "Rate_Limit", "--service", "redis"], repo, tool_env))
    folder = repo / "packages" / "rate-limit"
    src = folder / "src" / "lesto_rate_limit"
    for path in ("__about__.py", "py.typed", "errors.py", "_plugin.py"):
        assert (src / path).is_file()
    plugin_source = (src / "_plugin.py").read_text()
    assert '@plugin(name="lesto-rate-limit", lesto=">=0.1,<1")' in plugin_source
    assert 'DECORATOR = "rate_limit"' in plugin_source
    assert "redis_url" in (folder / "tests" / "test_server.py").read_text()
    pyproject = tomllib.loads((folder / "pyproject.toml").read_text())
    assert pyproject["project"]["name"] == "lesto-rate-limit"
    assert pyproject["tool"]["hatch"]["version"]["path"] == "src/lesto_rate_limit/__about__.py"
    assert (folder / "examples" / "app.py").is_file()
    assert not (folder / "hatch.toml").exists()  # the monorepo's config applies


#: Names new-plugin refuses, with what its message says.
BAD_NAMES = {
    "9lives": "invalid plugin name",
    "rate limit!": "invalid plugin name",
    "_": "invalid plugin name",
    "class": "Python keyword",
    "register": "already an attribute of Lesto",
    "lesto": "clashes with an existing package",
    "redis": "clashes with an existing package",
    "lesto-redis": "clashes with an existing package",
    "core": "clashes with an existing package",
}


def test_bad_names_are_refused(repo: Path, tool_env: dict[str, str]) -> None:
    before = sorted(p.name for p in (repo / "packages").iterdir())
    for name, message in BAD_NAMES.items():
        result = run([repo / "tools" / "new-plugin", name], repo, tool_env)
        assert result.returncode == 1, name
        assert message in result.stderr, (name, result.stderr)
    assert sorted(p.name for p in (repo / "packages").iterdir()) == before


def test_existing_destination_and_misused_options(tmp_path: Path, tool_env: dict[str, str]) -> None:
    dest = tmp_path / "lesto-thing"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    tool = ROOT / "tools" / "new-plugin"
    result = run([tool, "thing", "--standalone", "--dest", dest], tmp_path, tool_env)
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert [p.name for p in dest.iterdir()] == ["keep.txt"]
    result = run([tool, "thing", "--dest", dest], tmp_path, tool_env)
    assert result.returncode == 1
    assert "--dest is for --standalone" in result.stderr


def test_name_normalisation() -> None:
    names = plugin_names("  Lesto_Rate.Limit ")
    assert (names.short, names.dist, names.import_name) == (
        "rate-limit",
        "lesto-rate-limit",
        "lesto_rate_limit",
    )
    assert names.error_prefix == "LST_RATE_LIMIT_ERR"
    with pytest.raises(ToolError, match="clashes"):
        plugin_names("lesto_redis", taken={"redis", "lesto-redis", "lesto_redis"})


def test_standalone_plugin_passes_its_own_lint_types_and_tests(
    tmp_path: Path, tool_env: dict[str, str]
) -> None:
    dest = tmp_path / "lesto-cache"
    tool = ROOT / "tools" / "new-plugin"
    ok(
        run(
            [tool, "cache", "--standalone", "--service", "redis", "--dest", dest],
            tmp_path,
            tool_env,
        )
    )
    for path in ("hatch.toml", "ruff.toml", "mypy.ini", "pytest.ini", "LICENSE", ".gitignore"):
        assert (dest / path).is_file(), path
    assert os.access(dest / ".ci" / "run", os.X_OK)
    assert "bash .ci/run" in (dest / ".github" / "workflows" / "ci.yml").read_text()
    hatch = tomllib.loads((dest / "hatch.toml").read_text())["envs"]["default"]
    assert any(d.startswith("lesto-testing[redis]") for d in hatch["dependencies"])

    venv = _venv_with_workspace_packages(tmp_path / "venv", dest, hatch["dependencies"])
    env = {**tool_env, "PATH": f"{venv / 'bin'}{os.pathsep}{tool_env['PATH']}"}
    env.pop("HATCH_ENV_ACTIVE")
    for script in ("lint", "types", "test"):
        commands = hatch["scripts"][script]
        for command in [commands] if isinstance(commands, str) else commands:
            ok(run(["bash", "-c", command.replace("{args:tests}", "tests")], dest, env))


def _venv_with_workspace_packages(venv: Path, project: Path, dev: list[str]) -> Path:
    """A virtualenv with lesto, lesto-errors, lesto-warnings and lesto-testing from this repo."""
    local = [f"{ROOT / 'packages' / name}" for name in ("errors", "warnings", "core")]
    local.append(f"{ROOT / 'packages' / 'testing'}[redis]")
    editable = [arg for path in [*local, str(project)] for arg in ("-e", path)]
    uv = shutil.which("uv")
    if uv:
        subprocess.run([uv, "venv", "-q", "-p", sys.executable, str(venv)], check=True)
        install = [uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python")]
    else:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        install = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*install, *editable, *dev], check=True)
    return venv
