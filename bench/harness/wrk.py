"""Drive a server with wrk and read req/s, p99 latency and errors from its report."""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from harness.scenarios import Scenario
from harness.server import pinned

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Load:
    threads: int
    connections: int
    duration: int


@dataclass(frozen=True)
class WrkResult:
    requests_per_sec: float
    p99_ms: float
    non_2xx: int
    socket_errors: int


def lua_script(scenario: Scenario, work_dir: Path) -> Path | None:
    """A wrk script for requests that are not a plain GET."""
    if scenario.method == "GET" and scenario.body is None:
        return None
    body = (scenario.body or b"").decode()
    path = work_dir / "lua" / f"{scenario.name}.lua"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'wrk.method = "{scenario.method}"\n'
        f"wrk.body = [==[{body}]==]\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
    )
    return path


def command(url: str, load: Load, seconds: int, script: Path | None, cpu: int | None) -> list[str]:
    args = ["wrk", f"-t{load.threads}", f"-c{load.connections}", f"-d{seconds}s", "--latency"]
    if script is not None:
        args += ["-s", str(script)]
    return pinned([*args, url], cpu)


def run(argv: list[str]) -> WrkResult:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()[:200]}")
    return parse(done.stdout)


def parse(report: str) -> WrkResult:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", report)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", report, re.MULTILINE)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", report)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report
    )
    if rps is None or p99 is None:
        raise RuntimeError(f"cannot read wrk's report: {report.strip()[:300]}")
    return WrkResult(
        requests_per_sec=float(rps.group(1)),
        p99_ms=float(p99.group(1)) * UNITS_MS[p99.group(2)],
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )
