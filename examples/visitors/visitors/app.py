"""The application factory: plugins and routes, no configuration reading.

The plugin tree, as the seed recommends: the databases live only in the
branch that needs them.

    root                      GET /  (no database here)
    └── data                  MongoDB, PostgreSQL (+ migrations), Redis
        ├── health            GET /health
        ├── animals           GET/POST /animals, GET /animals/:animal
        └── api   (/api)      JSON-only errors; /api/users, /api/stats
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
from .api import api
from .config import AppConfig
from .health import health

__all__ = ["MIGRATIONS", "build_app"]

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
    """The branch with the databases: connect them, then the plugins that use them."""
    config: AppConfig = opts["config"]
    app.register(lesto_migrate.plugin, url=config.postgres_url, directory=str(MIGRATIONS))
    app.register(lesto_postgres.plugin, url=config.postgres_url)
    app.register(lesto_mongodb.plugin, url=config.mongodb_url, database=config.mongodb_database)
    app.register(lesto_redis.plugin, url=config.redis_url)
    app.register(health, timeout=config.health_timeout)
    app.register(animals)
    app.register(api, prefix="/api", cache_ttl=config.cache_ttl)
