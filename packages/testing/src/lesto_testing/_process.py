"""Server processes: each in its own process group, watched by the reaper.

A server is started with ``start_new_session=True`` so that Ctrl-C in the
terminal reaches pytest only (which then stops the servers in order), and
so that stopping or killing it reaches every process it forked. The reaper
(:mod:`lesto_testing._reaper`) removes what a dead parent left behind.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO

LOG_TAIL_LINES = 40
SETUP_TIMEOUT = 120.0


class LaunchError(Exception):
    """A server could not be started; the message says why (the log tail is added later)."""


class Reaper:
    """The parent's side of the watchdog process; started on first registration."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._registered: set[str] = set()

    def add(self, kind: str, value: object) -> None:
        """Register a process group (``kind="group"``) or a folder (``kind="path"``)."""
        entry = f"{kind} {value}"
        with self._lock:
            if self._process is None:
                self._process = self._spawn()
            self._registered.add(entry)
            self._send(f"+{entry}")

    def remove(self, kind: str, value: object) -> None:
        """Forget a registration; the watchdog exits when nothing is left."""
        entry = f"{kind} {value}"
        with self._lock:
            if entry not in self._registered:
                return
            self._registered.discard(entry)
            self._send(f"-{entry}")
            if not self._registered:
                self._close()

    def _spawn(self) -> subprocess.Popen[str]:
        script = Path(__file__).with_name("_reaper.py")
        return subprocess.Popen(
            [sys.executable, "-I", "-S", str(script)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd="/",
            text=True,
            start_new_session=True,
        )

    def _send(self, line: str) -> None:
        assert self._process is not None
        assert self._process.stdin is not None
        self._process.stdin.write(line + "\n")
        self._process.stdin.flush()

    def _close(self) -> None:
        assert self._process is not None
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait()
        self._process = None


REAPER = Reaper()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last ``lines`` lines of a log file ('' when it does not exist)."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def run_step(argv: Sequence[str], log: Path, *, user: pwd.struct_passwd | None) -> str | None:
    """Run a setup command (initdb...) to its end, its output appended to ``log``.

    Returns ``None`` on success, or why it failed.
    """
    step = ServerProcess(argv, log, user=user)
    try:
        step.start()
    except OSError as error:
        return f"{argv[0]}: {error}"
    code = step.wait(SETUP_TIMEOUT)
    if code is None:
        step.kill()
        return f"{argv[0]} did not finish in {SETUP_TIMEOUT:.0f} s"
    return None if code == 0 else f"{argv[0]} exited with code {code}"


class _Identity:
    """The ``user``, ``group`` and ``extra_groups`` arguments of :class:`subprocess.Popen`."""

    def __init__(self, user: pwd.struct_passwd | None) -> None:
        self.user = None if user is None else user.pw_uid
        self.group = None if user is None else user.pw_gid
        self.extra_groups: list[int] | None = None if user is None else []


class ServerProcess:
    """One server process (and whatever it forks), logging to a file."""

    def __init__(
        self,
        argv: Sequence[str],
        log: Path,
        *,
        user: pwd.struct_passwd | None = None,
        stop_signal: int = signal.SIGTERM,
    ) -> None:
        self.argv = list(argv)
        self.log = log
        self._cwd = log.parent
        self._user = user
        self._stop_signal = stop_signal
        self._popen: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self._popen is not None and self._popen.poll() is None

    @property
    def exit_code(self) -> int | None:
        """The exit code once the process has ended."""
        return None if self._popen is None else self._popen.poll()

    def start(self) -> None:
        """Start the process in a new process group and register it with the reaper."""
        with self.log.open("ab") as out:
            out.write(f"$ {' '.join(self.argv)}\n".encode())
            out.flush()
            self._popen = self._spawn(out)
        REAPER.add("group", self._popen.pid)

    def _spawn(self, out: IO[bytes]) -> subprocess.Popen[bytes]:
        who = _Identity(self._user)
        return subprocess.Popen(
            self.argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=self._cwd,
            user=who.user,
            group=who.group,
            extra_groups=who.extra_groups,
        )

    def wait(self, timeout: float) -> int | None:
        """Wait for the process to end by itself; its exit code, or ``None`` on timeout."""
        assert self._popen is not None
        try:
            self._popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        self._finish()
        return self._popen.returncode

    def stop(self, timeout: float = 15.0) -> None:
        """Ask the server to shut down; SIGKILL its group if it takes longer than ``timeout``."""
        if self._popen is None:
            return
        if self._popen.poll() is None:
            self._signal(self._stop_signal)
            try:
                self._popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
        self._finish()

    def kill(self) -> None:
        """SIGKILL the whole process group at once (a crash, for fault tests)."""
        if self._popen is None:
            return
        self._signal(signal.SIGKILL)
        self._finish()

    def _finish(self) -> None:
        assert self._popen is not None
        self._popen.wait()
        self._signal(signal.SIGKILL)
        REAPER.remove("group", self._popen.pid)

    def _signal(self, sig: int) -> None:
        assert self._popen is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._popen.pid, sig)


def register_folder(path: Path) -> None:
    """Have the reaper remove ``path`` if this process dies before it does."""
    REAPER.add("path", path)


def forget_folder(path: Path) -> None:
    """The folder was removed by this process: the reaper can forget it."""
    REAPER.remove("path", path)
