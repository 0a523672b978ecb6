"""The pytest plugin (entry point ``pytest11``): service fixtures and the session report.

Nothing starts until a test asks for a service fixture. The first such
fixture starts, in parallel, every service that the collected tests use,
and waits only for its own. All are stopped when the session ends.

The ``*_dedicated`` fixtures are apart from that: each test module that asks
for one gets a server of its own (:func:`lesto_testing.dedicated`), which its
tests may stop, kill and restart, and which is stopped after the module.
"""

from __future__ import annotations

import gc
from collections.abc import Generator, Iterator

import pytest
from lesto_errors import LestoError

from . import __version__
from ._config import allow_skip, backend_order, in_ci, service_url
from ._env import redacted
from ._pool import ServicePool
from ._provision import dedicated
from ._service import Service
from ._specs import SERVICE_NAMES, SPECS
from .errors import (
    LST_TESTING_ERR_BAD_SETTING,
    LST_TESTING_ERR_NO_BACKEND,
    LST_TESTING_ERR_UNSUPPORTED,
)

_POOL = pytest.StashKey[ServicePool]()
_WANTED = pytest.StashKey[list[str]]()
_WORKER_LINES = pytest.StashKey[list[str]]()
_OUTPUT_KEY = "lesto_testing"
_SERVICE_OF_FIXTURE = {
    f"{name}_{suffix}": name for name in SERVICE_NAMES for suffix in ("service", "url")
}


def _pool(config: pytest.Config) -> ServicePool:
    if _POOL not in config.stash:
        config.stash[_POOL] = ServicePool()
    return config.stash[_POOL]


def _wanted(session: pytest.Session) -> list[str]:
    """The services that the session's tests use, directly or through other fixtures."""
    if _WANTED not in session.stash:
        names = set()
        for item in session.items:
            for fixture in getattr(item, "fixturenames", ()):
                if fixture in _SERVICE_OF_FIXTURE:
                    names.add(_SERVICE_OF_FIXTURE[fixture])
        session.stash[_WANTED] = sorted(names)
    return session.stash[_WANTED]


def _skip_if_allowed(error: LestoError) -> None:
    if allow_skip():
        pytest.skip(f"{error.code}: {error} (skipped: LESTO_TEST_ALLOW_SKIP is set)")


def _session_service(request: pytest.FixtureRequest, name: str) -> Service:
    pool = _pool(request.config)
    pool.request([name, *_wanted(request.session)])
    try:
        return pool.get(name)
    except LST_TESTING_ERR_NO_BACKEND as error:
        _skip_if_allowed(error)
        raise


def _dedicated_service(name: str) -> Iterator[Service]:
    """A server of :func:`dedicated`, stopped at the end.

    When only a server from the env backend could serve (which no test may
    kill), the test is skipped outside CI and fails in CI (``CI`` set);
    ``LESTO_TEST_ALLOW_SKIP`` skips it everywhere. No backend at all is an
    error, as for the session's services.
    """
    try:
        service = dedicated(name)
    except LST_TESTING_ERR_UNSUPPORTED as error:
        _skip_if_allowed(error)
        if not in_ci():
            pytest.skip(f"{error.code}: {error} (skipped outside CI; with CI set, this fails)")
        raise
    except LST_TESTING_ERR_NO_BACKEND as error:
        _skip_if_allowed(error)
        raise
    with service:
        yield service


@pytest.fixture(scope="session")
def postgres_service(request: pytest.FixtureRequest) -> Service:
    """The session's PostgreSQL server."""
    return _session_service(request, "postgres")


@pytest.fixture(scope="session")
def mysql_service(request: pytest.FixtureRequest) -> Service:
    """The session's MariaDB/MySQL server."""
    return _session_service(request, "mysql")


@pytest.fixture(scope="session")
def redis_service(request: pytest.FixtureRequest) -> Service:
    """The session's Redis server."""
    return _session_service(request, "redis")


@pytest.fixture(scope="session")
def mongodb_service(request: pytest.FixtureRequest) -> Service:
    """The session's MongoDB server."""
    return _session_service(request, "mongodb")


