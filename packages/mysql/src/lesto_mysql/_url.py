"""Reading ``mysql://user:password@host:port/database`` URLs."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

__all__ = ["Address", "parse_url"]

_SCHEMES = frozenset({"mysql", "mariadb"})
_DEFAULT_PORT = 3306


@dataclass(frozen=True, slots=True)
class Address:
    """Where the server is and whom to log in as."""

    host: str
    port: int
    user: str | None
    password: str
    database: str | None

    def describe(self) -> tuple[str, int, str]:
        """Host, port and database as error messages show them (never the password)."""
        return self.host, self.port, repr(self.database) if self.database else "(none)"


def parse_url(url: str) -> Address:
    """The :class:`Address` a URL names; percent-escapes in its parts are decoded.

    Raises:
        ValueError: not a ``mysql://`` or ``mariadb://`` URL, a bad port, or a
            query string or fragment (options are keywords, not URL parameters).
    """
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES:
        raise ValueError("expected a mysql:// or mariadb:// URL")
    if parts.query or parts.fragment:
        raise ValueError("URL parameters are not read; pass options as keywords")
    try:
        port = parts.port or _DEFAULT_PORT
    except ValueError as error:
        raise ValueError(f"bad port ({error})") from None
    database = unquote(parts.path.lstrip("/")) or None
    return Address(
        host=parts.hostname or "localhost",
        port=port,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else "",
        database=database,
    )
