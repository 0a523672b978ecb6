"""Dedicated servers for fault tests: ``dedicated()``, the ``*_dedicated`` fixtures and
``Service.ensure_running()``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import asyncpg
import lesto_testing
import pytest
from lesto_testing import (
    LST_TESTING_ERR_NO_BACKEND,
    LST_TESTING_ERR_STOPPED,
    LST_TESTING_ERR_UNSUPPORTED,
    Service,
)

if TYPE_CHECKING:
    from conftest import InnerRun, Sandbox, Store

Runner = Callable[..., "InnerRun"]
SERVICES = ["postgres", "mysql", "redis", "mongodb"]


def _workdir(service: Service) -> Path:
    folder = service._runner.workdir  # type: ignore[attr-defined]
    assert isinstance(folder, Path)
    return folder


@pytest.mark.parametrize("name", SERVICES)
def test_a_dedicated_server_is_another_server_than_the_shared_one(
    name: str, request: pytest.FixtureRequest, store: Store
) -> None:
    shared: Service = request.getfixturevalue(f"{name}_service")
    own: Service = request.getfixturevalue(f"{name}_dedicated")
    assert own.backend in {"docker", "local"}
    assert own.running
    assert own.url != shared.url
    with own.fresh_database() as url:
        store.put(name, url, "on", "the dedicated server")
        assert store.get(name, url, "on") == "the dedicated server"


@pytest.mark.parametrize("name", SERVICES)
def test_ensure_running_brings_a_killed_server_back(
    name: str, request: pytest.FixtureRequest, store: Store
) -> None:
    shared: Service = request.getfixturevalue(f"{name}_service")
    own: Service = request.getfixturevalue(f"{name}_dedicated")
    url_before = own.url
    own.kill()
    assert not own.running
    with shared.fresh_database() as url:  # the shared server did not notice
        store.put(name, url, "while", "the dedicated one is down")
    own.ensure_running()
    assert own.running
    assert own.url == url_before  # the same port: clients configured before still reach it
    with own.fresh_database() as url:
        store.put(name, url, "after", "the kill")
        assert store.get(name, url, "after") == "the kill"


async def test_ensure_running_leaves_a_running_server_alone(postgres_dedicated: Service) -> None:
    conn = await asyncpg.connect(postgres_dedicated.url)
    try:
        started = await conn.fetchval("SELECT pg_postmaster_start_time()")
        postgres_dedicated.ensure_running()
        # The same connection still works: the server was not restarted.
        assert await conn.fetchval("SELECT pg_postmaster_start_time()") == started
    finally:
        await conn.close()


def test_the_context_manager_stops_the_server_and_ensure_running_refuses_after() -> None:
    with lesto_testing.dedicated("redis") as service:
        assert service.running
        folder = _workdir(service) if service.backend == "local" else None
    assert not service.running
    assert folder is None or not folder.exists()
    with pytest.raises(LST_TESTING_ERR_STOPPED):
        service.ensure_running()


def test_an_env_url_does_not_serve_a_dedicated_server(
    redis_service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LESTO_TEST_REDIS_URL", redis_service.url)
    with lesto_testing.dedicated("redis") as service:
        assert service.backend in {"docker", "local"}
        assert service.url != redis_service.url
    assert redis_service.running


def test_ensure_running_on_an_env_server_returns_at_once(
    redis_service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LESTO_TEST_REDIS_URL", redis_service.url)
    with lesto_testing.start("redis", backend="env") as service:
        service.ensure_running()
        assert service.running


def test_only_an_env_server_is_unsupported(
    redis_service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LESTO_TEST_BACKEND", "env")
    monkeypatch.setenv("LESTO_TEST_REDIS_URL", redis_service.url)
    with pytest.raises(LST_TESTING_ERR_UNSUPPORTED) as caught:
        lesto_testing.dedicated("redis")
    assert caught.value.code == "LST_TESTING_ERR_UNSUPPORTED"
    assert "LESTO_TEST_REDIS_URL" in str(caught.value)


def test_an_env_url_and_no_other_backend_is_unsupported(
    redis_service: Service, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LESTO_TEST_REDIS_URL", redis_service.url)
    monkeypatch.setenv("LESTO_TEST_REDIS_BIN", str(tmp_path))
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/docker.sock")
    with pytest.raises(LST_TESTING_ERR_UNSUPPORTED) as caught:
        lesto_testing.dedicated("redis")
    message = str(caught.value)
    assert all(f"{backend}: " in message for backend in ("docker", "local"))
    assert "apt-get install redis-server" in message


def test_no_backend_at_all_is_no_backend(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LESTO_TEST_REDIS_URL", raising=False)
    monkeypatch.setenv("LESTO_TEST_REDIS_BIN", str(tmp_path))
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/docker.sock")
    with pytest.raises(LST_TESTING_ERR_NO_BACKEND):
        lesto_testing.dedicated("redis")


ONLY_ENV = "def test_faults(redis_dedicated):\n    redis_dedicated.kill()\n"


@pytest.mark.parametrize(
    ("extra", "outcome"),
    [
        ({"CI": ""}, "1 skipped"),
        ({"CI": "true"}, "1 error"),
        ({"CI": "true", "LESTO_TEST_ALLOW_SKIP": "1"}, "1 skipped"),
    ],
    ids=["outside-ci-skips", "in-ci-fails", "allow-skip-skips"],
)
def test_the_fixture_on_an_env_server_skips_outside_ci_and_fails_in_ci(
    extra: dict[str, str], outcome: str, inner_pytest: Runner, redis_service: Service
) -> None:
    env = {"LESTO_TEST_BACKEND": "env", "LESTO_TEST_REDIS_URL": redis_service.url, **extra}
    run = inner_pytest(ONLY_ENV, env=env)
    assert outcome in run.output, run.output
    assert run.returncode == (1 if outcome == "1 error" else 0), run.output
    assert "LST_TESTING_ERR_UNSUPPORTED" in run.output
    assert redis_service.running


FIRST_MODULE = """
import os, pathlib, redis

def test_first(redis_dedicated):
    assert redis.Redis.from_url(redis_dedicated.url).ping()
    pathlib.Path(os.environ["RECORD"]).write_text(str(redis_dedicated._runner.workdir))
"""

SECOND_MODULE = """
import os, pathlib, redis

def test_second(redis_dedicated):
    first = pathlib.Path(pathlib.Path(os.environ["RECORD"]).read_text())
    assert first.name.startswith("lesto-testing-redis-")
    assert not first.exists(), "the first module's server outlived its module"
    assert redis_dedicated._runner.workdir != first
    assert redis.Redis.from_url(redis_dedicated.url).ping()
"""


def test_each_module_gets_its_own_server_stopped_after_the_module(
    inner_pytest: Runner, sandbox: Sandbox, tmp_path: Path
) -> None:
    (tmp_path / "test_zz_second.py").write_text(SECOND_MODULE)
    record = sandbox.tmp / "first-workdir.txt"
    env = {"LESTO_TEST_BACKEND": "local", "RECORD": str(record)}
    run = inner_pytest(FIRST_MODULE, env=env)
    assert run.returncode == 0, run.output
    assert "2 passed" in run.output
    assert sandbox.wait_until_clean(0) == ([], [])
