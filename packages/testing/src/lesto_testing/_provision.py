"""Choosing a backend for a service and starting it: :func:`start` and :func:`dedicated`."""

from __future__ import annotations

from collections.abc import Callable

from . import _docker, _env, _local
from ._config import backend_order, checked_backend, service_url, start_timeout
from ._service import Runner, Service
from ._specs import Spec, spec_for
from .errors import LST_TESTING_ERR_NO_BACKEND, LST_TESTING_ERR_UNSUPPORTED

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


def dedicated(name: str, *, timeout: float | None = None) -> Service:
    """Start a ``name`` server for the caller alone, which it may stop, kill and restart.

    Unlike :func:`start`, this never uses the env backend: a server named by
    ``LESTO_TEST_<NAME>_URL`` is shared and is not lesto-testing's to kill.
    The first of the other allowed backends (docker, then local) starts a new
    server, on its own port, even when such a URL is set. The result is a
    context manager that stops the server on exit.

    Args:
        name: ``"postgres"``, ``"mysql"``, ``"redis"`` or ``"mongodb"``.
        timeout: seconds the server gets to answer (default
            ``LESTO_TEST_START_TIMEOUT``, 60).

    Raises:
        LST_TESTING_ERR_UNSUPPORTED: only the env backend could serve (a URL is
            set, and ``LESTO_TEST_BACKEND=env`` or no other backend can start one).
        LST_TESTING_ERR_NO_BACKEND: no backend can start a server.
        LST_TESTING_ERR_UNKNOWN_SERVICE, LST_TESTING_ERR_BAD_SETTING,
        LST_TESTING_ERR_DRIVER_MISSING, LST_TESTING_ERR_START_FAILED: as :func:`start`.
    """
    spec = spec_for(name)
    order = backend_order()
    found = first_runner(spec, tuple(backend for backend in order if backend != "env"))
    if isinstance(found, list):
        raise _no_dedicated_server(spec, order, found)
    service = Service(spec, found)
    service.start(start_timeout() if timeout is None else timeout)
    return service


def choose_runner(spec: Spec, order: tuple[str, ...]) -> Runner:
    """The runner of the first backend in ``order`` that can serve ``spec``."""
    found = first_runner(spec, order)
    if isinstance(found, list):
        remedy = f"set {spec.url_var} to a running server's URL, {_start_remedy(spec)}"
        raise LST_TESTING_ERR_NO_BACKEND(spec.title, "; ".join(found), remedy)
    return found


def first_runner(spec: Spec, order: tuple[str, ...]) -> Runner | list[str]:
    """The runner of the first backend in ``order`` that can serve ``spec``, else their reasons."""
    reasons = []
    for backend in order:
        found = _LOCATORS[backend](spec)
        if not isinstance(found, str):
            return found
        reasons.append(f"{backend}: {found}")
    return reasons


def _start_remedy(spec: Spec) -> str:
    return (
        "run a Docker engine (with lesto-testing[testcontainers] installed), "
        f"or {spec.install_hint}"
    )


def _no_dedicated_server(spec: Spec, order: tuple[str, ...], reasons: list[str]) -> Exception:
    """The error of :func:`dedicated` when no backend other than env can start a server."""
    remedy = _start_remedy(spec)
    if order == ("env",):
        reasons = ["LESTO_TEST_BACKEND=env allows no other backend"]
        remedy = f"unset LESTO_TEST_BACKEND, and {remedy}"
    if "env" in order and service_url(spec):
        why = (
            f"{spec.url_var} names a server that lesto-testing does not manage, and no "
            f"other backend can start one ({'; '.join(reasons)}). To provide one: {remedy}"
        )
        return LST_TESTING_ERR_UNSUPPORTED(spec.title, "env", "be a dedicated server", why)
    return LST_TESTING_ERR_NO_BACKEND(spec.title, "; ".join(reasons), remedy)
