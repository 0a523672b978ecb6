"""Fault injection: kill and restart a database under load, then check what clients saw.

``python -m lesto_reliability.faults [--db postgres,mysql,redis,mongodb] [--mode kill,restart]
[--cycles N]`` (``hatch run reliability:faults``) prints one JSON report per database and mode.

For each database: start a dedicated server (``lesto_testing.dedicated``: never a
server named by ``LESTO_TEST_<NAME>_URL``, which is not ours to kill), serve
``fault_app`` (``listen()`` in a child process), run writers that POST
``/write/ID`` on keep-alive connections, then stop the server under load and
wait until writes succeed again without restarting the app. The modes:
``kill`` SIGKILLs the server (a crash), keeps the load on for the outage and
``restart()``s it; ``restart`` restarts it cleanly (the server's own shutdown:
PostgreSQL's fast shutdown ends each connection with FATAL 57P01), the outage
lasting as long as the restart. Afterwards every acknowledged write must be
complete and every failed one absent or complete (for Redis, which
lesto-testing runs without persistence, only the writes acknowledged after a
kill can be checked).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import sys
import threading
import time
from dataclasses import asdict, dataclass, field

import lesto_testing

from lesto_reliability.rawhttp import serve

__all__ = ["FaultReport", "run_fault"]

FAIL_FAST_SECONDS = 6.0
"""No request may take longer during the outage (the app's handler_timeout is 5 s)."""


@dataclass
class FaultReport:
    db: str
    mode: str
    acknowledged: int = 0
    failed: int = 0
    outage_answers: dict[str, int] = field(default_factory=dict)
    slowest_outage_answer_s: float = 0.0
    recovered_after_s: float | None = None
    lost_acknowledged: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    app_alive: bool = True

    @property
    def outage_only_503_with_code(self) -> bool:
        return all(key.startswith("503 ") and key != "503 -" for key in self.outage_answers)


@dataclass
class _Load:
    port: int
    results: list[tuple[str, int, str, float, float]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def writer(self, name: str) -> None:
        deadline = time.monotonic() + 120
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        for n in range(1_000_000):
            if self.stop.is_set() or time.monotonic() > deadline:
                break
            key = f"{name}-{n}"
            started = time.monotonic()
            try:
                conn.request("POST", f"/write/{key}")
                response = conn.getresponse()
                body = response.read()
                status, code = response.status, _code(body)
            except (OSError, http.client.HTTPException):
                conn.close()
                status, code = 0, "connection error"
            with self.lock:
                self.results.append((key, status, code, started, time.monotonic()))
            if status != 201:
                time.sleep(0.02)


def _code(body: bytes) -> str:
    try:
        return str(json.loads(body).get("code", "-"))
    except (ValueError, AttributeError):
        return "-"


def _read(port: int, key: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", f"/read/{key}")
    return int(json.loads(conn.getresponse().read())["parts"])


MODES = ("kill", "restart")


def run_fault(
    db: str, *, outage_seconds: float = 2.0, writers: int = 4, mode: str = "kill"
) -> FaultReport:
    """One stop/start cycle of ``db`` under load (``mode``: kill or restart); the report
    says what clients saw."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    report = FaultReport(db, mode)
    with lesto_testing.dedicated(db) as service, service.fresh_database() as url:
        env = dict(os.environ, FAULT_DB=db, FAULT_URL=url)
        with serve("lesto_reliability.fault_app:build", env=env) as server:
            load = _Load(server.port)
            threads = [
                threading.Thread(target=load.writer, args=(f"w{i}",)) for i in range(writers)
            ]
            for thread in threads:
                thread.start()
            time.sleep(1.0)
            outage_start = time.monotonic()
            if mode == "kill":
                service.kill()
                time.sleep(outage_seconds)
            service.restart()
            back = time.monotonic()
            _wait_for_recovery(load, back, report)
            time.sleep(0.5)
            load.stop.set()
            for thread in threads:
                thread.join(60)
            report.app_alive = server.alive()
            _judge(load, report, outage_start, back, server.port)
    return report


def _wait_for_recovery(load: _Load, back: float, report: FaultReport) -> None:
    deadline = back + 30
    while time.monotonic() < deadline:
        with load.lock:
            done = [r for r in load.results if r[1] == 201 and r[3] > back]
        if done:
            report.recovered_after_s = round(min(r[4] for r in done) - back, 3)
            return
        time.sleep(0.05)


def _judge(load: _Load, report: FaultReport, outage_start: float, back: float, port: int) -> None:
    for key, status, code, started, ended in load.results:
        if ended >= outage_start and started <= back:
            report.slowest_outage_answer_s = max(
                report.slowest_outage_answer_s, round(ended - started, 3)
            )
        if status == 201:
            report.acknowledged += 1
            if report.db == "redis" and report.mode == "kill" and started < back:
                continue  # a killed Redis without persistence keeps nothing: not Lesto's to keep
            if _read(port, key) != 2:
                report.lost_acknowledged.append(key)
            continue
        report.failed += 1
        if _read(port, key) not in (0, 2):
            report.partial.append(key)
        if ended >= outage_start and started <= back + (report.recovered_after_s or 0):
            answer = f"{status} {code}"
            report.outage_answers[answer] = report.outage_answers.get(answer, 0) + 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="faults", description=__doc__)
    parser.add_argument("--db", default="postgres,mysql,redis,mongodb")
    parser.add_argument("--mode", default="kill", help="kill, restart or both (kill,restart)")
    parser.add_argument("--cycles", type=int, default=1)
    parser.add_argument(
        "--outage", type=float, default=2.0, help="seconds a killed server stays down"
    )
    args = parser.parse_args(argv)
    ok = True
    for _ in range(args.cycles):
        for db, mode in itertools.product(args.db.split(","), args.mode.split(",")):
            report = run_fault(db, outage_seconds=args.outage, mode=mode)
            print(
                json.dumps(
                    asdict(report) | {"outage_only_503_with_code": report.outage_only_503_with_code}
                )
            )
            ok = ok and _passed(report)
    return 0 if ok else 1


def _passed(report: FaultReport) -> bool:
    return (
        report.app_alive
        and report.recovered_after_s is not None
        and not report.lost_acknowledged
        and not report.partial
        and report.slowest_outage_answer_s <= FAIL_FAST_SECONDS
        and report.outage_only_503_with_code
    )


if __name__ == "__main__":
    sys.exit(main())