@pytest.fixture(scope="module")
def postgres_dedicated() -> Iterator[Service]:
    """A PostgreSQL server of this test module alone; its tests may stop, kill and restart it."""
    yield from _dedicated_service("postgres")


@pytest.fixture(scope="module")
def mysql_dedicated() -> Iterator[Service]:
    """A MariaDB/MySQL server of this test module alone; its tests may stop, kill and restart it."""
    yield from _dedicated_service("mysql")


@pytest.fixture(scope="module")
def redis_dedicated() -> Iterator[Service]:
    """A Redis server of this test module alone; its tests may stop, kill and restart it."""
    yield from _dedicated_service("redis")


@pytest.fixture(scope="module")
def mongodb_dedicated() -> Iterator[Service]:
    """A MongoDB server of this test module alone; its tests may stop, kill and restart it."""
    yield from _dedicated_service("mongodb")


@pytest.fixture
def postgres_url(postgres_service: Service) -> Iterator[str]:
    """URL of a new, empty PostgreSQL database, dropped after the test."""
    with postgres_service.fresh_database() as url:
        yield url


@pytest.fixture
def mysql_url(mysql_service: Service) -> Iterator[str]:
    """URL of a new, empty MariaDB/MySQL database, dropped after the test."""
    with mysql_service.fresh_database() as url:
        yield url


@pytest.fixture
def redis_url(redis_service: Service) -> Iterator[str]:
    """URL of a Redis database index of this worker, flushed before and after the test."""
    with redis_service.fresh_database() as url:
        yield url


@pytest.fixture
def mongodb_url(mongodb_service: Service) -> Iterator[str]:
    """URL naming a new MongoDB database, dropped after the test."""
    with mongodb_service.fresh_database() as url:
        yield url


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    """After each test, undo the ``gc.freeze()`` of apps it served (Lesto's ``gc_freeze``),
    so that what the finished test left behind can still be collected."""
    try:
        return (yield)
    finally:
        if gc.get_freeze_count():
            gc.unfreeze()


def pytest_report_header(config: pytest.Config) -> list[str]:
    """What is configured (which backend serves is known only once a service starts)."""
    try:
        order = " > ".join(backend_order())
    except LST_TESTING_ERR_BAD_SETTING as error:
        order = f"none ({error})"
    lines = [f"lesto-testing {__version__}: services start on first use, backends: {order}"]
    for spec in SPECS.values():
        url = service_url(spec)
        if url:
            lines.append(f"  {spec.url_var}={redacted(url)}")
    return lines


def _describe(name: str, outcome: Service | BaseException) -> str:
    if isinstance(outcome, BaseException):
        code = getattr(outcome, "code", type(outcome).__name__)
        return f"{name}: not available ({code})"
    return (
        f"{name}: {outcome.backend} ({outcome.description}), {outcome.title} {outcome.version}, "
        f"ready in {outcome.startup_seconds:.2f} s"
    )


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop the services once every fixture is torn down; xdist workers pass on their report."""
    if _POOL not in session.config.stash:
        return
    pool = session.config.stash[_POOL]
    lines = [_describe(name, outcome) for name, outcome in pool.outcomes()]
    lines += pool.close()
    session.config.stash[_WORKER_LINES] = lines
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[_OUTPUT_KEY] = lines


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    """Collect an xdist worker's service report (controller side)."""
    lines = getattr(node, "workeroutput", {}).get(_OUTPUT_KEY)
    if not lines:
        return
    worker = getattr(node, "workerinput", {}).get("workerid", "worker")
    config: pytest.Config = getattr(node, "config")  # noqa: B009
    collected = config.stash.setdefault(_WORKER_LINES, [])
    collected += [f"[{worker}] {line}" for line in lines]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say which backend served each service, its version and its start time."""
    lines = terminalreporter.config.stash.get(_WORKER_LINES, [])
    if not lines:
        return
    terminalreporter.write_sep("-", "lesto-testing services")
    for line in lines:
        terminalreporter.write_line(line)
