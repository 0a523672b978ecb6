"""A watchdog that outlives a crashed parent and removes what it left behind.

Run as a script (``python -I -S _reaper.py``) in its own session. The parent
writes lines on its stdin: ``+group PGID``, ``-group PGID``, ``+path DIR``,
``-path DIR``. When stdin closes (the parent finished or died, even by
SIGKILL) the watchdog SIGKILLs the process groups and removes the folders
still registered. This file imports nothing from the package.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time


def read_registrations(lines: list[str]) -> tuple[set[int], set[str]]:
    """The process groups and folders still registered after ``lines``."""
    groups: set[int] = set()
    paths: set[str] = set()
    for line in lines:
        action, _, value = line.rstrip("\n").partition(" ")
        if action == "+group":
            groups.add(int(value))
        elif action == "-group":
            groups.discard(int(value))
        elif action == "+path":
            paths.add(value)
        elif action == "-path":
            paths.discard(value)
    return groups, paths


def kill_groups(groups: set[int]) -> None:
    """SIGKILL every group, then wait (up to 5 s) until none of them has a member left."""
    for group in groups:
        _signal_group(group, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_signal_group(g, 0) for g in groups):
        time.sleep(0.02)


def _signal_group(group: int, sig: int) -> bool:
    try:
        os.killpg(group, sig)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    groups, paths = read_registrations(list(sys.stdin))
    kill_groups(groups)
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


if __name__ == "__main__":
    main()
