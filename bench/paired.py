"""Lesto against the bare ASGI app on one core at the same time: the most precise req/s ratio here.

    hatch run bench:paired                                    # hello, postgres, redis
    hatch run bench:paired --scenario postgres --rounds 10 --server granian
    git worktree add /tmp/base HEAD && hatch run bench:paired --against /tmp/base

How it works and why: harness/paired.py. Each round prints the pair; the last lines
are a table of the median ratios and their ranges. `run.py` runs the same pairs for
its report.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from harness import machine
from harness.paired import PAIRS, SCENARIO_NAMES, run_all, table
from harness.services import Services


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", action="append", choices=SCENARIO_NAMES)
    parser.add_argument("--server", action="append", choices=sorted(PAIRS))
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument(
        "--against",
        type=Path,
        metavar="CHECKOUT",
        help="pair Lesto with Lesto run from another checkout of this repository instead of"
        " the bare app: the ratio is this tree's / that one's (did a change help?)",
    )
    args = parser.parse_args()
    pins = machine.pinning()
    with Services(pin_cpu=pins.wrk_cpu) as services:  # each database started once
        results = run_all(
            services,
            args.scenario or ["hello", "postgres", "redis"],
            args.server or ["uvicorn"],
            args.rounds,
            args.seconds,
            args.against,
        )
    reference = "bare" if args.against is None else f"Lesto at {args.against}"
    print("\n" + "\n".join(table(results, reference)))
    if any(found.problem for found in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
