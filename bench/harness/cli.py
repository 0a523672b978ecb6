"""`python bench/run.py`: measure every scenario's servers in turn and write RESULTS.md."""

import argparse
import contextlib
import datetime
import shlex
import shutil
import sys
import time
from pathlib import Path

from harness import boot, charts, machine, micro, node, paired, report, server, wrk
from harness.report import Measurement
from harness.scenarios import SCENARIOS, Scenario
from harness.services import Services
from harness.targets import BENCH_DIR, Target, known_names, parse_only, select

WORK_DIR = BENCH_DIR / ".work"
QUIET_LOAD = 0.5
EXTRA_SECTIONS = ("boot", "micro")
ALL_SECTIONS = (*SCENARIOS, *EXTRA_SECTIONS)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__)
    parser.add_argument(
        "--scenario",
        action="append",
        choices=ALL_SECTIONS,
        default=[],
        help="run this scenario (repeatable; default: all, then boot and micro)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        choices=ALL_SECTIONS,
        default=[],
        help="leave this scenario out (repeatable)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="FRAMEWORK[@SERVER]",
        help="measure only these systems, e.g. bare,lesto or lesto@granian (repeatable)",
    )
    parser.add_argument("--duration", type=int, default=3, help="seconds per wrk run")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of unrecorded load")
    parser.add_argument("--repeat", type=int, default=3, help="wrk runs per system")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument(
        "--paired-rounds",
        type=int,
        default=6,
        help="rounds of Lesto and bare ASGI on one core at once per scenario and server, for"
        " the targets (harness/paired.py); 0 leaves the paired runs out",
    )
    parser.add_argument("--paired-seconds", type=int, default=5, help="seconds per paired round")
    parser.add_argument(
        "--boot-repeat", type=int, default=3, help="fresh processes per system in `boot`"
    )
    parser.add_argument(
        "--micro-quick",
        action="store_true",
        help="run the micro-benchmarks with their smallest settings (for trial runs)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=BENCH_DIR / "RESULTS.md",
        help="markdown report (default: bench/RESULTS.md)",
    )
    parser.add_argument(
        "--charts",
        type=Path,
        default=None,
        help="folder for the PNG charts (default: results/ next to the report)",
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
    pins: machine.Pinning, env: dict[str, str],
) -> Measurement:  # fmt: skip
    result = Measurement(target)
    log_path = WORK_DIR / "logs" / f"{scenario.name}-{target.name}.log"
    script = wrk.lua_script(scenario, WORK_DIR)
    try:
        with server.running(target, scenario, pins.server_cpu, log_path, env) as (port, command):
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


def measure_interleaved(
    targets: list[Target], scenario: Scenario, load: wrk.Load, args: argparse.Namespace,
    pins: machine.Pinning, env: dict[str, str],
) -> dict[str, Measurement]:  # fmt: skip
    """Start every system's server at once (all on the server core, idle but one), warm
    each up, then run wrk against them in turn, ``rounds x repeat`` times, rotating the
    order: run k of every system is taken within seconds of the others."""
    results = {t.name: Measurement(t, interleaved=True) for t in targets}
    script = wrk.lua_script(scenario, WORK_DIR)
    urls: dict[str, str] = {}
    with contextlib.ExitStack() as stack:
        for target in targets:
            m = results[target.name]
            log_path = WORK_DIR / "logs" / f"{scenario.name}-{target.name}.log"
            try:
                port, command = stack.enter_context(
                    server.running(target, scenario, pins.server_cpu, log_path, env)
                )
                m.command = command
                server.check(port, scenario)
                urls[target.name] = f"http://127.0.0.1:{port}{scenario.path}"
                if args.warmup > 0:
                    wrk.run(wrk.command(urls[target.name], load, args.warmup, script, pins.wrk_cpu))
            except (server.ServerError, RuntimeError) as exc:
                m.problem = str(exc)
        live = [t for t in targets if t.name in urls]
        cycles = scenario.rounds * args.repeat
        for cycle in range(cycles):
            shift = cycle % max(len(live), 1)
            for target in live[shift:] + live[:shift]:
                m = results[target.name]
                if m.problem is not None:
                    continue
                try:
                    argv = wrk.command(urls[target.name], load, load.duration, script, pins.wrk_cpu)
                    run = wrk.run(argv)
                except RuntimeError as exc:
                    m.problem = str(exc)
                    continue
                m.runs.append(run)
            print(f"  cycle {cycle + 1} of {cycles} done", flush=True)
    for m in results.values():
        bad = sum(r.non_2xx for r in m.runs)
        if m.problem is None and bad:
            m.problem = f"{bad} non-2xx responses under load"
        if m.problem is not None:
            m.runs = []
        progress(m)
    return results


def progress(m: Measurement) -> None:
    if m.ok:
        print(
            f"  {m.target.name:<24} {m.median_rps:>10,.0f} req/s  spread {m.spread:5.1%}  "
            f"p99 {m.median_p99_ms:.2f} ms",
            flush=True,
        )
    else:
        print(f"  {m.target.name:<24} {m.status()}", flush=True)


def scenario_targets(scenario: Scenario, only: list[str]) -> list[Target]:
    return [t for t in select(only, scenario.targets) if t.has_app(scenario.app_dir)]


