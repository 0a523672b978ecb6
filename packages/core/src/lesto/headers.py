"""Case-insensitive, read-only request headers over the ASGI ``scope["headers"]`` list.

Names and values are decoded as latin-1, as ASGI servers do, so no byte
sequence can make a lookup fail. The name-to-value table is built on first
use; a request whose headers are never read pays only for the object.

Repeated headers follow Node.js (and so Fastify):

- most headers are joined with ``", "`` in arrival order;
- ``cookie`` lines are joined with ``"; "`` (HTTP/2 clients send one per cookie);
- ``set-cookie`` values are never joined (their dates contain commas):
  ``headers["set-cookie"]`` is the first value, ``getlist`` returns them all;
- for headers that may appear only once (``content-type``, ``content-length``,
  ``host``, ``authorization``, ``user-agent`` ... see :data:`SINGLE_VALUE_HEADERS`)
  the first value wins and later ones are ignored.

``getlist(name)`` always returns every value as received.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from typing import TypeVar, overload

__all__ = ["SINGLE_VALUE_HEADERS", "Headers", "RawHeaders"]

RawHeaders = Iterable[tuple[bytes, bytes]]
"""The ASGI form of request headers: ``(name, value)`` byte pairs."""

_T = TypeVar("_T")

SINGLE_VALUE_HEADERS: frozenset[str] = frozenset(
    {
        "age",
        "authorization",
        "content-length",
        "content-type",
        "etag",
        "expires",
        "from",
        "host",
        "if-modified-since",
        "if-unmodified-since",
        "last-modified",
        "location",
        "max-forwards",
        "proxy-authorization",
        "referer",
        "retry-after",
        "server",
        "user-agent",
    }
)
"""Headers whose repeated values are dropped: the first one is kept (as in Node.js)."""


def _join(name: str, first: str, value: str) -> str:
    """The combined value of a header seen again with ``value``."""
    if name == "cookie":
        return f"{first}; {value}"
    if name == "set-cookie" or name in SINGLE_VALUE_HEADERS:
        return first
    return f"{first}, {value}"


class Headers(Mapping[str, str]):
    """Read-only, case-insensitive view of the request headers.

    ``headers["Content-Type"]``, ``headers.get(name)``, ``name in headers``,
    iteration (lower-case names, first-seen order), ``len``, ``items()``,
    ``getlist(name)`` and ``raw`` (the pairs given to the constructor).
    """

    __slots__ = ("_raw", "_table")

    def __init__(self, raw: RawHeaders = ()) -> None:
        """Wrap ``raw``, the ASGI ``scope["headers"]`` list; nothing is decoded yet."""
        self._raw = raw
        self._table: dict[str, str] | None = None

    def _build(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for raw_name, raw_value in self._raw:
            name = raw_name.decode("latin-1").lower()
            value = raw_value.decode("latin-1")
            first = table.get(name)
            table[name] = value if first is None else _join(name, first, value)
        self._table = table
        return table

    @property
    def raw(self) -> RawHeaders:
        """The header pairs exactly as the server gave them."""
        return self._raw

    def __getitem__(self, name: str) -> str:
        table = self._table
        if table is None:
            table = self._build()
        value = table.get(name)
        if value is None:
            value = table.get(name.lower()) if isinstance(name, str) else None
            if value is None:
                raise KeyError(name)
        return value

    @overload
    def get(self, name: str, /) -> str | None: ...
    @overload
    def get(self, name: str, /, default: str | _T) -> str | _T: ...
    def get(self, name: str, /, default: object = None) -> object:
        """The value of header ``name`` (any case), or ``default`` when absent."""
        table = self._table
        if table is None:
            table = self._build()
        value = table.get(name)
        if value is None and isinstance(name, str):
            value = table.get(name.lower())
        return default if value is None else value

    def getlist(self, name: str) -> list[str]:
        """Every value of header ``name`` (any case), in arrival order; ``[]`` when absent."""
        wanted = name.lower()
        return [
            raw_value.decode("latin-1")
            for raw_name, raw_value in self._raw
            if raw_name.decode("latin-1").lower() == wanted
        ]

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        table = self._table
        if table is None:
            table = self._build()
        return name in table or name.lower() in table

    def __iter__(self) -> Iterator[str]:
        return iter(self._table if self._table is not None else self._build())

    def __len__(self) -> int:
        return len(self._table if self._table is not None else self._build())

    def keys(self) -> KeysView[str]:
        """The lower-case header names, in first-seen order."""
        return (self._table if self._table is not None else self._build()).keys()

    def values(self) -> ValuesView[str]:
        """The combined values, in the order of :meth:`keys`."""
        return (self._table if self._table is not None else self._build()).values()

    def items(self) -> ItemsView[str, str]:
        """``(lower-case name, combined value)`` pairs, in first-seen order."""
        return (self._table if self._table is not None else self._build()).items()

    def __repr__(self) -> str:
        table = self._table if self._table is not None else self._build()
        return f"Headers({table!r})"
