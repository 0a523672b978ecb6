"""Graceful shutdown: SIGTERM under load, to ``lesto run`` and to an app in ``listen()``.

Checked: in-flight requests complete; new requests get 503 with
``Connection: close`` (or find the listener closed); close hooks run in
order and the Redis pool is closed; the process exits 0 in time; no
acknowledged write is lost.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
from lesto_reliability.rawhttp import RELIABILITY, wait_until

LESTO = str(Path(sys.executable).with_name("lesto"))
EXPECTED_EVENTS = ["pre_close", "routes closed", "root closed; redis connections left: 0"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Outcomes:
    acknowledged: list[str] = field(default_factory=list)
    refused: list[tuple[int, str | None, bytes]] = field(default_factory=list)
    dropped: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def writer(port: int, name: str, outcomes: Outcomes, stop: threading.Event) -> None:
    """POST /write/ID on a keep-alive connection until the server is gone (bounded: 20 s)."""
    deadline = time.monotonic() + 20
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    failures = 0
    for n in range(100_000):
        if stop.is_set() or time.monotonic() > deadline or failures >= 3:
            break
        key = f"{name}-{n}"
        try:
            conn.request("POST", f"/write/{key}")
            response = conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            with outcomes.lock:
                outcomes.dropped += 1
            failures += 1
            conn.close()
            time.sleep(0.05)
            continue
        with outcomes.lock:
            if response.status == 201:
                outcomes.acknowledged.append(key)
            else:
                outcomes.refused.append((response.status, response.getheader("connection"), body))
        if response.getheader("connection") == "close":
            conn.close()
    conn.close()


def slow_request(port: int, results: list[tuple[int, bytes]]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request("GET", "/slow?s=1.5")
    response = conn.getresponse()
    results.append((response.status, response.read()))


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    port: int
    events: Path


@pytest.fixture(params=["lesto run", "listen()"])
def running(request: pytest.FixtureRequest, redis_url: str, tmp_path: Path) -> Iterator[Running]:
    events = tmp_path / "events.txt"
    env = dict(os.environ, RELIABILITY_REDIS_URL=redis_url, RELIABILITY_EVENTS=str(events))
    target = "lesto_reliability.shutdown_app:build"
    if request.param == "lesto run":
        port = free_port()
        command = [LESTO, "run", target, "--port", str(port), "--log-level", "warning"]
        process = subprocess.Popen(command, cwd=RELIABILITY, env=env)
    else:
        command = [sys.executable, "-m", "lesto_reliability.serve", target]
        process = subprocess.Popen(command, cwd=RELIABILITY, env=env, stdout=subprocess.PIPE)
        assert process.stdout is not None
        port = int(process.stdout.readline().decode().rsplit(":", 1)[1])
    try:
        assert wait_until(lambda: _health(port), timeout=20), "the app did not start"
        yield Running(process, port, events)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _health(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        conn.request("GET", "/health")
        return conn.getresponse().status == 200
    except OSError:
        return False


def test_sigterm_under_load(running: Running, redis_url: str) -> None:
    outcomes, stop = Outcomes(), threading.Event()
    writers = [
        threading.Thread(target=writer, args=(running.port, f"w{i}", outcomes, stop))
        for i in range(6)
    ]
    for thread in writers:
        thread.start()
    time.sleep(0.7)
    slow_results: list[tuple[int, bytes]] = []
    slow = [
        threading.Thread(target=slow_request, args=(running.port, slow_results)) for _ in range(3)
    ]
    for thread in slow:
        thread.start()
    time.sleep(0.3)
    running.process.send_signal(signal.SIGTERM)
    sent_at = time.monotonic()
    code = running.process.wait(timeout=20)
    exit_seconds = time.monotonic() - sent_at
    stop.set()
    for thread in [*writers, *slow]:
        thread.join(20)

    assert code == 0
    assert exit_seconds < 12  # uvicorn's graceful timeout (10 s) plus close hooks
    assert slow_results == [(200, b'{"slow":true}')] * 3  # in-flight requests completed
    assert running.events.read_text().splitlines() == EXPECTED_EVENTS
    stored = redis.Redis.from_url(redis_url)
    missing = [key for key in outcomes.acknowledged if not stored.exists(f"write:{key}")]
    assert outcomes.acknowledged
    assert missing == []
    for status, connection, body in outcomes.refused:
        assert (status, connection) == (503, "close"), (status, connection, body)
        assert b"LST_ERR_SERVICE_UNAVAILABLE" in body
    assert outcomes.refused, "no request arrived during the shutdown to be answered 503"
