"""CPU per request of the bench apps under uvicorn's HTTP protocol, in process (no sockets).

    hatch run python bench/server_inprocess.py                  # hello, postgres, redis
    hatch run python bench/server_inprocess.py --scenario redis --seconds 5

Each app of `bench/apps/<scenario>/` is served by uvicorn's httptools protocol
object, fed requests by 64 in-memory "connections" (a new request as soon as
the previous response is written), with its real database behind it. What
is measured is the process CPU time per request over a fixed time, the share
of it the garbage collector takes (gc.callbacks), and its collections: the
work the server process does per request, without the kernel's socket work
and much less disturbed by a busy machine than a wrk run. Rows: the bare
ASGI app, Lesto, and Lesto with `gc_freeze=False`. Every row runs in a
process of its own (a fresh heap); the rows take turns, round after round,
and each figure is the best of its rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import time
from collections import Counter
from typing import Any

from harness.inprocess import SCENARIOS, InProcessLoad, load_app

ROWS = {
    "bare": ("bare_app", {}),
    "lesto": ("lesto_app", {}),
    "lesto gc_freeze=False": ("lesto_app", {"BENCH_GC_FREEZE": "0"}),
}


async def _measure(app: Any, path: str, seconds: float) -> dict[str, float]:
    load = InProcessLoad(app, path)
    await load.start()
    await asyncio.sleep(1.0)  # warm-up

    collections: Counter[int] = Counter()
    gc_seconds = 0.0
    started = 0.0

    def on_gc(phase: str, info: dict[str, int]) -> None:
        nonlocal gc_seconds, started
        if phase == "start":
            started = time.process_time()
        else:
            gc_seconds += time.process_time() - started
            collections[info["generation"]] += 1

    gc.callbacks.append(on_gc)
    first, cpu = load.served, time.process_time()
    await asyncio.sleep(seconds)
    cpu, count = time.process_time() - cpu, load.served - first
    gc.callbacks.remove(on_gc)
    await load.shutdown()
    return {
        "cpu_us": cpu / count * 1e6,
        "gc_us": gc_seconds / count * 1e6,
        "full_collections_per_10k": collections[2] / count * 1e4,
    }


def _child(scenario: str, module: str, seconds: float) -> None:
    import uvloop

    app = load_app(scenario, module)
    print(json.dumps(uvloop.run(_measure(app, SCENARIOS[scenario][0], seconds))))


def _run_row(scenario: str, row: str, seconds: float, env: dict[str, str]) -> dict[str, float]:
    module, extra = ROWS[row]
    command = [sys.executable, __file__, "--child", scenario, module, "--seconds", str(seconds)]
    done = subprocess.run(
        command, env={**os.environ, **env, **extra}, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS))
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("SCENARIO", "MODULE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], args.child[1], args.seconds)
        return

    from harness.services import Services

    print("| scenario | app | CPU µs/request | x bare | GC µs/request | full GCs per 10k |")
    print("|---|---|---:|---:|---:|---:|")
    with Services() as services:
        for scenario in args.scenario or list(SCENARIOS):
            env, problem = services.env(SCENARIOS[scenario][1])
            if problem:
                print(f"| {scenario} | - | {problem} | | | |")
                continue
            best: dict[str, dict[str, float]] = {}
            for round_ in range(args.rounds):
                rows = list(ROWS)
                for row in rows[round_ % len(rows) :] + rows[: round_ % len(rows)]:
                    result = _run_row(scenario, row, args.seconds, env)
                    if row not in best or result["cpu_us"] < best[row]["cpu_us"]:
                        best[row] = result
            bare = best["bare"]["cpu_us"]
            for row, result in best.items():
                print(
                    f"| {scenario} | {row} | {result['cpu_us']:.1f} | "
                    f"{bare / result['cpu_us']:.2f}x | {result['gc_us']:.1f} | "
                    f"{result['full_collections_per_10k']:.1f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
