"""One PNG per scenario (matplotlib): median req/s per system, whiskers from min to max."""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.report import Measurement
from harness.scenarios import Scenario

if TYPE_CHECKING:
    from harness.boot import BootResult

COLOURS = {"lesto": "#d62728", "bare": "#7f7f7f", "fastify": "#1f77b4"}
PEER_COLOUR = "#2ca02c"


def colour(framework: str) -> str:
    return COLOURS.get(framework, PEER_COLOUR)


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def bar_chart(
    title: str, labels: list[str], values: list[float], low: list[float], high: list[float],
    colours: list[str], xlabel: str, path: Path,
) -> None:  # fmt: skip
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(labels) + 1.4))
    y = list(range(len(labels)))[::-1]
    errors = [
        [v - lo for v, lo in zip(values, low, strict=True)],
        [hi - v for v, hi in zip(values, high, strict=True)],
    ]
    ax.barh(y, values, color=colours, xerr=errors, capsize=3)
    ax.set_yticks(y, labels)
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=10)
    for yy, value in zip(y, values, strict=True):
        ax.text(value, yy, f" {value:,.0f}", va="center", fontsize=8)
    ax.margins(x=0.15)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def scenario_chart(
    scenario: Scenario, measurements: list[Measurement], folder: Path
) -> Path | None:
    ok = [m for m in measurements if m.ok]
    if not ok:
        return None
    path = folder / f"{scenario.name}.png"
    bar_chart(
        f"{scenario.name}: req/s (median of {len(ok[0].runs)} runs, whiskers min-max)",
        [f"{m.target.display} @{m.target.server}" for m in ok],
        [m.median_rps for m in ok],
        [min(r.requests_per_sec for r in m.runs) for m in ok],
        [max(r.requests_per_sec for r in m.runs) for m in ok],
        [colour(m.target.framework) for m in ok],
        "requests per second (higher is better)",
        path,
    )
    return path


def boot_chart(results: "list[BootResult]", folder: Path) -> Path | None:
    ok = [b for b in results if b.ok]
    if not ok:
        return None
    path = folder / "boot.png"
    bar_chart(
        "boot: 100 plugins x 10 routes, build + ready + first request (ms, median)",
        [b.framework for b in ok],
        [b.median("app_ms") for b in ok],
        [min(s["app_ms"] for s in b.samples) for b in ok],
        [max(s["app_ms"] for s in b.samples) for b in ok],
        [colour(b.framework) for b in ok],
        "milliseconds (lower is better)",
        path,
    )
    return path


def draw(
    scenarios: list[Scenario], results: dict[str, list[Measurement]],
    boot_results: "list[BootResult] | None", folder: Path,
) -> dict[str, Path]:  # fmt: skip
    """Write the charts; returns scenario name -> PNG. Charts are skipped without matplotlib."""
    try:
        _pyplot()
    except ImportError:
        print("matplotlib not installed: no charts", flush=True)
        return {}
    files: dict[str, Path] = {}
    for scenario in scenarios:
        path = scenario_chart(scenario, results.get(scenario.name, []), folder)
        if path is not None:
            files[scenario.name] = path
    if boot_results:
        path = boot_chart(boot_results, folder)
        if path is not None:
            files["boot"] = path
    return files
