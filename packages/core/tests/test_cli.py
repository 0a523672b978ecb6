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


# --- a real Lesto application ------------------------------------------------------------------

LESTO_MODULE = textwrap.dedent(
    """
    import os

    from lesto import Lesto


    def build():
        app = Lesto()

        @app.get("/")
        def index(request, reply):
            return {"pid": os.getpid(), "answer": os.environ["ANSWER"]}

        def closed(instance):
            with open(os.environ["SHUTDOWN_MARK"], "a") as mark:
                mark.write("closed\\n")

        app.add_hook("on_close", closed)
        return app


    app = build()


    async def async_build():
        return build()
    """
)


@pytest.fixture
def lesto_project(project: Path) -> Path:
    (project / "lesto_target.py").write_text(LESTO_MODULE)
    return project


@pytest.mark.parametrize(
    "target", ["lesto_target:app", "lesto_target:build", "lesto_target:async_build"]
)
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_lesto_app_serves_and_closes_on_signal(
    run_cli: object, lesto_project: Path, target: str, sig: signal.Signals
) -> None:
    proc, url = run_cli(target)  # type: ignore[operator]
    response = wait_for(url, proc)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {"pid": proc.pid, "answer": target}
    proc.send_signal(sig)
    assert proc.wait(timeout=60) == 0
    assert (lesto_project / "mark").read_text() == "closed\n"


def test_workers_serve_from_several_processes(run_cli: object, lesto_project: Path) -> None:
    proc, url = run_cli("lesto_target:build", "--workers", "2")  # type: ignore[operator]
    response = wait_for(url, proc)
    assert response.json()["answer"] == "lesto_target:build"
    assert response.json()["pid"] != proc.pid  # a worker answered, not the supervisor
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    assert (lesto_project / "mark").read_text().count("closed") == 2


def test_reload_starts_and_serves(run_cli: object, lesto_project: Path) -> None:
    proc, url = run_cli("lesto_target:app", "--reload")  # type: ignore[operator]
    response = wait_for(url, proc)
    assert (response.status_code, response.json()["answer"]) == (200, "lesto_target:app")
    assert response.json()["pid"] != proc.pid  # served by the reloader's child process
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) == 0


def test_a_plugin_that_fails_to_load_stops_the_command(run_cli: object, project: Path) -> None:
    (project / "broken_target.py").write_text(
        textwrap.dedent(
            """
            from lesto import Lesto

            app = Lesto()

            def db(instance, opts):
                raise ConnectionError("database unreachable")

            app.register(db)
            """
        )
    )
    proc, _ = run_cli("broken_target:app")  # type: ignore[operator]
    assert proc.wait(timeout=60) != 0
    assert b"database unreachable" in proc.stderr.read()  # type: ignore[union-attr]


def test_app_run_serves_until_sigint_then_closes(project: Path) -> None:
    (project / "run_target.py").write_text(
        textwrap.dedent(
            """
            import os
            import sys

            from lesto import Lesto

            app = Lesto()
            app.get("/", lambda request, reply: "from app.run")
            app.add_hook("on_close", lambda instance: open(os.environ["MARK"], "w").write("closed"))
            app.run(port=int(sys.argv[1]))
            """
        )
    )
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "run_target.py", str(port)],
        cwd=project,
        env={**os.environ, "MARK": str(project / "mark")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        response = wait_for(f"http://127.0.0.1:{port}/", proc)
        assert (response.status_code, response.text) == (200, "from app.run")
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        assert (project / "mark").read_text() == "closed"
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stderr:
            proc.stderr.close()


def test_lesto_run_answers_503_while_closing_and_lets_in_flight_requests_finish(
    run_cli: object, project: Path
) -> None:
    import http.client
    import threading

    (project / "slow_target.py").write_text(
        textwrap.dedent(
            """
            import asyncio

            from lesto import Lesto

            app = Lesto()
            app.get("/", lambda request, reply: "ok")

            @app.get("/slow")
            async def slow(request, reply):
                await asyncio.sleep(1.5)
                return "slow done"
            """
        )
    )
    proc, url = run_cli("slow_target:app")  # type: ignore[operator]
    wait_for(url, proc)
    port = int(url.rsplit(":", 1)[1].strip("/"))
    idle = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    idle.request("GET", "/")
    assert idle.getresponse().read() == b"ok"  # a kept-alive connection, idle at SIGTERM
    slow: list[tuple[int, bytes]] = []

    def in_flight() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/slow")
        response = conn.getresponse()
        slow.append((response.status, response.read()))

    thread = threading.Thread(target=in_flight)
    thread.start()
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    idle.request("GET", "/")
    refused = idle.getresponse()
    assert (refused.status, refused.getheader("connection")) == (503, "close")
    assert b"LST_ERR_SERVICE_UNAVAILABLE" in refused.read()
    thread.join(10)
    assert slow == [(200, b"slow done")]
    assert proc.wait(timeout=30) == 0
