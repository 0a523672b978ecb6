"""``/health`` answers 503 while a database is down, and 200 again once it is back.

Redis is checked from the branch that holds it with the other shared
databases; MariaDB from the ``/api`` branch, which registers it and adds its
check while it loads.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import lesto_testing
import pytest
from visitors import AppConfig, build_app


async def test_health_is_503_while_redis_is_down(
    config: AppConfig, redis_dedicated: lesto_testing.Service
) -> None:
    redis_dedicated.ensure_running()
    app = build_app(dataclasses.replace(config, redis_url=redis_dedicated.url))
    try:
        assert (await app.inject(method="GET", url="/health")).status_code == 200
        redis_dedicated.kill()
        down = await app.inject(method="GET", url="/health")
        assert down.status_code == 503
        body = down.json()
        assert body["status"] == "unavailable"
        assert body["checks"]["mongodb"] == body["checks"]["postgres"] == "up"
        assert body["checks"]["redis"].startswith("down")
        redis_dedicated.restart()
        back = await app.inject(method="GET", url="/health")
        assert back.status_code == 200
        assert back.json()["checks"]["redis"] == "up"
    finally:
        await app.close()


@pytest.fixture
def own_mysql(
    mysql_dedicated: lesto_testing.Service,
) -> Iterator[tuple[lesto_testing.Service, str]]:
    """The module's own MariaDB server, and the URL of a fresh database on it."""
    mysql_dedicated.ensure_running()
    with mysql_dedicated.fresh_database() as url:
        yield mysql_dedicated, url


async def test_health_is_503_while_mariadb_is_down(
    config: AppConfig, own_mysql: tuple[lesto_testing.Service, str]
) -> None:
    service, url = own_mysql
    app = build_app(dataclasses.replace(config, mysql_url=url))
    try:
        assert (await app.inject(method="GET", url="/health")).status_code == 200
        service.kill()
        down = await app.inject(method="GET", url="/health")
        assert down.status_code == 503
        checks = down.json()["checks"]
        assert checks["mongodb"] == checks["postgres"] == checks["redis"] == "up"
        assert checks["mysql"].startswith("down")
        service.restart()
        back = await app.inject(method="GET", url="/health")
        assert (back.status_code, back.json()["checks"]["mysql"]) == (200, "up")
        # the audit log works again too: dropped connections were replaced
        visit = await app.inject(method="PUT", url="/api/users/ada", payload={})
        assert visit.status_code == 200
    finally:
        await app.close()
