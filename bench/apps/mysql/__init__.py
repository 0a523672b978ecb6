"""Scenario `mysql`: GET /users/:id selects one row by primary key from MariaDB (MYSQL_URL,
seeded by harness/services.py); every app uses a pool of POOL_SIZE connections."""

import os
from typing import Any
from urllib.parse import unquote, urlsplit

SQL = "SELECT id, name, email FROM users WHERE id = %s"
POOL_SIZE = 10


def mysql_url() -> str:
    return os.environ["MYSQL_URL"]


def connect_args(url: str) -> dict[str, Any]:
    """aiomysql's keywords for a `mysql://user:password@host:port/database` URL, with the
    settings lesto-mysql uses by default (autocommit, utf8mb4)."""
    parts = urlsplit(url)
    return {
        "host": parts.hostname or "localhost",
        "port": parts.port or 3306,
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),
        "db": unquote(parts.path.lstrip("/")),
        "autocommit": True,
        "charset": "utf8mb4",
    }
