"""Instructions per request of the bench apps (callgrind): the framework's overhead without noise.

    hatch run python bench/instructions.py                       # hello, postgres, redis
    hatch run python bench/instructions.py --scenario postgres --requests 2000

wrk on a 2-vCPU VM drifts by 20-40% from one run to the next, so a 10% target
is hard to show with req/s alone. This counts instead: each app of
`bench/apps/<scenario>/` is served in process by uvicorn's httptools protocol
(64 in-memory connections, as wrk's, like `server_inprocess.py`, with the
real database behind it) under `valgrind --tool=callgrind`, once for a few
requests and once for `--requests` more; the difference divided by the extra
requests is the instructions the process executes per request, start-up and
imports cancelled out. Instruction counts are not time (a cache miss costs more
than an add), but they repeat to the last digit and they count every layer the
framework adds. Rows: the bare ASGI app and Lesto; the ratio is bare / Lesto,
comparable with the req/s ratios ("x bare").
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from harness.inprocess import SCENARIOS, InProcessLoad, load_app

ROWS = {"bare": "bare_app", "lesto": "lesto_app"}
BASE_REQUESTS = 500


async def _serve(app: Any, path: str, requests: int) -> None:
    """Serve exactly ``requests`` requests over the 64 in-memory connections (as wrk's:
    with a pool of 10, requests wait for a connection, as under load), then shut down."""
    load = InProcessLoad(app, path, limit=requests)
    await load.start()
    await load.finished
    await load.shutdown()


def _child(scenario: str, module: str, requests: int) -> None:
    import uvloop

    uvloop.run(_serve(load_app(scenario, module), SCENARIOS[scenario][0], requests))


def _instructions(scenario: str, module: str, requests: int, env: dict[str, str]) -> int:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        command = [
            "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
            sys.executable, __file__, "--child", scenario, module, "--requests", str(requests),
        ]  # fmt: skip
        done = subprocess.run(
            command, env={**os.environ, **env}, capture_output=True, text=True, check=False
        )
        match = re.search(r"Collected : (\d+)", done.stderr)
        if done.returncode != 0 or match is None:
            raise RuntimeError(f"{scenario}/{module} failed: {done.stderr[-1500:]}")
        return int(match.group(1))


def per_request(scenario: str, module: str, requests: int, env: dict[str, str]) -> float:
    """Instructions per request: (run of BASE + requests) - (run of BASE), per request."""
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        short = pool.submit(_instructions, scenario, module, BASE_REQUESTS, env)
        long = pool.submit(_instructions, scenario, module, BASE_REQUESTS + requests, env)
        return (long.result() - short.result()) / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS))
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--child", nargs=2, metavar=("SCENARIO", "MODULE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], args.child[1], args.requests)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")

    from harness.services import Services

    print("| scenario | app | instructions/request | x bare |")
    print("|---|---|---:|---:|")
    with Services() as services:
        for scenario in args.scenario or list(SCENARIOS):
            env, problem = services.env(SCENARIOS[scenario][1])
            if problem:
                print(f"| {scenario} | - | {problem} | |")
                continue
            counts = {row: per_request(scenario, module, args.requests, env)
                      for row, module in ROWS.items()}  # fmt: skip
            for row, count in counts.items():
                print(
                    f"| {scenario} | {row} | {count:,.0f} | {counts['bare'] / count:.2f}x |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