def run_scenario(
    scenario: Scenario, args: argparse.Namespace, load: wrk.Load, pins: machine.Pinning,
    node_problem: str | None, services: Services,
) -> list[Measurement]:  # fmt: skip
    print(f"\n[{scenario.name}] {scenario.summary}", flush=True)
    targets = scenario_targets(scenario, args.only)
    env, service_problem = services.env(scenario.services)
    pins = pins if scenario.pin else machine.UNPINNED
    if scenario.rounds > 1 and not service_problem:
        reachable = [t for t in targets if not (t.server == "node" and node_problem)]
        measured = measure_interleaved(reachable, scenario, load, args, pins, env)
        return [measured.get(t.name) or Measurement(t, problem=node_problem) for t in targets]
    results = {target.name: Measurement(target) for target in targets}
    for round_ in range(scenario.rounds):
        if scenario.rounds > 1:
            print(f"  round {round_ + 1} of {scenario.rounds}", flush=True)
        for target in targets:
            if service_problem:
                m = Measurement(target, problem=service_problem)
            elif target.server == "node" and node_problem:
                m = Measurement(target, problem=node_problem)
            else:
                m = measure(target, scenario, load, args, pins, env)
            progress(m)
            pooled = results[target.name]
            pooled.runs += m.runs
            pooled.command = m.command or pooled.command
            pooled.problem = pooled.problem or m.problem
    return list(results.values())


def run_paired(
    args: argparse.Namespace, scenarios: list[Scenario], services: Services
) -> list[paired.PairedResult]:
    """The paired runs of the chosen scenarios that have a bare ASGI target (not with --only)."""
    names = [s.name for s in scenarios if s.name in paired.SCENARIO_NAMES]
    if args.paired_rounds <= 0 or args.only or not names:
        return []
    print("\n=== paired: Lesto and bare ASGI on one core at once", flush=True)
    return paired.run_all(
        services, names, list(paired.PAIRS), args.paired_rounds, args.paired_seconds
    )


def _rounds_note() -> str:
    several = [s for s in SCENARIOS.values() if s.rounds > 1]
    if not several:
        return ""
    rounds = max(s.rounds for s in several)
    names = ", ".join(s.name for s in several)
    return (
        f" per round; in {names} every system's server runs at once and wrk drives them in"
        f" turn, {rounds} x repeats runs each (ratios are medians of run-by-run ratios)"
    )


def settings(
    argv: list[str], args: argparse.Namespace, pins: machine.Pinning, load_start: str,
    seconds: float,
) -> dict[str, str]:  # fmt: skip
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": f"`{shlex.join(['python', 'bench/run.py', *argv])}`",
        "wrk load": (
            f"-t{args.threads} -c{args.connections} -d{args.duration}s, "
            f"{args.warmup}s warm-up, {args.repeat} repeats" + _rounds_note()
        ),
        "pinning": pins.describe() + " (except the workers scenario: not pinned)",
        "load average at start": load_start,
        "load average at end": machine.load_average(),
        "run time": f"{seconds / 60:.1f} min",
    }


def quiet_note(load_start: str) -> str:
    one_minute = float(load_start.split()[0])
    if one_minute <= QUIET_LOAD:
        return ""
    return (
        f"Not a quiet machine: load average {one_minute:.2f} at start. "
        "These numbers are noisy; do not quote them as results."
    )


def check_only(args: argparse.Namespace) -> None:
    wanted = parse_only(args.only)
    names: set[str] = set()
    for scenario in SCENARIOS.values():
        names |= known_names(list(scenario.targets))
    unknown = wanted - names
    if unknown:
        raise SystemExit(f"unknown --only value(s): {', '.join(sorted(unknown))}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    check_only(args)
    began = time.monotonic()
    chosen = [n for n in (args.scenario or ALL_SECTIONS) if n not in args.skip]
    scenarios = [SCENARIOS[n] for n in chosen if n in SCENARIOS]
    if scenarios and shutil.which("wrk") is None:
        print("wrk not found: install it with `apt-get install -y wrk`", file=sys.stderr)
        return 2
    load_start = machine.load_average()
    wants_node = any(
        t.server == "node" for s in scenarios for t in scenario_targets(s, args.only)
    ) or ("boot" in chosen and not args.only)
    node_problem = node.ensure_fastify() if wants_node else None
    pins = machine.pinning()
    load = wrk.Load(args.threads, args.connections, args.duration)
    with Services(pin_cpu=pins.wrk_cpu) as services:
        results = {
            s.name: run_scenario(s, args, load, pins, node_problem, services) for s in scenarios
        }
        paired_results = run_paired(args, scenarios, services)
        service_lines = dict(services.descriptions)
    boot_results = boot.run(args, node_problem) if "boot" in chosen else None
    micro_results = micro.run(args) if "micro" in chosen else None

    chart_dir = args.charts or args.output.parent / "results"
    chart_files = charts.draw(scenarios, results, boot_results, chart_dir)
    header_settings = settings(argv, args, pins, load_start, time.monotonic() - began)
    header_settings.update({f"{name} server": text for name, text in service_lines.items()})
    text = report.header(header_settings, machine.describe(), quiet_note(load_start))
    text += report.targets_section(scenarios, results, paired_results)
    text += report.paired_section(paired_results)
    for s in scenarios:
        chart = report.link(chart_files.get(s.name), args.output)
        text += report.scenario_section(s, results[s.name], chart)
    if boot_results is not None:
        text += boot.section(boot_results, report.link(chart_files.get("boot"), args.output))
    if micro_results is not None:
        text += micro.section(micro_results)
    text += "\n" + report.commands_section(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print("\n" + text)
    print(f"written to {args.output} in {(time.monotonic() - began) / 60:.1f} min")
    failed = [m for ms in results.values() for m in ms if m.problem and not m.target.optional]
    failed += [p for p in paired_results if p.problem]
    failed_boot = [b for b in boot_results or [] if b.problem and not b.optional]
    failed_micro = [m for m in micro_results or [] if m.returncode != 0]
    return 1 if failed or failed_boot or failed_micro else 0
