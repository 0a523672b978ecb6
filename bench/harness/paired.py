"""Lesto and the bare ASGI app on one core at the same time: the precise req/s ratio.

Both servers of a scenario (`apps/<scenario>/bare_app.py` and `lesto_app.py`) run at
once, pinned to the same core, and two wrk processes on the other core (with the
database servers) drive one each, over the same seconds. The kernel shares the core
between two busy processes by time, so each gets about half of it, and the ratio of
their req/s is the inverse ratio of their CPU cost per request, both measured under
the very same machine conditions. On this kind of 2-vCPU VM the CPU's speed drifts by
20-40% within seconds; runs taken one after the other (even interleaved) carry that
drift into their ratio, while a simultaneous pair cancels it: its rounds agree within
about 2%, against 10-30% for sequential ones. Used by `paired.py` and by `run.py`
(its "Paired runs" section, which the targets are judged by).
"""

from __future__ import annotations

import os
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from harness import machine, server, wrk
from harness.scenarios import SCENARIOS
from harness.services import Services
from harness.targets import (
    BARE_GRANIAN,
    BARE_UVICORN,
    BENCH_DIR,
    LESTO_GRANIAN,
    LESTO_UVICORN,
)

WORK_DIR = Path(__file__).resolve().parent.parent / ".work"
PAIRS = {"uvicorn": (BARE_UVICORN, LESTO_UVICORN), "granian": (BARE_GRANIAN, LESTO_GRANIAN)}
SCENARIO_NAMES = ("hello", "postgres", "mysql", "redis")
"""The scenarios with a bare ASGI target (issues 3, 7, 8 and 9)."""


@dataclass
class PairedResult:
    """The per-round ratios (Lesto / bare) of one scenario under one server."""

    scenario: str
    server: str
    ratios: list[float] = field(default_factory=list)
    problem: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.ratios)

    def range_text(self) -> str:
        return f"{min(self.ratios):.3f}-{max(self.ratios):.3f}"


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


def tree_path(tree: Path) -> str:
    """``PYTHONPATH`` that runs the Lesto packages of another checkout ``tree``."""
    sources = sorted(str(src) for src in tree.glob("packages/*/src"))
    if not sources:
        raise SystemExit(f"{tree}: no packages/*/src here (a checkout of this repository?)")
    return os.pathsep.join([*sources, str(BENCH_DIR)])


def run_pair(
    services: Services,
    scenario_name: str,
    server_name: str,
    rounds: int,
    seconds: int,
    against: Path | None = None,
) -> PairedResult:
    """Run one scenario's pair under one server for ``rounds`` rounds of ``seconds``.

    With ``against`` (another checkout), the reference is not the bare app but Lesto
    run from that checkout's packages: the ratio is then this tree's Lesto / that one's.
    """
    scenario = SCENARIOS[scenario_name]
    result = PairedResult(scenario_name, server_name)
    pins = machine.pinning()
    if pins.server_cpu is None:
        result.problem = "paired runs need two cores and taskset"
        return result
    bare, lesto = PAIRS[server_name]
    env, problem = services.env(scenario.services)
    if problem:
        result.problem = problem
        return result
    reference, reference_env = bare, env
    if against is not None:
        reference, reference_env = lesto, {**env, "PYTHONPATH": tree_path(against)}
    logs = WORK_DIR / "logs"
    with (
        server.running(
            reference, scenario, pins.server_cpu, logs / "paired-reference.log", reference_env
        ) as (bare_port, _),
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
        for index in range(rounds):
            bare_rps, lesto_rps = _drive_both(urls, seconds, pins.wrk_cpu)
            result.ratios.append(lesto_rps / bare_rps)
            print(
                f"  {scenario_name}@{server_name} round {index + 1}:"
                f" {'bare' if against is None else 'against'} {bare_rps:,.0f}"
                f" lesto {lesto_rps:,.0f} req/s -> {result.ratios[-1]:.3f}x",
                flush=True,
            )
    return result


def run_all(
    services: Services,
    scenario_names: list[str],
    server_names: list[str],
    rounds: int,
    seconds: int,
    against: Path | None = None,
) -> list[PairedResult]:
    """Every scenario under every server; a failed pair is reported, not raised."""
    results = []
    for scenario_name in scenario_names:
        for server_name in server_names:
            try:
                found = run_pair(services, scenario_name, server_name, rounds, seconds, against)
            except (RuntimeError, server.ServerError) as error:
                found = PairedResult(scenario_name, server_name, problem=str(error))
            results.append(found)
    return results


def table(results: list[PairedResult], reference: str = "bare") -> list[str]:
    """Markdown rows: scenario, server, median ratio and range (or the problem)."""
    lines = [
        f"| scenario | server | Lesto / {reference} (median) | range | rounds |",
        "|---|---|---:|---|---:|",
    ]
    for found in results:
        if found.problem or not found.ratios:
            lines.append(f"| {found.scenario} | {found.server} | - | {found.problem} | 0 |")
        else:
            lines.append(
                f"| {found.scenario} | {found.server} | {found.median:.3f}x |"
                f" {found.range_text()} | {len(found.ratios)} |"
            )
    return lines
