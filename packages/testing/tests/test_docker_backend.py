"""Docker engine detection: a quick, clean "no engine" when none answers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import lesto_testing
import pytest
from lesto_testing import LST_TESTING_ERR_NO_BACKEND
from lesto_testing._docker import engine_address, engine_problem, probe_engine


def test_this_machine_is_told_in_under_two_seconds() -> None:
    began = time.monotonic()
    problem = engine_problem()
    assert time.monotonic() - began < 2
    assert problem is None or problem.startswith("no Docker engine")


def test_a_missing_socket_is_no_engine(tmp_path: Path) -> None:
    problem = probe_engine(f"unix://{tmp_path}/docker.sock")
    assert problem is not None
    assert "no Docker engine" in problem


def test_a_closed_port_is_no_engine() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert probe_engine(f"tcp://127.0.0.1:{port}") is not None


@pytest.fixture
def silent_listener() -> Iterator[str]:
    """A TCP port that accepts connections and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield f"tcp://127.0.0.1:{sock.getsockname()[1]}"


def test_a_listener_that_never_answers_is_no_engine_within_the_budget(silent_listener: str) -> None:
    began = time.monotonic()
    assert probe_engine(silent_listener) is not None
    assert time.monotonic() - began < 2


def test_an_engine_answering_its_ping_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "engine.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.listen()

    def answer() -> None:
        conn, _ = server.accept()
        with conn:
            conn.recv(1024)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK")

    thread = threading.Thread(target=answer)
    thread.start()
    try:
        assert probe_engine(f"unix://{path}") is None
    finally:
        thread.join()
        server.close()


def test_docker_host_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:1")
    assert engine_address() == "tcp://127.0.0.1:1"


def test_forcing_docker_without_an_engine_is_an_error_naming_docker(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/none.sock")
    monkeypatch.setenv("LESTO_TEST_BACKEND", "docker")
    began = time.monotonic()
    with pytest.raises(LST_TESTING_ERR_NO_BACKEND) as caught:
        lesto_testing.start("postgres")
    assert time.monotonic() - began < 2
    assert "docker: no Docker engine" in str(caught.value)
