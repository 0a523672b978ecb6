"""Median and spread of the repeats, ratios, and the markdown that goes to RESULTS.md."""

import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from harness.paired import PairedResult, table
from harness.scenarios import Scenario
from harness.targets import Target
from harness.wrk import WrkResult

# Targets from the issues: Lesto / bare ASGI on the same server, per scenario
# (issue 14: >= 0.85x for hello; issues 7, 8 and 9: plugin overhead <= 10%).
BARE_TARGETS: dict[str, float] = {"hello": 0.85, "postgres": 0.90, "mysql": 0.90, "redis": 0.90}
PYTHON_PEERS = ("starlette", "fastapi", "litestar", "blacksheep")


@dataclass
class Measurement:
    target: Target
    runs: list[WrkResult] = field(default_factory=list)
    command: list[str] = field(default_factory=list)
    problem: str | None = None
    #: Runs taken in turn with the other systems of the scenario (run k of every system
    #: within seconds of each other), so that ratios can be taken run by run.
    interleaved: bool = False

    @property
    def ok(self) -> bool:
        return self.problem is None and bool(self.runs)

    @property
    def median_rps(self) -> float:
        return statistics.median(r.requests_per_sec for r in self.runs)

    @property
    def spread(self) -> float:
        """(max - min) / median of req/s over the repeats."""
        values = [r.requests_per_sec for r in self.runs]
        return (max(values) - min(values)) / statistics.median(values)

    @property
    def median_p99_ms(self) -> float:
        return statistics.median(r.p99_ms for r in self.runs)

    def status(self) -> str:
        if self.problem is None:
            errors = sum(r.socket_errors for r in self.runs)
            return f"ok, {errors} socket errors" if errors else "ok"
        label = "not available" if self.target.optional else "FAILED"
        return f"{label}: {self.problem}"


def reference(target: Target, by_name: dict[str, Measurement]) -> Measurement | None:
    """Bare ASGI on the same server, with the same variant when the scenario has it
    (logging on, 2 workers); Node rows are compared with bare ASGI under uvicorn."""
    server = "granian" if target.server == "granian" else "uvicorn"
    variant = f"[{target.variant}]" if target.variant else ""
    return by_name.get(f"bare{variant}@{server}") or by_name.get(f"bare@{server}")


def ratio(m: Measurement, other: Measurement) -> float:
    """req/s of ``m`` over ``other``: for interleaved runs the median of the run-by-run
    ratios (the machine's speed drifts over seconds, and each pair shares its moment),
    otherwise the ratio of the medians."""
    if m.interleaved and other.interleaved and len(m.runs) == len(other.runs):
        return statistics.median(
            a.requests_per_sec / b.requests_per_sec for a, b in zip(m.runs, other.runs, strict=True)
        )
    return m.median_rps / other.median_rps


def ratio_range(m: Measurement, other: Measurement) -> tuple[float, float] | None:
    """Lowest and highest run-by-run ratio of interleaved runs (None otherwise)."""
    if not (m.interleaved and other.interleaved and len(m.runs) == len(other.runs) > 1):
        return None
    values = [
        a.requests_per_sec / b.requests_per_sec for a, b in zip(m.runs, other.runs, strict=True)
    ]
    return min(values), max(values)


def bare_ratio(m: Measurement, by_name: dict[str, Measurement]) -> float | None:
    ref = reference(m.target, by_name)
    if ref is None or not ref.ok or not m.ok:
        return None
    return ratio(m, ref)


