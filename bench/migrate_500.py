"""Apply 500 small migrations to PostgreSQL: lesto-migrate beside postgrator-cli (npm).

Run from the repository root (the default Hatch env has lesto-migrate and lesto-testing):

    hatch run python bench/migrate_500.py [--count 500] [--repeat 3]

One PostgreSQL server comes from lesto-testing (its usual order: env var,
Docker, local executables). Each round gives each tool a fresh database and
times the whole command, process start-up included, as a user would run it.
postgrator-cli 9 and pg 8 are installed with npm into bench/.work/node
(git-ignored) on first use.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import lesto_testing

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
NODE = WORK / "node"
POSTGRATOR = NODE / "node_modules" / ".bin" / "postgrator"


def write_migrations(folder: Path, count: int) -> None:
    """``count`` small do files: a table and a row each."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for n in range(1, count + 1):
        sql = (
            f"CREATE TABLE t{n} (id integer PRIMARY KEY, note text);\n"
            f"INSERT INTO t{n} VALUES (1, 'x');\n"
        )
        (folder / f"{n:04}.do.table-{n}.sql").write_text(sql)


def install_postgrator() -> None:
    if POSTGRATOR.exists():
        return
    if shutil.which("npm") is None:
        sys.exit("npm is needed to install postgrator-cli (Node 20 or newer)")
    NODE.mkdir(parents=True, exist_ok=True)
    if not (NODE / "package.json").exists():
        (NODE / "package.json").write_text('{"private": true}\n')
    command = ["npm", "install", "--no-audit", "--no-fund", "postgrator-cli@9", "pg@8"]
    subprocess.run(command, cwd=NODE, check=True, capture_output=True)


def timed(command: list[str]) -> float:
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stdout}{done.stderr}")
    return seconds


def lesto_command(url: str, folder: Path) -> list[str]:
    return [sys.executable, "-m", "lesto_migrate", "migrate", "--url", url, "--dir", str(folder)]


def postgrator_command(url: str, folder: Path) -> list[str]:
    parts = urlsplit(url)
    return [
        "node",
        str(POSTGRATOR),
        "--no-config",
        "--driver=pg",
        f"--host={parts.hostname}",
        f"--port={parts.port}",
        f"--database={parts.path.lstrip('/')}",
        f"--username={parts.username}",
        f"--migration-pattern={folder}/*",
        "--to=max",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=500, help="migrations per run (500)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the median is kept (3)")
    args = parser.parse_args()
    install_postgrator()
    folder = WORK / "migrate_500" / "migrations"
    write_migrations(folder, args.count)
    times: dict[str, list[float]] = {"lesto-migrate": [], "postgrator-cli": []}
    with lesto_testing.start("postgres") as server:
        print(f"PostgreSQL {server.version} ({server.backend}); {args.count} migrations")
        for _ in range(args.repeat):
            with server.fresh_database() as url:
                times["lesto-migrate"].append(timed(lesto_command(url, folder)))
            with server.fresh_database() as url:
                times["postgrator-cli"].append(timed(postgrator_command(url, folder)))
    median = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        runs = ", ".join(f"{v:.2f}" for v in values)
        print(f"{name:>15}: median {median[name]:.2f} s  (runs: {runs})")
    ratio = median["postgrator-cli"] / median["lesto-migrate"]
    print(f"lesto-migrate is {ratio:.2f}x the speed of postgrator-cli (>1 is faster)")


if __name__ == "__main__":
    main()
