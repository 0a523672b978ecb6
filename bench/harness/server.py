"""Start a server pinned to a core, wait until it answers, check its answers, stop it."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness.scenarios import Probe, Scenario
from harness.targets import Target

STARTUP_TIMEOUT = 30.0
# Logs of the logging scenario grow by megabytes a second; only their tail is kept.
LOG_KEEP_BYTES = 64 * 1024


class ServerError(Exception):
    """The server did not start, or answered something other than the expected body."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pinned(command: list[str], cpu: int | None) -> list[str]:
    return command if cpu is None else ["taskset", "-c", str(cpu), *command]


@contextmanager
def running(
    target: Target,
    scenario: Scenario,
    cpu: int | None,
    log_path: Path,
    extra_env: dict[str, str] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Run the target's server for `scenario`; yields its port and the command used."""
    port = free_port()
    command = pinned(target.command(scenario.app_dir, port), cpu)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            command,
            env=target.environment(port, extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_listening(proc, port, log_path)
            yield port, command
        finally:
            stop(proc)
            trim(log_path)


def trim(log_path: Path) -> None:
    """Keep only the last LOG_KEEP_BYTES of a large log."""
    size = log_path.stat().st_size
    if size <= LOG_KEEP_BYTES:
        return
    with log_path.open("rb") as log:
        log.seek(size - LOG_KEEP_BYTES)
        tail = log.read()
    log_path.write_bytes(f"[first {size - len(tail)} bytes dropped]\n".encode() + tail)


def wait_until_listening(proc: subprocess.Popen[bytes], port: int, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"exited with code {proc.returncode}: {last_line(log_path)}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise ServerError(f"did not listen within {STARTUP_TIMEOUT:.0f}s")


def last_line(log_path: Path) -> str:
    """The log's last exception line (`...Error: ...`), else its last line."""
    lines = [line.strip() for line in log_path.read_text(errors="replace").splitlines()]
    lines = [line for line in lines if line]
    errors = [line for line in lines if re.match(r"^[\w.]+(Error|Exception)\b", line)]
    found = errors or lines
    return found[-1][:200] if found else "(no output)"


def stop(proc: subprocess.Popen[bytes]) -> None:
    """End the server's process group (it was started in a session of its own)."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def request(port: int, probe: Probe) -> tuple[int, str, bytes]:
    headers = {"content-type": "application/json"} if probe.body is not None else {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(probe.method, probe.path, body=probe.body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("content-type", ""), response.read()
    except OSError as exc:
        raise ServerError(f"{probe.method} {probe.path}: {exc}") from exc
    finally:
        conn.close()


def check(port: int, scenario: Scenario) -> None:
    """The measured request must return status 200 and exactly the expected JSON;
    each rejected request must get a 4xx, so a server that skips validation is caught."""
    probe = scenario.probe
    status, content_type, body = request(port, probe)
    if status != 200 or not content_type.startswith("application/json"):
        raise ServerError(
            f"{probe.method} {probe.path} -> {status} {content_type!r} {body[:120]!r}"
        )
    try:
        got = json.loads(body)
    except ValueError as exc:
        raise ServerError(f"{probe.method} {probe.path} -> not JSON: {body[:120]!r}") from exc
    if got != probe.json:
        raise ServerError(f"{probe.method} {probe.path} -> {got!r}, expected {probe.json!r}")
    for reject in scenario.rejects:
        status, _, body = request(port, reject)
        if not 400 <= status < 500:
            raise ServerError(
                f"{reject.method} {reject.path} -> {status} {body[:120]!r}, expected a 4xx"
            )