def ratio_text(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def row(m: Measurement, by_name: dict[str, Measurement]) -> str:
    t = m.target
    if not m.ok:
        status = m.status().replace("|", "\\|").replace("\n", " ")
        return f"| {t.display} | {t.server} | - | - | - | - | {status} |"
    text = ratio_text(bare_ratio(m, by_name))
    ref = reference(t, by_name)
    bounds = ratio_range(m, ref) if ref is not None and ref.ok and ref is not m else None
    if bounds is not None:
        text += f" ({bounds[0]:.2f}-{bounds[1]:.2f})"
    return (
        f"| {t.display} | {t.server} | {m.median_rps:,.0f} | {m.spread:.1%} "
        f"| {m.median_p99_ms:.2f} | {text} | {m.status()} |"
    )


def lesto_vs_peers(measurements: list[Measurement]) -> str:
    """Lesto under uvicorn (each variant) divided by each peer of the same variant."""
    lines = []
    for lesto in measurements:
        if lesto.target.framework != "lesto" or lesto.target.server != "uvicorn" or not lesto.ok:
            continue
        peers = [
            f"{m.target.display} {ratio(lesto, m):.2f}x"
            for m in measurements
            if m.ok
            and m.target.framework not in ("lesto", "bare")
            and m.target.variant == lesto.target.variant
        ]
        if peers:
            lines.append(f"{lesto.target.display} (uvicorn) / peer: " + ", ".join(peers))
    return "".join(f"- {line}\n" for line in lines)


def link(chart: Path | None, output: Path) -> str | None:
    if chart is None:
        return None
    return os.path.relpath(chart, output.resolve().parent)


def scenario_section(scenario: Scenario, measurements: list[Measurement], chart: str | None) -> str:
    by_name = {m.target.name: m for m in measurements}
    lines = [f"## {scenario.name}", "", scenario.summary + ".", ""]
    if scenario.note:
        lines += [scenario.note, ""]
    lines += [
        "| framework | server | req/s (median) | spread | p99 ms | x bare ASGI | status |",
        "|---|---|---:|---:|---:|---:|---|",
        *(row(m, by_name) for m in measurements),
        "",
    ]
    peers = lesto_vs_peers(measurements)
    if peers:
        lines += [peers]
    if chart:
        lines += [f"![{scenario.name}]({chart})", ""]
    return "\n".join(lines) + "\n"


def gaps(
    scenario: Scenario,
    measurements: list[Measurement],
    paired: dict[tuple[str, str], PairedResult] | None = None,
) -> list[tuple[float, str]]:
    """(ratio / target, text) for each target Lesto has in this scenario; a bare ASGI
    ratio is the paired run's where there is one (the precise one), else the run's."""
    by_name = {m.target.name: m for m in measurements}
    found: list[tuple[float, str]] = []
    for lesto in measurements:
        t = lesto.target
        if t.framework != "lesto" or t.diagnostic or not lesto.ok:
            continue
        goal = BARE_TARGETS.get(scenario.name)
        pair = (paired or {}).get((scenario.name, t.server))
        if goal is not None and pair is not None and pair.ratios:
            value = pair.median
            found.append(
                (value / goal, f"{t.name} / bare, paired: {value:.3f}x (target >= {goal:.2f}x)")
            )
        elif goal is not None and (value := bare_ratio(lesto, by_name)) is not None:
            found.append((value / goal, f"{t.name} / bare: {value:.2f}x (target >= {goal:.2f}x)"))
        if t.server != "uvicorn":
            continue
        for peer in measurements:
            if peer.ok and peer.target.framework in PYTHON_PEERS:
                value = ratio(lesto, peer)
                found.append(
                    (value, f"{t.name} / {peer.target.name}: {value:.2f}x (target > 1.00x)")
                )
    return found


def targets_section(
    scenarios: list[Scenario],
    results: dict[str, list[Measurement]],
    paired: list[PairedResult] | None = None,
) -> str:
    """Each scenario's worst ratio to its targets, worst first (the issues' goals)."""
    by_pair = {(p.scenario, p.server): p for p in paired or []}
    worst: list[tuple[float, str, str]] = []
    for scenario in scenarios:
        found = gaps(scenario, results.get(scenario.name, []), by_pair)
        if found:
            score, text = min(found)
            worst.append((score, scenario.name, text))
    if not worst:
        return ""
    lines = [
        "## Gaps to the targets",
        "",
        "Per scenario, Lesto's worst ratio against its targets (Lesto / bare ASGI >= 0.85x "
        "for hello, >= 0.90x for postgres, mysql and redis; ahead of every Python peer), worst "
        "first. Score = ratio / target; below 1.00 misses the target. The ratios to bare ASGI "
        "are the paired runs' medians where there are paired runs (next section).",
        "",
        "| scenario | score | worst ratio |",
        "|---|---:|---|",
        *(f"| {name} | {score:.2f} | {text} |" for score, name, text in sorted(worst)),
        "",
    ]
    return "\n".join(lines) + "\n"


def paired_section(paired: list[PairedResult]) -> str:
    """The paired runs: Lesto and bare ASGI on one core at once (harness/paired.py)."""
    if not paired:
        return ""
    lines = [
        "## Paired runs",
        "",
        "Lesto and the bare ASGI app served at the same time from one core, each driven by "
        "its own wrk from the other core over the same seconds: the ratio of their req/s is "
        "the inverse ratio of their CPU cost per request, under the same machine conditions "
        "(rounds agree within about 2%, where the runs above spread by 10-30%). "
        "Repeat with `hatch run bench:paired --scenario S --server uvicorn --server granian`.",
        "",
        *table(paired),
        "",
    ]
    return "\n".join(lines) + "\n"


def commands_section(results: dict[str, list[Measurement]]) -> str:
    lines = ["## Server commands", ""]
    for name, measurements in results.items():
        lines += [f"`{name}`:", "", "```"]
        for m in measurements:
            if not m.command:
                continue
            env = " ".join(f"{k}={v}" for k, v in m.target.env)
            lines.append(f"{env} {' '.join(m.command)}".strip())
        lines += ["```", ""]
    return "\n".join(lines)


def header(settings: dict[str, str], machine: dict[str, str], note: str) -> str:
    lines = ["# Lesto benchmark results", ""]
    if note:
        lines += [f"> {note}", ""]
    lines += ["| setting | value |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in settings.items()]
    lines += ["", "| machine / version | value |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in machine.items()]
    lines += [
        "",
        "req/s is the median over the repeats; spread is (max - min) / median; p99 is the",
        "median of the repeats' 99th-percentile latency; x bare ASGI is the ratio to the",
        "hand-written ASGI app on the same server and variant (Fastify on Node is compared",
        "with bare ASGI under uvicorn). Where every system's server ran at once and wrk",
        "drove them in turn (hello and the database scenarios), a ratio is the median of",
        "the run-by-run ratios, with their lowest and highest in brackets: this machine's",
        "speed drifts by 20-40% over seconds, which the pairing cancels. See bench/README.md.",
        "",
    ]
    return "\n".join(lines) + "\n"
