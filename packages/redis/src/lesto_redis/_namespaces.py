"""``app.redis`` when clients are registered with ``namespace=``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .errors import (
    LST_REDIS_ERR_DUPLICATE_NAMESPACE,
    LST_REDIS_ERR_RESERVED_NAMESPACE,
    LST_REDIS_ERR_UNKNOWN_NAMESPACE,
)

__all__ = ["RedisNamespaces", "check_namespace"]


class RedisNamespaces(Mapping[str, Any]):
    """The named clients: ``app.redis["cache"]`` or ``app.redis.cache``.

    A read-only mapping of namespace to client, plus :meth:`ping`.
    """

    __slots__ = ("_clients",)

    def __init__(self) -> None:
        self._clients: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        try:
            return self._clients[name]
        except KeyError:
            raise LST_REDIS_ERR_UNKNOWN_NAMESPACE(name, self._names()) from None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._clients)

    def __len__(self) -> int:
        return len(self._clients)

    def __repr__(self) -> str:
        return f"<RedisNamespaces {self._names()}>"

    async def ping(self) -> bool:
        """PING every client; ``True`` when all answer, else the first error is raised."""
        for client in self._clients.values():
            await client.ping()
        return True

    def _add(self, name: str, client: Any) -> None:
        if name in self._clients:
            raise LST_REDIS_ERR_DUPLICATE_NAMESPACE(name)
        self._clients[name] = client

    def _names(self) -> str:
        return ", ".join(sorted(self._clients)) or "none"


#: Names a namespace may not take: they would hide an attribute of the container.
_RESERVED = frozenset(name for name in dir(RedisNamespaces) if not name.startswith("__"))


def check_namespace(name: str) -> None:
    """Refuse a namespace that ``app.redis.<name>`` could not reach.

    Raises:
        LST_REDIS_ERR_RESERVED_NAMESPACE: ``name`` starts with ``_`` or is a container attribute.
    """
    if name.startswith("_"):
        raise LST_REDIS_ERR_RESERVED_NAMESPACE(name, "private attributes")
    if name in _RESERVED:
        raise LST_REDIS_ERR_RESERVED_NAMESPACE(name, f"RedisNamespaces.{name}")
