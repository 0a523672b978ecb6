"""Section `micro`: the micro-benchmarks of bench/ (no HTTP server), run one after another.

Each is run as its own process with the bench environment's Python; its printed report
goes into RESULTS.md as is. A micro-benchmark that fails is reported with its exit code and
the end of its output; it does not stop the others.
"""

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass

from harness.targets import BENCH_DIR

TIMEOUT = 600


@dataclass(frozen=True)
class Micro:
    script: str
    what: str
    args: tuple[str, ...] = ()
    quick: tuple[str, ...] = ()  # with --micro-quick


MICROS: tuple[Micro, ...] = (
    Micro(
        "micro_pytest.py",
        "pytest-benchmark: router lookup vs Starlette's router, validator vs pydantic and "
        "msgspec, serializer vs pydantic and msgspec, hook runner vs a plain loop",
        ("--benchmark-min-rounds=5", "--benchmark-max-time=0.5"),
        ("--benchmark-min-rounds=1", "--benchmark-max-time=0.05"),
    ),
    Micro("router_micro.py", "`Router.find` on 1,000 routes"),
    Micro(
        "schema_micro.py",
        "validator and serializer vs pydantic and msgspec",
        (),
        ("--number", "2000", "--repeat", "2"),
    ),
    Micro("input_micro.py", "query string, content-type lookup, headers, body reading"),
    Micro(
        "boot.py",
        "ready() of 1,000 nested/sibling plugins; request decorator reads",
        (),
        ("--repeat", "2"),
    ),
    Micro(
        "postgres_micro.py",
        "lesto-postgres in process vs bare asyncpg (ASGI callable, no server)",
        (),
        ("--requests", "500", "--rounds", "2"),
    ),
    Micro(
        "mysql.py",
        "lesto-mysql in process vs bare aiomysql",
        (),
        ("--requests", "1000", "--rounds", "2"),
    ),
    Micro("mongodb.py", "lesto-mongodb: failure and close times, BSON-to-JSON walk"),
    Micro(
        "server_inprocess.py",
        "CPU per request under uvicorn's protocol in process: bare, lesto, gc_freeze=False",
        (),
        ("--seconds", "1", "--rounds", "1"),
    ),
    Micro(
        "instructions.py",
        "instructions per request (callgrind, in process): bare vs lesto, no timing noise",
        (),
        ("--requests", "300"),
    ),
    Micro(
        "migrate_500.py",
        "lesto-migrate vs postgrator-cli, 500 migrations",
        (),
        ("--count", "50", "--repeat", "1"),
    ),
)


@dataclass
class MicroResult:
    micro: Micro
    command: list[str]
    returncode: int
    output: str
    seconds: float


def command(micro: Micro, quick: bool) -> list[str]:
    extra = micro.quick if quick and micro.quick else micro.args
    path = str(BENCH_DIR / micro.script)
    if micro.script.startswith("micro_pytest"):
        return [
            sys.executable, "-m", "pytest", path, "-q", "-p", "no:cacheprovider",
            "-W", "ignore::pytest.PytestConfigWarning",
            f"--benchmark-storage=file://{BENCH_DIR / '.work' / 'benchmarks'}",
            "--benchmark-columns=min,median,mean,ops,rounds", "--benchmark-sort=name",
            *extra,
        ]  # fmt: skip
    return [sys.executable, path, *extra]


def run(args: argparse.Namespace) -> list[MicroResult]:
    print("\n[micro] micro-benchmarks (no HTTP server)", flush=True)
    results = []
    for micro in MICROS:
        if not (BENCH_DIR / micro.script).is_file():
            continue
        argv = command(micro, args.micro_quick)
        began = time.monotonic()
        try:
            done = subprocess.run(
                argv,
                cwd=BENCH_DIR,
                env=dict(os.environ, PYTHONPATH=str(BENCH_DIR)),
                capture_output=True,
                text=True,
                check=False,
                timeout=TIMEOUT,
            )
            code, output = done.returncode, done.stdout + done.stderr
        except subprocess.TimeoutExpired as exc:
            partial = exc.stdout or ""
            if isinstance(partial, bytes):
                partial = partial.decode(errors="replace")
            code, output = -1, f"timed out after {TIMEOUT}s\n{partial}"
        seconds = time.monotonic() - began
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"  {micro.script:<20} {status} in {seconds:.0f}s", flush=True)
        results.append(MicroResult(micro, argv, code, str(output), seconds))
    return results


def shown_arg(arg: str) -> str:
    """`python` for the interpreter, paths relative to the repository root."""
    if arg == sys.executable:
        return "python"
    if arg.startswith(str(BENCH_DIR.parent)):
        return os.path.relpath(arg, BENCH_DIR.parent)
    return arg


def section(results: list[MicroResult]) -> str:
    lines = [
        "## Micro-benchmarks",
        "",
        "No HTTP server: each script times one part of Lesto (or a plugin) in process, beside "
        "the same work done by a peer library where one exists. Each output below is "
        "printed by the script as is; see bench/README.md for each.",
        "",
    ]
    for r in results:
        status = "ok" if r.returncode == 0 else f"FAILED (exit {r.returncode})"
        shown = " ".join(shown_arg(a) for a in r.command)
        lines += [
            f"### {r.micro.script}",
            "",
            f"{r.micro.what}. `{shown}`: {status}, {r.seconds:.0f} s.",
            "",
            "```",
            r.output.strip()[-6000:],
            "```",
            "",
        ]
    return "\n".join(lines) + "\n"
