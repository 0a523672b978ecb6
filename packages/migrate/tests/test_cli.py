"""The lesto-migrate command end to end, through subprocesses: output, exit codes, settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

THREE = {
    "001.do.create-t1.sql": "CREATE TABLE t1 (id INTEGER PRIMARY KEY);\n",
    "001.undo.create-t1.sql": "DROP TABLE t1;\n",
    "002.do.fill-t1.sql": "INSERT INTO t1 (id) VALUES (1);\n",
    "002.undo.fill-t1.sql": "DELETE FROM t1;\n",
}


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    environ = {
        k: v for k, v in os.environ.items() if k not in ("LESTO_MIGRATE_URL", "DATABASE_URL")
    }
    return subprocess.run(
        [sys.executable, "-m", "lesto_migrate", *args],
        cwd=cwd,
        env=environ | (env or {}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_migrate_status_validate_dry_run_and_drop(db_url, write, fetch):
    folder = str(write(THREE))
    common = ("--url", db_url, "--dir", folder)
    pending = run("status", "--exit-code", *common)
    assert pending.returncode == 3
    assert "pending       1  001.do.create-t1.sql" in pending.stdout

    dry = run("migrate", "--dry-run", *common)
    assert dry.returncode == 0, dry.stderr
    assert "-- 001.do.create-t1.sql\nCREATE TABLE t1 (id INTEGER PRIMARY KEY);" in dry.stdout
    assert run("status", "--exit-code", *common).returncode == 3

    done = run("migrate", *common)
    assert done.returncode == 0, done.stderr
    assert "do 001.do.create-t1.sql (" in done.stdout
    assert " ms)" in done.stdout
    assert "database is at version 2" in done.stdout
    assert run("status", "--exit-code", *common).returncode == 0
    assert run("validate", *common).returncode == 0

    down = run("migrate", "1", "--dry-run", *common)
    assert "-- 002.undo.fill-t1.sql\nDELETE FROM t1;" in down.stdout
    assert await fetch(db_url, "SELECT id FROM t1") == [(1,)]
    assert run("migrate", "0", *common).returncode == 0
    assert run("drop-schema-table", *common).returncode == 0
    assert run("status", "--exit-code", *common).returncode == 3


def test_exit_codes_for_bad_files_checksums_failures_and_usage(sqlite_url, write):
    folder = write(THREE)
    common = ("--url", sqlite_url, "--dir", str(folder))
    assert run("migrate", *common).returncode == 0

    (folder / "002.do.fill-t1.sql").write_text("INSERT INTO t1 (id) VALUES (9);\n")
    changed = run("migrate", *common)
    assert changed.returncode == 4
    assert "LST_MIGRATE_ERR_CHECKSUM" in changed.stderr
    assert run("validate", *common).returncode == 4
    assert run("migrate", "--no-validate-checksums", *common).returncode == 0

    (folder / "003.do.broken.sql").write_text("SELECT 1;\nINSERT INTO nowhere VALUES (1);\n")
    failed = run("migrate", "--no-validate-checksums", *common)
    assert failed.returncode == 1
    assert "LST_MIGRATE_ERR_FAILED" in failed.stderr
    assert "003.do.broken.sql failed at statement 2 (line 2)" in failed.stderr

    (folder / "004.up.bad-name.sql").write_text("")
    bad_name = run("status", *common)
    assert bad_name.returncode == 4
    assert "004.up.bad-name.sql" in bad_name.stderr
    (folder / "004.up.bad-name.sql").unlink()

    assert run("migrate", "latest", "--url", sqlite_url, "--dir", str(folder)).returncode == 2
    assert run("migrate", "--dir", str(folder)).returncode == 2
    assert run("migrate", "--url", "oracle://x/y", "--dir", str(folder)).returncode == 2
    assert run("migrate", "--url", sqlite_url, "--dir", "/nowhere").returncode == 2
    assert run("frobnicate").returncode == 2


def test_an_unreachable_database_exits_6_and_never_prints_the_password(write, mysql_url):
    folder = str(write(THREE))
    host = mysql_url.split("@", 1)[1]
    for url in (f"mysql://root:s3cr3t-pw@{host}", "postgresql://u:s3cr3t-pw@127.0.0.1:1/db"):
        result = run("status", "--url", url, "--dir", folder)
        assert result.returncode == 6, result.stderr
        assert "LST_MIGRATE_ERR_CONNECT" in result.stderr
        assert "s3cr3t-pw" not in result.stdout + result.stderr
        assert ":***@" in result.stderr


def test_new_creates_the_next_numbered_pair(tmp_path, write):
    folder = write({"007.do.a.sql": "", "007.undo.a.sql": ""})
    result = run("new", "Add users email!", "--dir", str(folder))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir())[-2:] == [
        "008.do.add-users-email.sql",
        "008.undo.add-users-email.sql",
    ]
    fresh = tmp_path / "fresh"
    assert run("new", "first", "--dir", str(fresh)).returncode == 0
    assert sorted(p.name for p in fresh.iterdir()) == ["001.do.first.sql", "001.undo.first.sql"]


def test_settings_from_pyproject_and_environment(tmp_path, write, sqlite_url):
    write(THREE)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.lesto-migrate]\ndir = "migrations"\nschema-table = "applied"\nlock-timeout = 5\n'
    )
    sub = tmp_path / "sub"
    sub.mkdir()
    result = run("migrate", cwd=sub, env={"DATABASE_URL": sqlite_url})
    assert result.returncode == 0, result.stderr
    status = run("status", "--exit-code", cwd=sub, env={"LESTO_MIGRATE_URL": sqlite_url})
    assert status.returncode == 0
    assert "version 2" in status.stdout
    (tmp_path / "pyproject.toml").write_text('[tool.lesto-migrate]\ndirectory = "x"\n')
    unknown = run("status", cwd=sub, env={"DATABASE_URL": sqlite_url})
    assert unknown.returncode == 2
    assert "LST_MIGRATE_ERR_BAD_OPTION" in unknown.stderr


@pytest.mark.parametrize("schema_table", ["migrations"])
async def test_the_seeds_example_from_the_command_line(postgres_url, write, fetch, schema_table):
    folder = write(
        {
            "001.do.create-users-table.sql": (
                "CREATE TABLE IF NOT EXISTS users (\n"
                "  id SERIAL PRIMARY KEY NOT NULL,\n"
                "  created_at DATE NOT NULL DEFAULT CURRENT_DATE,\n"
                "  firstName TEXT NOT NULL,\n"
                "  lastName TEXT NOT NULL\n"
                ");\n"
            )
        }
    )
    args = ("--url", postgres_url, "--dir", str(folder), "--schema-table", schema_table)
    first = run("migrate", *args)
    assert first.returncode == 0, first.stderr
    again = run("migrate", *args)
    assert "nothing to do: database is at version 1" in again.stdout
    assert await fetch(postgres_url, "SELECT version, name FROM migrations") == [
        (1, "create-users-table")
    ]
