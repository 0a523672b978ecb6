"""The :class:`Service` handle, whatever backend provides the server."""

from __future__ import annotations

import atexit
import itertools
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Protocol
from urllib.parse import urlsplit

from ._config import start_timeout, worker_id, worker_number
from ._drivers import driver_for
from ._process import LaunchError
from ._specs import Spec
from .errors import (
    LST_TESTING_ERR_DRIVER_MISSING,
    LST_TESTING_ERR_START_FAILED,
    LST_TESTING_ERR_STOPPED,
    LST_TESTING_ERR_UNSUPPORTED,
)

POLL_INTERVAL = 0.05
_TOKEN = secrets.token_hex(3)
_COUNTER = itertools.count(1)


class Runner(Protocol):
    """What a backend provides for one server."""

    backend: str
    shared: bool
    description: str

    @property
    def url(self) -> str:
        """The server's URL (valid after :meth:`launch`)."""
        ...

    def launch(self) -> None:
        """Start the server (or start it again after :meth:`halt` or :meth:`kill`)."""
        ...

    def alive(self) -> bool:
        """Whether the server process still runs."""
        ...

    def log_tail(self) -> str:
        """The end of the server's log, for error messages."""
        ...

    def halt(self) -> None:
        """Stop the server cleanly, keeping its data."""
        ...

    def kill(self) -> None:
        """Stop the server with SIGKILL."""
        ...

    def discard(self) -> None:
        """Stop the server and remove its data."""
        ...


def database_name() -> str:
    """A database name unique to this process, worker and call: ``lesto_<token>_<worker>_<n>``."""
    return f"lesto_{_TOKEN}_{worker_id()}_{next(_COUNTER)}"


class Service:
    """A running PostgreSQL, MariaDB/MySQL, Redis or MongoDB server, and how to reach it.

    Attributes:
        name: ``"postgres"``, ``"mysql"``, ``"redis"`` or ``"mongodb"``.
        backend: ``"env"``, ``"docker"`` or ``"local"``.
        description: where the server comes from (an executable, an image, a URL).
        url: the server's URL.
        version: the version the server reports.
        startup_seconds: time from the call that started it to the first usable URL.
    """

    def __init__(self, spec: Spec, runner: Runner) -> None:
        self.name = spec.name
        self.title = spec.title
        self.backend = runner.backend
        self.description = runner.description
        self.url = ""
        self.version = ""
        self.startup_seconds = 0.0
        self._runner = runner
        self._stopped = False
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"<Service {self.name} {self.backend} {self.version} {self.url}>"

    def __enter__(self) -> Service:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """Whether the server's process runs (always true for a server from the env backend)."""
        return not self._stopped and self._runner.alive()

    def start(self, timeout: float) -> None:
        """Start the server and wait until it answers; on failure, remove what was made."""
        began = time.monotonic()
        with self._lock:
            try:
                self._bring_up(timeout)
            except BaseException:
                self._runner.discard()
                self._stopped = True
                raise
            _LIVE.add(self)
        self.startup_seconds = time.monotonic() - began

    def stop(self) -> None:
        """Stop the server and remove its data (a no-op for the env backend); idempotent."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            _LIVE.discard(self)
            self._runner.discard()

    def restart(self, timeout: float | None = None) -> None:
        """Stop the server cleanly and start it again on the same port with the same data.

        After :meth:`kill`, this is a restart after a crash (Redis then
        starts empty: it keeps nothing on disk).
        """
        with self._lock:
            self._check_managed("restarted", "restart")
            self._runner.halt()
            self._bring_up(start_timeout() if timeout is None else timeout)

    def ensure_running(self, timeout: float | None = None) -> None:
        """Restart the server if it is down (a test killed it); return at once if it runs.

        Meant for the cleanup of a fault test, so that the next test finds the
        server up whatever this one did to it::

            try:
                service.kill()
                ...
            finally:
                service.ensure_running()

        A server from the env backend counts as running: this returns at once.

        Raises:
            LST_TESTING_ERR_STOPPED: the service was stopped with :meth:`stop`.
            LST_TESTING_ERR_START_FAILED: the restarted server did not answer in time.
        """
        with self._lock:
            if self._stopped:
                raise LST_TESTING_ERR_STOPPED(self.title, "restarted")
            if not self._runner.alive():
                self.restart(timeout)

    def kill(self) -> None:
        """SIGKILL the server (a crash): connections fail until :meth:`restart`."""
        with self._lock:
            self._check_managed("killed", "be killed")
            self._runner.kill()

    @contextmanager
    def fresh_database(self) -> Iterator[str]:
        """Yield the URL of an empty database, removed (or flushed) on exit.

        PostgreSQL and MariaDB/MySQL get a new database, MongoDB a new
        database name, Redis a database index that is flushed before and
        after. Names carry the pytest-xdist worker, so workers sharing a
        server never meet.
        """
        driver = driver_for(self.name)
        index = _url_index(self.url) + (worker_number() if self._runner.shared else 0)
        url = driver.fresh(self.url, database_name(), index)
        try:
            yield url
        finally:
            driver.discard(self.url, url)

    def _check_managed(self, done: str, action: str) -> None:
        if self._stopped:
            raise LST_TESTING_ERR_STOPPED(self.title, done)
        if self.backend == "env":
            reason = "the server is not managed by lesto-testing"
            raise LST_TESTING_ERR_UNSUPPORTED(self.title, self.backend, action, reason)

    def _bring_up(self, timeout: float) -> None:
        try:
            self._runner.launch()
            self.url = self._runner.url
            self.version = self._wait_ready(time.monotonic() + timeout)
        except LaunchError as error:
            raise LST_TESTING_ERR_START_FAILED(
                self.title, self.backend, str(error), self._log_excerpt()
            ) from error

    def _wait_ready(self, deadline: float) -> str:
        driver = driver_for(self.name)
        while True:
            try:
                return driver.probe(self.url, max(0.5, min(2.0, deadline - time.monotonic())))
            except LST_TESTING_ERR_DRIVER_MISSING:
                raise
            except Exception as error:
                last = error
            if not self._runner.alive():
                raise LaunchError(f"the server exited ({last})")
            if time.monotonic() > deadline:
                raise LaunchError(f"no answer at {self.url} in time ({last})")
            time.sleep(POLL_INTERVAL)

    def _log_excerpt(self) -> str:
        tail = self._runner.log_tail()
        return f"\n--- end of its log ---\n{tail}" if tail else ""


def _url_index(url: str) -> int:
    path = urlsplit(url).path.strip("/")
    return int(path) if path.isdigit() else 0


_LIVE: set[Service] = set()


@atexit.register
def _stop_leftovers() -> None:
    for service in list(_LIVE):
        service.stop()
