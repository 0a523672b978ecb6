"""Progress events: what the migrator reports while it validates and runs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from ._files import Migration

__all__ = ["Event", "EventKind", "Listener"]

EventKind = Literal[
    "validation-started", "validation-finished", "migration-started", "migration-finished"
]


@dataclass(frozen=True)
class Event:
    """One progress event.

    * ``validation-started`` / ``validation-finished``: checksums of the
      applied ``do`` files are checked; ``migrations`` lists them, and the
      finished event has ``seconds``.
    * ``migration-started`` / ``migration-finished``: one migration;
      ``sql`` is its SQL (``None`` for a ``migrate(conn)`` Python file), and
      the finished event has ``seconds``. ``dry_run`` is true in a dry run.
    """

    kind: EventKind
    migration: Migration | None = None
    migrations: tuple[Migration, ...] = ()
    seconds: float | None = None
    sql: str | None = None
    dry_run: bool = False


Listener = Callable[[Event], Awaitable[None] | None]
