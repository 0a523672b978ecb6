"""The env backend: LESTO_TEST_<NAME>_URL points at a server someone else runs."""

from __future__ import annotations

import time

import lesto_testing
import pytest
from lesto_testing import (
    LST_TESTING_ERR_NO_BACKEND,
    LST_TESTING_ERR_START_FAILED,
    LST_TESTING_ERR_UNSUPPORTED,
    Service,
)


@pytest.mark.parametrize("name", ["postgres", "mysql", "redis", "mongodb"])
def test_a_url_in_the_environment_comes_first(
    name: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    server: Service = request.getfixturevalue(f"{name}_service")
    monkeypatch.setenv(f"LESTO_TEST_{name.upper()}_URL", server.url)
    with lesto_testing.start(name) as service:
        assert (service.backend, service.url, service.version) == (
            "env",
            server.url,
            server.version,
        )
        assert service.description == server.url
    assert server.running, "stopping an env service must leave the server alone"


def test_an_env_server_is_not_ours_to_restart_or_kill(
    redis_service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LESTO_TEST_REDIS_URL", redis_service.url)
    with lesto_testing.start("redis", backend="env") as service:
        with pytest.raises(LST_TESTING_ERR_UNSUPPORTED):
            service.restart()
        with pytest.raises(LST_TESTING_ERR_UNSUPPORTED):
            service.kill()
        assert service.running


def test_redis_databases_of_a_shared_server_are_per_worker(
    redis_service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LESTO_TEST_REDIS_URL", redis_service.url.replace("/0", "/2"))
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")
    with lesto_testing.start("redis") as service, service.fresh_database() as url:
        assert url.endswith("/5")


def test_an_unreachable_url_fails_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESTO_TEST_REDIS_URL", "redis://127.0.0.1:1/0")
    began = time.monotonic()
    with pytest.raises(LST_TESTING_ERR_START_FAILED) as caught:
        lesto_testing.start("redis", timeout=0.5)
    assert time.monotonic() - began < 5
    assert "127.0.0.1:1" in str(caught.value)


def test_forcing_env_without_a_url_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LESTO_TEST_MONGODB_URL", raising=False)
    monkeypatch.setenv("LESTO_TEST_BACKEND", "env")
    with pytest.raises(LST_TESTING_ERR_NO_BACKEND) as caught:
        lesto_testing.start("mongodb")
    assert "LESTO_TEST_MONGODB_URL" in str(caught.value)
