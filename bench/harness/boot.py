"""Scenario `boot`: time to build and start an app of 100 plugins x 10 routes, per framework.

Each sample is a fresh process (`apps/boot/measure.py <framework>`, or node for Fastify),
so imports and one-time compilation are paid every time. The process wall time includes
the interpreter's own start-up.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

from harness.targets import APPS_DIR, BENCH_DIR, NODE_DIR

FRAMEWORKS = ("lesto", "starlette", "fastapi", "litestar", "blacksheep", "fastify")
OPTIONAL = ("lesto",)
PHASES = ("import_ms", "build_ms", "ready_ms", "first_ms", "app_ms", "wall_ms")
TIMEOUT = 120


@dataclass
class BootResult:
    framework: str
    samples: list[dict[str, float]] = field(default_factory=list)
    problem: str | None = None
    command: list[str] = field(default_factory=list)

    @property
    def optional(self) -> bool:
        return self.framework in OPTIONAL

    @property
    def ok(self) -> bool:
        return self.problem is None and bool(self.samples)

    def median(self, phase: str) -> float:
        return statistics.median(s[phase] for s in self.samples)


def command(framework: str) -> list[str]:
    if framework == "fastify":
        return [shutil.which("node") or "node", str(APPS_DIR / "boot" / "fastify_app.js")]
    return [sys.executable, str(APPS_DIR / "boot" / "measure.py"), framework]


def sample(framework: str) -> dict[str, float]:
    env = {"PYTHONPATH": str(BENCH_DIR), "NODE_PATH": str(NODE_DIR / "node_modules")}
    began = time.perf_counter()
    done = subprocess.run(
        command(framework),
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
        env={**os.environ, **env},
    )
    wall = (time.perf_counter() - began) * 1000
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or ["(no output)"]
        raise RuntimeError(f"exit {done.returncode}: {lines[-1][:250]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_ms"] = wall
    return result


def run(args: argparse.Namespace, node_problem: str | None) -> list[BootResult]:
    wanted = {n.strip() for item in args.only for n in item.split(",") if n.strip()}
    print("\n[boot] 100 plugins x 10 routes: build, ready, first request", flush=True)
    results = []
    for framework in FRAMEWORKS:
        if wanted and framework not in {w.split("@")[0] for w in wanted}:
            continue
        result = BootResult(framework, command=command(framework))
        if framework == "fastify" and node_problem:
            result.problem = node_problem
        else:
            try:
                result.samples = [sample(framework) for _ in range(args.boot_repeat)]
            except (RuntimeError, subprocess.TimeoutExpired, ValueError) as exc:
                result.problem = str(exc)
        if result.ok:
            print(
                f"  {framework:<12} app {result.median('app_ms'):8.1f} ms  "
                f"process {result.median('wall_ms'):8.1f} ms",
                flush=True,
            )
        else:
            label = "not available" if result.optional else "FAILED"
            print(f"  {framework:<12} {label}: {result.problem}", flush=True)
        results.append(result)
    return results


def section(results: list[BootResult], chart: str | None) -> str:
    lines = [
        "## boot",
        "",
        "Build an app of 100 plugins with a prefix and 10 routes each (1,000 routes), start "
        "it (ASGI lifespan startup: Lesto's `ready()`; Fastify's `ready()`), answer "
        "`GET /p99/r9` in process. Peers without plugins use their sub-routers: Starlette "
        "`Mount`, FastAPI `APIRouter` + `include_router`, Litestar `Router`; BlackSheep "
        "registers 1,000 prefixed routes on one router. Each sample is a fresh process; "
        "medians in ms.",
        "",
        "| framework | import | build | ready | first request | build + ready + first | "
        "process wall | x lesto (build + ready + first) | status |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    lesto = next((r for r in results if r.framework == "lesto" and r.ok), None)
    for r in results:
        if not r.ok:
            label = "not available" if r.optional else "FAILED"
            problem = (r.problem or "no samples").replace("|", "\\|")
            lines.append(f"| {r.framework} | - | - | - | - | - | - | - | {label}: {problem} |")
            continue
        cells = " | ".join(f"{r.median(p):,.1f}" for p in PHASES)
        versus = f"{r.median('app_ms') / lesto.median('app_ms'):.2f}x" if lesto else "-"
        lines.append(f"| {r.framework} | {cells} | {versus} | ok ({len(r.samples)} runs) |")
    lines.append("")
    if chart:
        lines += [f"![boot]({chart})", ""]
    return "\n".join(lines) + "\n"
