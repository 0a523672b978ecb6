"""Choosing a backend for a service and starting it: :func:`start`."""

from __future__ import annotations

from collections.abc import Callable

from . import _docker, _env, _local
from ._config import backend_order, checked_backend, start_timeout
from ._service import Runner, Service
from ._specs import Spec, spec_for
from .errors import LST_TESTING_ERR_NO_BACKEND

_LOCATORS: dict[str, Callable[[Spec], Runner | str]] = {
    "env": _env.locate,
    "docker": _docker.locate,
    "local": lambda spec: _as_runner(_local.locate(spec), spec),
}


def _as_runner(found: _local.Recipe | str, spec: Spec) -> Runner | str:
    return found if isinstance(found, str) else _local.LocalRunner(spec, found)


def start(name: str, *, backend: str | None = None, timeout: float | None = None) -> Service:
    """Start (or connect to) a ``name`` server and return its :class:`Service`.

    Args:
        name: ``"postgres"``, ``"mysql"``, ``"redis"`` or ``"mongodb"``.
        backend: ``"env"``, ``"docker"`` or ``"local"`` to force one; by
            default ``LESTO_TEST_BACKEND`` decides, else the first that can
            serve, in that order.
        timeout: seconds the server gets to answer (default
            ``LESTO_TEST_START_TIMEOUT``, 60).

    The result is also a context manager that stops the server on exit.

    Raises:
        LST_TESTING_ERR_UNKNOWN_SERVICE: ``name`` is not a service.
        LST_TESTING_ERR_BAD_SETTING: a backend or setting has a wrong value.
        LST_TESTING_ERR_NO_BACKEND: no backend can provide the service.
        LST_TESTING_ERR_DRIVER_MISSING: the service's Python driver is missing.
        LST_TESTING_ERR_START_FAILED: the server did not answer (with its log's end).
    """
    spec = spec_for(name)
    order = (checked_backend(backend, "backend"),) if backend else backend_order()
    service = Service(spec, choose_runner(spec, order))
    service.start(start_timeout() if timeout is None else timeout)
    return service


def choose_runner(spec: Spec, order: tuple[str, ...]) -> Runner:
    """The runner of the first backend in ``order`` that can serve ``spec``."""
    reasons = []
    for backend in order:
        found = _LOCATORS[backend](spec)
        if not isinstance(found, str):
            return found
        reasons.append(f"{backend}: {found}")
    remedy = (
        f"set {spec.url_var} to a running server's URL, run a Docker engine "
        f"(with lesto-testing[testcontainers] installed), or {spec.install_hint}"
    )
    raise LST_TESTING_ERR_NO_BACKEND(spec.title, "; ".join(reasons), remedy)
