"""Real processes: two runners at once, a lock timeout, a runner killed mid-migration."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SLEEP = {
    "postgresql": "INSERT INTO log VALUES ({n});\nSELECT pg_sleep(0.1);\n",
    "mysql": "INSERT INTO log VALUES ({n});\nDO SLEEP(0.1);\n",
}
SQLITE_SLEEP = (
    "import time\n\n"
    "async def migrate(conn):\n"
    "    conn.execute('INSERT INTO log VALUES ({n})')\n"
    "    time.sleep(0.1)\n"
)
INSERT = {
    "postgresql": "await conn.execute('INSERT INTO log VALUES (2)')",
    "mysql": (
        "async with conn.cursor() as c:\n        await c.execute('INSERT INTO log VALUES (2)')"
    ),
    "sqlite": "conn.execute('INSERT INTO log VALUES (2)')",
}
HANG = """import os
import time
from pathlib import Path


async def migrate(conn):
    {insert}
    marker = os.environ.get("HANG_MARKER")
    if marker:
        Path(marker).touch()
        time.sleep(60)
"""


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    environ = {
        k: v for k, v in os.environ.items() if k not in ("LESTO_MIGRATE_URL", "DATABASE_URL")
    }
    return subprocess.Popen(
        [sys.executable, "-m", "lesto_migrate", *args],
        env=environ | (env or {}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=60)
    return process.returncode, out, err


def applied_by(output: str) -> list[str]:
    return [line.split()[1] for line in output.splitlines() if line.strip().startswith("do ")]


async def test_two_processes_apply_every_migration_exactly_once(db_url, write, fetch):
    kind = db_url.split(":")[0]
    files = {"001.do.log.sql": "CREATE TABLE log (n INTEGER PRIMARY KEY);"}
    for n in range(2, 8):
        if kind == "sqlite":
            files[f"{n:03}.do.step.py"] = SQLITE_SLEEP.format(n=n)
        else:
            files[f"{n:03}.do.step.sql"] = SLEEP[kind].format(n=n)
    folder = write(files)
    runners = [cli("migrate", "--url", db_url, "--dir", str(folder)) for _ in range(2)]
    results = [finish(p) for p in runners]
    assert [code for code, _, _ in results] == [0, 0], results
    first, second = (applied_by(out) for _, out, _ in results)
    assert sorted(first + second) == sorted(files)
    assert not set(first) & set(second)
    assert await fetch(db_url, "SELECT n FROM log ORDER BY n") == [(n,) for n in range(2, 8)]
    rows = await fetch(db_url, "SELECT version FROM schemaversion ORDER BY version")
    assert rows == [(n,) for n in range(1, 8)]


async def test_lock_timeout_then_sigkill_mid_migration_then_rerun(db_url, write, fetch, tmp_path):
    kind = db_url.split(":")[0]
    folder = write(
        {
            "001.do.log.sql": "CREATE TABLE log (n INTEGER PRIMARY KEY);",
            "002.do.hang.py": HANG.format(insert=INSERT[kind]),
            "003.do.last.sql": "INSERT INTO log VALUES (3);",
        }
    )
    marker = tmp_path / "hanging"
    args = ("migrate", "--url", db_url, "--dir", str(folder))
    hanging = cli(*args, env={"HANG_MARKER": str(marker)})
    try:
        wait_for(marker, hanging)
        code, _, err = finish(cli(*args, "--lock-timeout", "1"))
        assert code == 5, err
        assert "LST_MIGRATE_ERR_LOCK_TIMEOUT" in err
    finally:
        hanging.send_signal(signal.SIGKILL)
        hanging.wait()
    code, out, err = finish(cli(*args, "--lock-timeout", "30"))
    assert code == 0, err
    assert applied_by(out) == ["002.do.hang.py", "003.do.last.sql"]
    assert await fetch(db_url, "SELECT n FROM log ORDER BY n") == [(2,), (3,)]
    rows = await fetch(db_url, "SELECT version FROM schemaversion ORDER BY version")
    assert rows == [(1,), (2,), (3,)]


def wait_for(marker: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the runner never reached the hanging migration"
        time.sleep(0.02)
