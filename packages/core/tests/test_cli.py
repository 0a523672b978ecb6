"""``lesto run``: loading targets, serving over a real socket, graceful exit on signals."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lesto.cli import CLIError, is_asgi_app, resolve

APP_MODULE = textwrap.dedent(
    """
    import os

    class App:
        async def __call__(self, scope, receive, send):
            if scope["type"] == "lifespan":
                while True:
                    message = await receive()
                    if message["type"] == "lifespan.startup":
                        await send({"type": "lifespan.startup.complete"})
                    else:
                        open(os.environ["SHUTDOWN_MARK"], "w").write("closed")
                        await send({"type": "lifespan.shutdown.complete"})
                        return
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": os.environ["ANSWER"].encode()})

    app = App()

    def factory():
        return App()

    async def async_factory():
        return App()

    def broken_factory():
        return 42
    """
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "cli_target.py").write_text(APP_MODULE)
    return tmp_path


def wait_for(url: str, proc: subprocess.Popen[bytes]) -> httpx.Response:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        try:
            return httpx.get(url, timeout=1)
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered")


@pytest.fixture
def run_cli(project: Path) -> Iterator[object]:
    started: list[subprocess.Popen[bytes]] = []

    def start(target: str, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
        port = free_port()
        env = {**os.environ, "ANSWER": target, "SHUTDOWN_MARK": str(project / "mark")}
        proc = subprocess.Popen(
            [sys.executable, "-m", "lesto.cli", "run", target, "--port", str(port), *extra],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        started.append(proc)
        return proc, f"http://127.0.0.1:{port}/"

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()


@pytest.mark.parametrize(
    "target", ["cli_target:app", "cli_target:factory", "cli_target:async_factory"]
)
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serves_and_closes_gracefully_on_signal(
    run_cli: object, project: Path, target: str, sig: signal.Signals
) -> None:
    proc, url = run_cli(target)  # type: ignore[operator]
    response = wait_for(url, proc)
    assert (response.status_code, response.text) == (200, target)
    proc.send_signal(sig)
    assert proc.wait(timeout=60) == 0
    assert (project / "mark").read_text() == "closed"


def test_bad_target_exits_2_with_a_message(run_cli: object) -> None:
    proc, _ = run_cli("cli_target:missing")  # type: ignore[operator]
    assert proc.wait(timeout=60) == 2
    assert b"has no attribute 'missing'" in proc.stderr.read()  # type: ignore[union-attr]


def test_reload_and_workers_cannot_be_combined(run_cli: object) -> None:
    proc, _ = run_cli("cli_target:app", "--reload", "--workers", "2")  # type: ignore[operator]
    assert proc.wait(timeout=60) == 2


def test_resolve_errors_name_the_problem(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    monkeypatch.setattr(sys, "path", list(sys.path))
    with pytest.raises(CLIError, match="module:app"):
        resolve("no_colon")
    with pytest.raises(CLIError, match="cannot import module"):
        resolve("does_not_exist_anywhere:app")
    app = resolve("cli_target:app")
    assert is_asgi_app(app)
    assert not is_asgi_app(resolve("cli_target:factory"))
