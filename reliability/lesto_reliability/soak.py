"""Load and soak: wrk on loopback against the example app (examples/visitors).

``hatch run reliability:soak --minutes N`` starts the example app (its
databases from lesto-testing), warms it up, then drives a mix of routes
(database reads and writes included, ``soak.lua``) with wrk for N minutes and
prints a JSON report: error count (non-2xx/3xx answers and socket errors,
must be 0), p99 latency, RSS after warm-up and at the end (growth must stay
under 10 %), open file descriptors and database connections (must not grow).
Exit status 0 when every criterion holds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LUA = Path(__file__).with_name("soak.lua")
MAX_RSS_GROWTH = 0.10
#: Descriptors a run may add beyond what pool growth explains (sockets closing late).
MAX_UNEXPLAINED_FDS = 2

__all__ = ["main", "soak"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def unexplained_fds(start: dict[str, int], end: dict[str, int]) -> int:
    """Descriptors opened after warm-up that the database pools' growth does not explain."""
    pool_growth = max(0, end["db_connections"] - start["db_connections"])
    return end["fds"] - start["fds"] - pool_growth


def _fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        path = f"/proc/{pid}/fd/{fd}"
        target = os.readlink(path) if os.path.exists(path) else ""
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _inbound_connections(pid: int, listen_port: int) -> int:
    """Accepted client sockets of ``pid`` still open (wrk's, closing): not a leak."""
    inodes = _socket_inodes(pid)
    count = 0
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == listen_port and fields[3] != "0A" and fields[9] in inodes:
                count += 1
    return count


def _outbound_connections(pid: int, listen_port: int) -> int:
    """Established TCP connections of ``pid`` that it opened (its database connections)."""
    inodes = _socket_inodes(pid)
    count = 0
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if fields[3] == "01" and fields[9] in inodes and local_port != listen_port:
                count += 1
    return count


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the example app exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the example app did not become healthy")


def _wrk(url: str, seconds: int, connections: int) -> dict[str, Any]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    out = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(LUA), url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    return _parse_wrk(out)


def _parse_wrk(out: str) -> dict[str, Any]:
    def number(pattern: str) -> int:
        match = re.search(pattern, out)
        return int(match.group(1)) if match else 0

    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "requests": number(r"(\d+) requests in"),
        "non_2xx_3xx": number(r"Non-2xx or 3xx responses: (\d+)"),
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
        "p99_ms": round(float(p99.group(1)) * scale[p99.group(2)], 3) if p99 else None,
        "requests_per_s": float(m.group(1))
        if (m := re.search(r"Requests/sec:\s+([\d.]+)", out))
        else 0.0,
    }


def _seed(url: str) -> None:
    """The animal ``soak.lua`` reads, so that no read races its first write."""
    request = urllib.request.Request(
        url + "/animals",
        data=b'{"animal": "cat"}',
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201


def _sample(pid: int, port: int) -> dict[str, int]:
    """RSS, fds (accepted client sockets excluded) and database connections (lowest of 5 reads)."""
    samples = []
    for _ in range(5):
        time.sleep(0.4)
        inbound = _inbound_connections(pid, port)
        samples.append((_rss_kib(pid), _fds(pid) - inbound, _outbound_connections(pid, port)))
    rss, fds, db = (min(column) for column in zip(*samples, strict=True))
    return {"rss_kib": rss, "fds": fds, "db_connections": db}


def soak(minutes: float, connections: int = 16) -> dict[str, Any]:
    """Run the soak and return its report (``passed`` says whether every criterion holds)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, PORT=str(port), HOST="127.0.0.1", LOG_LEVEL="warn")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "examples" / "visitors" / "start.py")], cwd=ROOT, env=env
    )
    try:
        _wait_ready(url, process)
        _seed(url)
        total = max(int(minutes * 60), 20)
        warm_up = min(max(total // 5, 10), 60)
        warm = _wrk(url, warm_up, connections)
        start = _sample(process.pid, port)
        run = _wrk(url, total - warm_up, connections)
        end = _sample(process.pid, port)
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    errors = warm["non_2xx_3xx"] + warm["socket_errors"] + run["non_2xx_3xx"] + run["socket_errors"]
    growth = (end["rss_kib"] - start["rss_kib"]) / start["rss_kib"]
    report = {
        "minutes": minutes,
        "connections": connections,
        "warm_up": warm,
        "run": run,
        "after_warm_up": start,
        "end": end,
        "errors": errors,
        "rss_growth": round(growth, 4),
        "exit_code": process.returncode,
    }
    report["passed"] = (
        errors == 0
        and growth < MAX_RSS_GROWTH
        and unexplained_fds(start, end) <= MAX_UNEXPLAINED_FDS
        and end["db_connections"] <= max(start["db_connections"], 1) * 2
        and process.returncode == 0
    )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="soak", description=__doc__)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args(argv)
    report = soak(args.minutes, args.connections)
    print(json.dumps(report, indent=2))
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
