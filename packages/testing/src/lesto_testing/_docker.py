"""The docker backend: testcontainers containers, when a Docker engine answers.

Detection speaks HTTP to the engine's socket directly (``GET /_ping``) with a
one-second budget per step, so a machine with the docker CLI but no daemon
is told "no engine" in well under two seconds; the CLI is never run.
"""

from __future__ import annotations

import importlib
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ._process import LaunchError
from ._specs import Spec

PING_TIMEOUT = 1.0
_PING = b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"
_cache: dict[str, str | None] = {}
_cache_lock = threading.Lock()


def engine_address() -> str:
    """Where the Docker engine should be: ``DOCKER_HOST``, else the usual sockets."""
    configured = os.environ.get("DOCKER_HOST")
    if configured:
        return configured
    candidates = [Path("/var/run/docker.sock"), Path.home() / ".docker/run/docker.sock"]
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        candidates.append(Path(runtime) / "docker.sock")
    existing = [c for c in candidates if c.exists()]
    return f"unix://{(existing or candidates)[0]}"


def probe_engine(address: str, timeout: float = PING_TIMEOUT) -> str | None:
    """``None`` when the engine at ``address`` answers its ping, else why not."""
    parts = urlsplit(address)
    try:
        if parts.scheme == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(parts.path)
        elif parts.scheme in ("tcp", "http"):
            sock = socket.create_connection((parts.hostname, parts.port or 2375), timeout)
            sock.settimeout(timeout)
        else:
            return f"unsupported DOCKER_HOST scheme {parts.scheme!r}"
        with sock:
            sock.sendall(_PING)
            answer = _read_status(sock, time.monotonic() + timeout)
    except OSError as error:
        return f"no Docker engine at {address} ({error.strerror or error})"
    if b" 200 " not in answer:
        return f"no Docker engine at {address} (it answered {answer[:40]!r})"
    return None


def _read_status(sock: socket.socket, deadline: float) -> bytes:
    data = b""
    while b"\r\n" not in data and time.monotonic() < deadline:
        chunk = sock.recv(1024)
        if not chunk:
            break
        data += chunk
    return data.split(b"\r\n", 1)[0]


def engine_problem() -> str | None:
    """:func:`probe_engine` of :func:`engine_address`, asked once per process and address."""
    address = engine_address()
    with _cache_lock:
        if address not in _cache:
            _cache[address] = probe_engine(address)
        return _cache[address]


def locate(spec: Spec) -> DockerRunner | str:
    """A runner for ``spec`` in a container, or why the docker backend cannot serve it."""
    problem = engine_problem()
    if problem is not None:
        return problem
    try:
        container_module = importlib.import_module("testcontainers.core.container")
    except ImportError:
        return "testcontainers is missing: pip install 'lesto-testing[testcontainers]'"
    return DockerRunner(spec, container_module.DockerContainer)


class DockerRunner:
    """A container started with testcontainers (its Ryuk sidecar removes it if we die)."""

    backend = "docker"
    shared = False

    def __init__(self, spec: Spec, container_class: Any) -> None:
        self.description = spec.image
        self._spec = spec
        container = container_class(spec.image).with_exposed_ports(spec.image_port)
        for key, value in spec.image_env.items():
            container = container.with_env(key, value)
        if spec.image_command:
            container = container.with_command(spec.image_command)
        self._container = container
        self._started = False
        self.url = ""

    def launch(self) -> None:
        """Create and start the container, or start it again after :meth:`halt`."""
        try:
            if self._started:
                self._container.get_wrapped_container().start()
            else:
                self._container.start()
                self._started = True
        except Exception as error:
            raise LaunchError(f"docker: {error}") from error
        self.url = self._address()

    def _address(self) -> str:
        host = self._container.get_container_host_ip()
        port = self._container.get_exposed_port(self._spec.image_port)
        return self._spec.url_pattern.format(host=host, port=port)

    def alive(self) -> bool:
        """Whether the container is running."""
        wrapped = self._container.get_wrapped_container()
        wrapped.reload()
        return bool(wrapped.status == "running")

    def log_tail(self) -> str:
        """The end of the container's output."""
        stdout, stderr = self._container.get_logs()
        text = (stdout + stderr).decode(errors="replace")
        return "\n".join(text.splitlines()[-40:])

    def halt(self) -> None:
        """Stop the container, keeping it for :meth:`launch`."""
        self._container.get_wrapped_container().stop()

    def kill(self) -> None:
        """SIGKILL the container's main process."""
        self._container.get_wrapped_container().kill()

    def discard(self) -> None:
        """Remove the container."""
        if self._started:
            self._container.stop()
            self._started = False
