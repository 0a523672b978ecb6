"""Settings read from the environment, at the moment they are needed."""

from __future__ import annotations

import os
from pathlib import Path

from ._specs import Spec
from .errors import LST_TESTING_ERR_BAD_SETTING

BACKENDS = ("env", "docker", "local")
DEFAULT_START_TIMEOUT = 60.0
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def backend_order() -> tuple[str, ...]:
    """The backends to try, in order: all of them, or the one ``LESTO_TEST_BACKEND`` forces."""
    forced = os.environ.get("LESTO_TEST_BACKEND", "").strip().lower()
    if not forced:
        return BACKENDS
    return (checked_backend(forced, "LESTO_TEST_BACKEND"),)


def checked_backend(value: str, where: str) -> str:
    """``value`` if it names a backend, else ``LST_TESTING_ERR_BAD_SETTING``."""
    if value not in BACKENDS:
        raise LST_TESTING_ERR_BAD_SETTING(value, where, f"expected one of {', '.join(BACKENDS)}")
    return value


def service_url(spec: Spec) -> str | None:
    """The URL the user set for ``spec`` (``LESTO_TEST_<NAME>_URL``), if any."""
    return os.environ.get(spec.url_var) or None


def bin_dir(spec: Spec) -> Path | None:
    """The folder ``LESTO_TEST_<NAME>_BIN`` names, where to look for executables only."""
    value = os.environ.get(spec.bin_var)
    return Path(value) if value else None


def allow_skip() -> bool:
    """Whether ``LESTO_TEST_ALLOW_SKIP`` turns a missing backend into a skip."""
    return os.environ.get("LESTO_TEST_ALLOW_SKIP", "").strip().lower() in _TRUE


def in_ci() -> bool:
    """Whether the tests run in CI: ``CI`` is set (as CI services set it) and not false."""
    return os.environ.get("CI", "").strip().lower() not in _FALSE


def start_timeout() -> float:
    """Seconds a server gets to answer (``LESTO_TEST_START_TIMEOUT``)."""
    raw = os.environ.get("LESTO_TEST_START_TIMEOUT", "")
    if not raw:
        return DEFAULT_START_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise LST_TESTING_ERR_BAD_SETTING(raw, "LESTO_TEST_START_TIMEOUT", "expected seconds > 0")
    return value


def worker_id() -> str:
    """The pytest-xdist worker name (``gw0``...), or ``main`` outside xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def worker_number() -> int:
    """The pytest-xdist worker number (0 outside xdist)."""
    worker = worker_id()
    return int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0
