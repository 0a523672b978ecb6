"""Database URLs: which database a URL names, and how to print it without its password."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from .errors import LST_MIGRATE_ERR_BAD_URL

__all__ = ["dialect_of", "mysql_params", "redact", "sqlite_path"]

_DIALECTS = {
    "postgres": "postgres",
    "postgresql": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}


def dialect_of(url: str) -> str:
    """``postgres``, ``mysql`` or ``sqlite`` for a URL, or an error naming the (redacted) URL."""
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if scheme not in _DIALECTS:
        raise LST_MIGRATE_ERR_BAD_URL(redact(url))
    return _DIALECTS[scheme]


def redact(url: str) -> str:
    """The URL with its password replaced by ``***``."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return "<unparsable URL>"
    if not password:
        return url
    host = parts.netloc.rpartition("@")[2]
    netloc = f"{parts.username or ''}:***@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


def sqlite_path(url: str) -> str:
    """The file path of ``sqlite:///relative.db``, ``sqlite:////absolute.db`` or ``sqlite:///:memory:``."""
    parts = urlsplit(url)
    if parts.netloc or not parts.path.startswith("/") or len(parts.path) < 2:
        raise LST_MIGRATE_ERR_BAD_URL(redact(url))
    return unquote(parts.path[1:])


def mysql_params(url: str) -> dict[str, Any]:
    """Keyword arguments for ``aiomysql.connect`` from ``mysql://user:pass@host:port/db``."""
    parts = urlsplit(url)
    database = unquote(parts.path.lstrip("/"))
    if not database:
        raise LST_MIGRATE_ERR_BAD_URL(redact(url))
    return {
        "host": parts.hostname or "localhost",
        "port": parts.port or 3306,
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),
        "db": database,
    }
