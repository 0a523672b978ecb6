"""The application factory: plugins and routes, no configuration reading.

The plugin tree, as the seed recommends: the databases live only in the
branch that needs them.

    root                      GET /  (no database here)
    └── data                  MongoDB, PostgreSQL (+ migrations), Redis
        ├── health            GET /health
        ├── animals           GET/POST /animals, GET /animals/:animal
        └── api   (/api)      MariaDB (+ migrations): the audit log; JSON-only errors;
                              /api/users, /api/stats, /api/audit
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import lesto_migrate
import lesto_mongodb
import lesto_postgres
import lesto_redis
from lesto import Lesto, Reply, Request

from .animals import animals
from .api import AUDIT_MIGRATIONS, api
from .config import AppConfig
from .health import Checks, health

__all__ = ["AUDIT_MIGRATIONS", "MIGRATIONS", "build_app"]

#: PostgreSQL's migrations (the visits table), applied through lesto-postgres's pool.
MIGRATIONS = Path(__file__).parent / "migrations"


def build_app(config: AppConfig) -> Lesto:
    """The visitors application for ``config``; nothing connects until it is readied."""
    app = Lesto(logger={"level": config.log_level, "pretty": config.log_pretty})
    app.register(index)
    app.register(data, config=config)
    return app


def index(app: Lesto, opts: Mapping[str, Any]) -> None:
    """Getting Started's first route, in a context without databases."""

    async def hello(request: Request, reply: Reply) -> dict[str, str]:
        return {"hello": "world"}

    app.get("/", hello)


def data(app: Lesto, opts: Mapping[str, Any]) -> None:
    """The branch with the databases: connect them, then the plugins that use them.

    MariaDB is not here: only the ``/api`` branch uses it, so it registers it
    itself, and adds its check to the readiness checks that ``/health`` runs.
    """
    config: AppConfig = opts["config"]
    checks: Checks = {}
    app.register(lesto_postgres.plugin, url=config.postgres_url)
    # through app.pg's pool: no second connection, and the routes below wait for it
    app.register(lesto_migrate.plugin, use="pg", directory=str(MIGRATIONS))
    app.register(lesto_mongodb.plugin, url=config.mongodb_url, database=config.mongodb_database)
    app.register(lesto_redis.plugin, url=config.redis_url)
    app.register(health, timeout=config.health_timeout, checks=checks)
    app.register(animals)
    app.register(
        api,
        prefix="/api",
        cache_ttl=config.cache_ttl,
        mysql_url=config.mysql_url,
        checks=checks,
    )
