"""`python bench/run.py`: measure every scenario's servers in turn and write RESULTS.md."""

import argparse
import datetime
import shlex
import shutil
import sys
from pathlib import Path

from harness import machine, node, report, server, wrk
from harness.report import Measurement
from harness.scenarios import SCENARIOS, Scenario
from harness.targets import BENCH_DIR, Target, select

WORK_DIR = BENCH_DIR / ".work"
QUIET_LOAD = 0.5


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__)
    parser.add_argument(
        "--scenario",
        action="append",
        choices=sorted(SCENARIOS),
        default=[],
        help="run this scenario (repeatable; default: all)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="FRAMEWORK[@SERVER]",
        help="measure only these systems, e.g. bare,lesto or lesto@granian (repeatable)",
    )
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unrecorded load")
    parser.add_argument("--repeat", type=int, default=3, help="wrk runs per system")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument(
        "--output",
        type=Path,
        default=BENCH_DIR / "RESULTS.md",
        help="markdown report (default: bench/RESULTS.md)",
    )
    return parser.parse_args(argv)


def drive(
    url: str, load: wrk.Load, args: argparse.Namespace, script: Path | None, cpu: int | None
) -> list[wrk.WrkResult]:
    """Warm up (unrecorded), then run wrk `--repeat` times."""
    if args.warmup > 0:
        wrk.run(wrk.command(url, load, args.warmup, script, cpu))
    return [wrk.run(wrk.command(url, load, load.duration, script, cpu)) for _ in range(args.repeat)]


def measure(
    target: Target, scenario: Scenario, load: wrk.Load, args: argparse.Namespace,
    pins: machine.Pinning,
) -> Measurement:  # fmt: skip
    result = Measurement(target)
    log_path = WORK_DIR / "logs" / f"{scenario.name}-{target.name}.log"
    script = wrk.lua_script(scenario, WORK_DIR)
    try:
        with server.running(target, scenario, pins.server_cpu, log_path) as (port, command):
            result.command = command
            server.check(port, scenario)
            url = f"http://127.0.0.1:{port}{scenario.path}"
            result.runs = drive(url, load, args, script, pins.wrk_cpu)
    except (server.ServerError, RuntimeError) as exc:
        result.problem = str(exc)
    bad = sum(r.non_2xx for r in result.runs)
    if result.problem is None and bad:
        result.problem = f"{bad} non-2xx responses under load"
    return result


def progress(scenario: Scenario, m: Measurement) -> None:
    if m.ok:
        print(
            f"  {m.target.name:<20} {m.median_rps:>10,.0f} req/s  spread {m.spread:5.1%}  "
            f"p99 {m.median_p99_ms:.2f} ms",
            flush=True,
        )
    else:
        print(f"  {m.target.name:<20} {m.status()}", flush=True)


def run_scenario(
    scenario: Scenario, targets: list[Target], load: wrk.Load, args: argparse.Namespace,
    pins: machine.Pinning, node_problem: str | None,
) -> list[Measurement]:  # fmt: skip
    print(f"\n[{scenario.name}] {scenario.summary}", flush=True)
    results = []
    for target in targets:
        if not target.has_app(scenario.name):
            continue
        if target.server == "node" and node_problem:
            m = Measurement(target, problem=node_problem)
        else:
            m = measure(target, scenario, load, args, pins)
        progress(scenario, m)
        results.append(m)
    return results


def settings(
    argv: list[str], args: argparse.Namespace, pins: machine.Pinning, load_start: str
) -> dict[str, str]:
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": f"`{shlex.join(['python', 'bench/run.py', *argv])}`",
        "wrk load": (
            f"-t{args.threads} -c{args.connections} -d{args.duration}s, "
            f"{args.warmup}s warm-up, {args.repeat} repeats"
        ),
        "pinning": pins.describe(),
        "load average at start": load_start,
        "load average at end": machine.load_average(),
    }


def quiet_note(load_start: str) -> str:
    one_minute = float(load_start.split()[0])
    if one_minute <= QUIET_LOAD:
        return ""
    return (
        f"Not a quiet machine: load average {one_minute:.2f} at start. "
        "These numbers are noisy; do not quote them as results."
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk not found: install it with `apt-get install -y wrk`", file=sys.stderr)
        return 2
    load_start = machine.load_average()
    targets = select(args.only)
    scenarios = [SCENARIOS[name] for name in args.scenario] or list(SCENARIOS.values())
    node_problem = node.ensure_fastify() if any(t.server == "node" for t in targets) else None
    pins = machine.pinning()
    load = wrk.Load(args.threads, args.connections, args.duration)
    results = {s.name: run_scenario(s, targets, load, args, pins, node_problem) for s in scenarios}
    text = report.header(
        settings(argv, args, pins, load_start), machine.describe(), quiet_note(load_start)
    )
    text += "\n".join(report.scenario_section(s, results[s.name]) for s in scenarios)
    text += "\n" + report.commands_section(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print("\n" + text)
    print(f"written to {args.output}")
    failed = [m for ms in results.values() for m in ms if m.problem and not m.target.optional]
    return 1 if failed else 0
