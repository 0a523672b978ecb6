"""Median and spread of the repeats, ratios, and the markdown that goes to RESULTS.md."""

import statistics
from dataclasses import dataclass, field

from harness.scenarios import Scenario
from harness.targets import Target
from harness.wrk import WrkResult


@dataclass
class Measurement:
    target: Target
    runs: list[WrkResult] = field(default_factory=list)
    command: list[str] = field(default_factory=list)
    problem: str | None = None

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


def reference_name(target: Target) -> str:
    """Bare ASGI on the same server; Node rows are compared with bare ASGI under uvicorn."""
    return "bare@granian" if target.server == "granian" else "bare@uvicorn"


def ratio(measurement: Measurement, by_name: dict[str, Measurement]) -> str:
    reference = by_name.get(reference_name(measurement.target))
    if reference is None or not reference.ok or not measurement.ok:
        return "-"
    return f"{measurement.median_rps / reference.median_rps:.2f}x"


def row(m: Measurement, by_name: dict[str, Measurement]) -> str:
    t = m.target
    if not m.ok:
        status = m.status().replace("|", "\\|")
        return f"| {t.framework} | {t.server} | - | - | - | - | {status} |"
    return (
        f"| {t.framework} | {t.server} | {m.median_rps:,.0f} | {m.spread:.1%} "
        f"| {m.median_p99_ms:.2f} | {ratio(m, by_name)} | {m.status()} |"
    )


def lesto_vs_peers(measurements: list[Measurement]) -> str:
    by_name = {m.target.name: m for m in measurements}
    lesto = by_name.get("lesto@uvicorn")
    if lesto is None or not lesto.ok:
        return ""
    peers = [
        f"{m.target.framework} {lesto.median_rps / m.median_rps:.2f}x"
        for m in measurements
        if m.ok and m.target.framework not in ("lesto", "bare")
    ]
    return "Lesto (uvicorn) / peer: " + ", ".join(peers) + "\n"


def scenario_section(scenario: Scenario, measurements: list[Measurement]) -> str:
    by_name = {m.target.name: m for m in measurements}
    lines = [
        f"## {scenario.name}",
        "",
        scenario.summary + ".",
        "",
        "| framework | server | req/s (median) | spread | p99 ms | x bare ASGI | status |",
        "|---|---|---:|---:|---:|---:|---|",
        *(row(m, by_name) for m in measurements),
        "",
    ]
    peers = lesto_vs_peers(measurements)
    if peers:
        lines += [peers]
    return "\n".join(lines)


def commands_section(results: dict[str, list[Measurement]]) -> str:
    lines = ["## Server commands", ""]
    for name, measurements in results.items():
        lines += [f"`{name}`:", "", "```"]
        lines += [" ".join(m.command) for m in measurements if m.command]
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
        "hand-written ASGI app on the same server (Fastify on Node is compared with bare",
        "ASGI under uvicorn). See bench/README.md.",
        "",
    ]
    return "\n".join(lines) + "\n"
