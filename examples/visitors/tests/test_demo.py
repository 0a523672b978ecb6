"""The demo command end to end: start it, talk HTTP to it, stop it with a signal.

The command is the ``demo`` script of hatch.toml, run through a shell as
Hatch runs it (without Hatch itself, whose environment this already is).

It runs with no service URLs configured, so it provisions its own servers;
after the signal the process exits 0 and every server it started is gone.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import tomllib
import urllib.request
from pathlib import Path
from typing import IO, Any

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent
ROOT = EXAMPLE.parent.parent
START = EXAMPLE / "start.py"
CONFIG_VARIABLES = (
    "MONGODB_URL",
    "POSTGRES_URL",
    "REDIS_URL",
    "MYSQL_URL",
    "PROVISION",
    "HOST",
    "PORT",
)
#: A guard against a hung child, not a performance threshold.
GUARD_SECONDS = 180


def demo_command(args: str) -> str:
    """The ``demo`` script of the root hatch.toml, as ``hatch run demo`` runs it (in a shell)."""
    with (ROOT / "hatch.toml").open("rb") as file:
        script: str = tomllib.load(file)["envs"]["default"]["scripts"]["demo"]
    return script.replace("{args}", args)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def pump(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)
    lines.put("")


def wait_for(lines: queue.Queue[str], pattern: str, seen: list[str]) -> re.Match[str]:
    while True:
        line = lines.get(timeout=GUARD_SECONDS)
        seen.append(line)
        if not line:
            raise AssertionError(f"output ended before {pattern!r}:\n" + "".join(seen))
        match = re.search(pattern, line)
        if match:
            return match


def request(method: str, url: str, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("content-type", "application/json")
    with urllib.request.urlopen(req, timeout=GUARD_SECONDS) as response:
        return response.status, json.loads(response.read())


def is_listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_demo_serves_then_stops_cleanly(tmp_path: Path, signum: signal.Signals) -> None:
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    env.update(PORT=str(free_port()), LOG_FORMAT="json")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    empty = tmp_path / "empty.env"
    empty.touch()
    child = subprocess.Popen(
        demo_command(f"--env-file {empty}"),
        shell=True,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=pump, args=(child.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        url = wait_for(lines, r"Visitors demo listening at (\S+)", seen)[1]
        log = "".join(seen)
        assert "MONGODB_URL not set: started" in log
        ports = [int(p) for p in re.findall(r"\(local: [^)]*\) at \w+://[^:]+:(\d+)", log)]

        status, visitor = request("PUT", f"{url}/api/users/ada", {"message": "hi"})
        assert (status, visitor["user_id"]) == (200, "ada")
        status, page = request("GET", f"{url}/api/users")
        assert (status, page["total"], page["rows"][0]["username"]) == (
            200,
            1,
            visitor["username"],
        )
        status, audit = request("GET", f"{url}/api/audit")
        assert (status, audit["total"], audit["rows"][0]["action"]) == (200, 1, "create")
        status, health = request("GET", f"{url}/health")
        assert (status, health["status"]) == (200, "ok")
        assert set(health["checks"]) == {"mongodb", "postgres", "redis", "mysql"}

        child.send_signal(signum)
        assert child.wait(timeout=GUARD_SECONDS) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    wait_for(lines, r"stopped cleanly", seen)
    assert not [port for port in ports if is_listening(port)]
    assert not is_listening(int(env["PORT"]))


def test_demo_explains_a_service_it_cannot_start(
    tmp_path: Path, mongodb_url: str, postgres_url: str, mysql_url: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    env.update(
        MONGODB_URL=mongodb_url,
        POSTGRES_URL=postgres_url,
        MYSQL_URL=mysql_url,
        PORT="0",
        LESTO_TEST_BACKEND="local",
        LESTO_TEST_REDIS_BIN=str(tmp_path / "no-redis-here"),
    )
    done = subprocess.run(
        [sys.executable, str(START)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
        check=False,
    )
    assert done.returncode == 1
    assert "cannot start: REDIS_URL is not set and no redis server could be started" in done.stdout
    assert "MONGODB_URL not set" not in done.stdout  # configured URLs are used as given
