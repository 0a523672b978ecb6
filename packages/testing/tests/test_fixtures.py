"""The pytest fixtures: a real server per service, a fresh database per test."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from lesto_testing import Service

if TYPE_CHECKING:
    from conftest import Store

SERVICES = ["postgres", "mysql", "redis", "mongodb"]
SEEN: dict[str, list[str]] = {name: [] for name in SERVICES}


@pytest.fixture
def any_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


@pytest.mark.parametrize("any_url", SERVICES, indirect=True)
@pytest.mark.parametrize("round_", [1, 2])
def test_each_test_starts_with_an_empty_database(
    any_url: str, round_: int, request: pytest.FixtureRequest, store: Store
) -> None:
    service = request.node.callspec.params["any_url"]
    assert store.keys(service, any_url) == []
    store.put(service, any_url, "written-by", f"round {round_}")
    assert store.get(service, any_url, "written-by") == f"round {round_}"
    SEEN[service].append(any_url)


@pytest.mark.parametrize("name", ["postgres", "mysql", "mongodb"])
def test_fresh_databases_have_unique_names_and_are_dropped_after_use(
    name: str, request: pytest.FixtureRequest, exists: Callable[[str, str, str], bool]
) -> None:
    service: Service = request.getfixturevalue(f"{name}_service")
    with service.fresh_database() as first, service.fresh_database() as second:
        assert first != second
        request.getfixturevalue("store").put(name, first, "k", "v")
        assert exists(name, service.url, first)
    assert not exists(name, service.url, first)
    assert not exists(name, service.url, second)


def test_redis_database_is_flushed_after_use(redis_service: Service, store: Store) -> None:
    with redis_service.fresh_database() as url:
        store.put("redis", url, "k", "v")
    assert store.keys("redis", url) == []


@pytest.mark.parametrize("name", SERVICES)
def test_session_service_reports_backend_version_and_start_time(
    name: str, request: pytest.FixtureRequest
) -> None:
    service: Service = request.getfixturevalue(f"{name}_service")
    assert service.backend in {"env", "docker", "local"}
    assert service.version[0].isdigit()
    assert service.running
    assert service.url.startswith(("postgresql://", "mysql://", "redis://", "mongodb://"))
    assert 0 < service.startup_seconds < 60


async def test_fixtures_work_in_async_tests(postgres_url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(postgres_url)
    try:
        assert await conn.fetchval("SELECT current_database()") == postgres_url.rsplit("/", 1)[1]
    finally:
        await conn.close()
