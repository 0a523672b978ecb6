"""Every Python example in the README runs (or, for fragments of a file, compiles).

Each runs in a folder of its own holding a ``migrations`` folder, against
fresh databases: the URLs the README shows are replaced by the fixtures'.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
TEXT = README.read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```python\n(.*?)```", TEXT, re.DOTALL)
#: The seed's migration, from the README's SQL block.
SEED_SQL = re.search(r"```sql\n-- migrations/001.do.create-users-table.sql\n(.*?)```", TEXT, re.S)
#: Examples that are pieces of a migration file, not programs.
FRAGMENTS = [i for i, source in enumerate(EXAMPLES) if "def generate_sql" in source]
SHOWN_URLS = {
    "postgresql://example:example@localhost:5432/example": "postgres_url",
    "postgresql://postgres@localhost/postgres": "postgres_url",
    "postgresql://localhost/app": "postgres_url",
    "mysql://root@localhost/app": "mysql_url",
}


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 7
    assert SEED_SQL is not None
    assert FRAGMENTS == [1]


def test_migration_file_fragments_compile() -> None:
    for index in FRAGMENTS:
        compile(EXAMPLES[index], f"{README}:example-{index}", "exec")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder of an example, with ``migrations/`` (three versions, with undos)."""
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    assert SEED_SQL is not None
    (migrations / "001.do.create-users-table.sql").write_text(SEED_SQL.group(1))
    (migrations / "001.undo.create-users-table.sql").write_text("DROP TABLE users;")
    for version in (2, 3):
        (migrations / f"00{version}.do.t{version}.sql").write_text(
            f"CREATE TABLE t{version} (id INTEGER PRIMARY KEY);"
        )
        (migrations / f"00{version}.undo.t{version}.sql").write_text(f"DROP TABLE t{version};")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(source: str, namespace: dict[str, Any]) -> None:
    # Top-level `await` / `async with` (the Library fragment) runs in a loop of its own.
    code = compile(source, str(README), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(code, namespace)
    if inspect.iscoroutine(result):
        asyncio.run(result)


@pytest.mark.parametrize(
    "index",
    [i for i in range(len(EXAMPLES)) if i not in FRAGMENTS],
    ids=lambda i: f"example-{i}",
)
async def test_readme_example_runs(index: int, folder: Path, request: pytest.FixtureRequest):
    source = EXAMPLES[index]
    for shown, fixture in SHOWN_URLS.items():
        if shown in source:
            source = source.replace(shown, request.getfixturevalue(fixture))
    namespace: dict[str, Any] = {"__name__": "readme_example", "__file__": str(folder / "app.py")}
    # Examples call asyncio.run(), which needs a thread without a running loop.
    if "sys.exit(" in source:  # the Postgrator translation ends with sys.exit(status)
        with pytest.raises(SystemExit) as exited:
            await asyncio.to_thread(_run, source, namespace)
        assert exited.value.code == 0
    else:
        await asyncio.to_thread(_run, source, namespace)
