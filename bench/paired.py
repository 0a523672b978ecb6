"""Lesto against the bare ASGI app on one core at the same time: the most precise req/s ratio here.

    hatch run bench:paired                                    # hello, postgres, redis
    hatch run bench:paired --scenario postgres --rounds 10 --server granian

Both servers of a scenario (`apps/<scenario>/bare_app.py` and `lesto_app.py`) run
at once, pinned to the same core, and two wrk processes on the other core (with the
database servers) drive one each, over the same seconds. The kernel shares the core
between two busy processes by time, so each gets about half of it, and the ratio of
their req/s is the inverse ratio of their CPU cost per request, both measured under
the very same machine conditions. On this kind of 2-vCPU VM the CPU's speed drifts by
20-40% within seconds; runs taken one after the other (even interleaved, as `run.py`
does) carry that drift into their ratio, while a simultaneous pair cancels it: its
rounds agree within about 2%, against 10-30% for sequential ones. Each round prints
the pair; the last line is the median ratio and its range.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

from harness import machine, server, wrk
from harness.scenarios import SCENARIOS
from harness.services import Services
from harness.targets import BARE_GRANIAN, BARE_UVICORN, LESTO_GRANIAN, LESTO_UVICORN

WORK_DIR = Path(__file__).resolve().parent / ".work"
PAIRS = {"uvicorn": (BARE_UVICORN, LESTO_UVICORN), "granian": (BARE_GRANIAN, LESTO_GRANIAN)}


def _drive_both(urls: tuple[str, str], seconds: int, cpu: int | None) -> tuple[float, float]:
    """req/s of each URL, both driven by their own wrk at the same time."""
    load = wrk.Load(threads=1, connections=64, duration=seconds)
    procs = [
        subprocess.Popen(
            wrk.command(url, load, seconds, None, cpu), stdout=subprocess.PIPE, text=True
        )
        for url in urls
    ]
    reports = [proc.communicate()[0] for proc in procs]
    results = [wrk.parse(report) for report in reports]
    for url, result in zip(urls, results, strict=True):
        if result.non_2xx or result.socket_errors:
            raise RuntimeError(f"{url}: {result.non_2xx} non-2xx, {result.socket_errors} errors")
    return results[0].requests_per_sec, results[1].requests_per_sec


def run_pair(
    services: Services, scenario_name: str, server_name: str, rounds: int, seconds: int
) -> list[float]:
    """The per-round ratios (Lesto / bare) of one scenario under one server."""
    scenario = SCENARIOS[scenario_name]
    pins = machine.pinning()
    bare, lesto = PAIRS[server_name]
    env, problem = services.env(scenario.services)
    if problem:
        raise SystemExit(f"{scenario_name}: {problem}")
    logs = WORK_DIR / "logs"
    with (
        server.running(bare, scenario, pins.server_cpu, logs / "paired-bare.log", env) as (
            bare_port,
            _,
        ),
        server.running(lesto, scenario, pins.server_cpu, logs / "paired-lesto.log", env) as (
            lesto_port,
            _,
        ),
    ):
        for port in (bare_port, lesto_port):
            server.check(port, scenario)
        urls = (
            f"http://127.0.0.1:{bare_port}{scenario.path}",
            f"http://127.0.0.1:{lesto_port}{scenario.path}",
        )
        _drive_both(urls, 2, pins.wrk_cpu)  # warm-up
        ratios = []
        for index in range(rounds):
            bare_rps, lesto_rps = _drive_both(urls, seconds, pins.wrk_cpu)
            ratios.append(lesto_rps / bare_rps)
            print(
                f"  {scenario_name}@{server_name} round {index + 1}: bare {bare_rps:,.0f}"
                f" lesto {lesto_rps:,.0f} req/s -> {ratios[-1]:.3f}x",
                flush=True,
            )
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", action="append", choices=["hello", "postgres", "redis"])
    parser.add_argument("--server", action="append", choices=sorted(PAIRS))
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    pins = machine.pinning()
    if pins.server_cpu is None:
        sys.exit("paired runs need two cores and taskset")
    summary = []
    with Services(pin_cpu=pins.wrk_cpu) as services:  # each database started once
        for scenario_name in args.scenario or ["hello", "postgres", "redis"]:
            for server_name in args.server or ["uvicorn"]:
                ratios = run_pair(services, scenario_name, server_name, args.rounds, args.seconds)
                summary.append(
                    f"| {scenario_name} | {server_name} | {statistics.median(ratios):.3f}x |"
                    f" {min(ratios):.3f}-{max(ratios):.3f} |"
                )
    print("\n| scenario | server | Lesto / bare (median) | range |\n|---|---|---:|---|")
    print("\n".join(summary))


if __name__ == "__main__":
    main()
