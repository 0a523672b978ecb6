"""The Lesto plugin: migrate while the application starts (``lesto-migrate[lesto]``).

    app.register(lesto_migrate.plugin, url="postgresql://...", directory="migrations")

The plugin is not encapsulated and loads in order, so plugins registered
after it start against the migrated schema. It closes the connection it
opened as soon as it is done; a ``connection`` passed in stays open.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lesto import plugin as lesto_plugin

from ._migrator import Migrator
from .errors import LST_MIGRATE_ERR_BAD_OPTION

__all__ = ["plugin"]

_OPTIONS = frozenset(
    {
        "url",
        "connection",
        "directory",
        "target",
        "schema_table",
        "validate_checksums",
        "newline",
        "lock_timeout",
        "on_event",
    }
)


@lesto_plugin(name="lesto-migrate", lesto=">=0.1,<1")
async def plugin(app: Any, opts: Mapping[str, Any]) -> None:
    """Migrate to ``target`` (default ``"max"``) before the application is ready.

    Options: ``url`` or ``connection`` (one of them), ``directory``
    (required), and ``target``, ``schema_table``, ``validate_checksums``,
    ``newline``, ``lock_timeout``, ``on_event`` as for :class:`Migrator`.
    """
    options = dict(opts)
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        raise LST_MIGRATE_ERR_BAD_OPTION(", ".join(unknown), "unknown option of lesto-migrate")
    database = _database(options)
    if "directory" not in options:
        raise LST_MIGRATE_ERR_BAD_OPTION("directory", "required")
    target = options.pop("target", "max")
    directory = options.pop("directory")
    async with Migrator(database, directory, **options) as migrator:
        await migrator.migrate(target)


def _database(options: dict[str, Any]) -> Any:
    url, connection = options.pop("url", None), options.pop("connection", None)
    if (url is None) == (connection is None):
        raise LST_MIGRATE_ERR_BAD_OPTION("url/connection", "give exactly one of them")
    return url if url is not None else connection
