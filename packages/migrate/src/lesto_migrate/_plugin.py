"""The Lesto plugin: migrate while the application starts (``lesto-migrate[lesto]``).

    app.register(lesto_migrate.plugin, url="postgresql://...", directory="migrations")

    app.register(lesto_postgres.plugin, url="postgresql://...")
    app.register(lesto_migrate.plugin, use="pg", directory="migrations")

The plugin is not encapsulated and loads in order, so plugins registered
after it start against the migrated schema. It closes the connection it
opened from ``url`` as soon as it is done; a ``connection`` passed in stays
open. With ``use="pg"`` or ``use="mysql"`` it borrows one connection from
the pool of lesto-postgres (``app.pg``) or lesto-mysql (``app.mysql``),
registered before it, for the run and gives it back: that plugin keeps
owning (and closes) its pool.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from typing import Any

from lesto import plugin as lesto_plugin

from ._migrator import Migrator
from .errors import LST_MIGRATE_ERR_BAD_OPTION, LST_MIGRATE_ERR_NOT_REGISTERED

__all__ = ["USES", "plugin"]

#: The values of the ``use`` option: the decorator to borrow from -> the plugin that adds it.
USES: Mapping[str, str] = {"pg": "lesto-postgres", "mysql": "lesto-mysql"}

_OPTIONS = frozenset(
    {
        "url",
        "connection",
        "use",
        "instance",
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

    Options: one of ``url``, ``connection`` or ``use`` (``"pg"`` or
    ``"mysql"``, with ``instance`` for a named instance), ``directory``
    (required), and ``target``, ``schema_table``, ``validate_checksums``,
    ``newline``, ``lock_timeout``, ``on_event`` as for :class:`Migrator`.

    Raises:
        LST_MIGRATE_ERR_BAD_OPTION: an unknown, missing or contradictory option.
        LST_MIGRATE_ERR_NOT_REGISTERED: ``use`` names a plugin (or instance)
            that is not registered before this one.
    """
    options = dict(opts)
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        raise LST_MIGRATE_ERR_BAD_OPTION(", ".join(unknown), "unknown option of lesto-migrate")
    url, connection = options.pop("url", None), options.pop("connection", None)
    use, instance = options.pop("use", None), options.pop("instance", None)
    if sum(value is not None for value in (url, connection, use)) != 1:
        raise LST_MIGRATE_ERR_BAD_OPTION("url/connection/use", "give exactly one of them")
    if use is not None and use not in USES:
        raise LST_MIGRATE_ERR_BAD_OPTION("use", f"must be one of {', '.join(map(repr, USES))}")
    if instance is not None and (use is None or not isinstance(instance, str) or not instance):
        raise LST_MIGRATE_ERR_BAD_OPTION("instance", "a non-empty instance name, with use=")
    if "directory" not in options:
        raise LST_MIGRATE_ERR_BAD_OPTION("directory", "required")
    target = options.pop("target", "max")
    directory = options.pop("directory")
    if use is not None:
        async with (
            _borrowed(app, use, instance) as borrowed,
            Migrator(borrowed, directory, **options) as migrator,
        ):
            await migrator.migrate(target)
        return
    async with Migrator(url if url is not None else connection, directory, **options) as migrator:
        await migrator.migrate(target)


def _instance(app: Any, use: str, instance: str | None) -> Any:
    """``app.pg`` / ``app.mysql``, or its named ``instance``.

    Raises:
        LST_MIGRATE_ERR_NOT_REGISTERED: the decorator or the instance is missing.
    """
    label = f"app.{use}" if instance is None else f"app.{use}.{instance}"
    if not app.has_decorator(use):
        raise LST_MIGRATE_ERR_NOT_REGISTERED(use, f"{label} is not there", USES[use])
    root = app.get_decorator(use)
    if instance is None:
        return root
    # lesto-mysql lists its named instances in `names`; lesto-postgres sets attributes.
    names = getattr(root, "names", None)
    found = names.get(instance) if isinstance(names, Mapping) else None
    if found is None and use == "pg" and not instance.startswith("_"):
        found = getattr(root, instance, None)
        found = found if type(found) is type(root) else None
    if found is None:
        what = f"{label} is not there (no {USES[use]} instance named {instance!r})"
        raise LST_MIGRATE_ERR_NOT_REGISTERED(use, what, f"{USES[use]} with name={instance!r}")
    return found


@contextlib.asynccontextmanager
async def _borrowed(app: Any, use: str, instance: str | None) -> AsyncIterator[Any]:
    """A driver connection borrowed through the other plugin's API, given back on exit.

    Borrowing through ``connect()`` keeps that plugin's rules (its acquire
    timeout, its pool accounting, its dropped-connection check) and never
    closes anything it owns.
    """
    db = _instance(app, use, instance)
    try:
        db.pool  # noqa: B018 - raises when app.pg / app.mysql holds only named instances
    except Exception as error:
        what = f"app.{use} has only named instances (pass instance=NAME)"
        raise LST_MIGRATE_ERR_NOT_REGISTERED(
            use, what, f"{USES[use]} without a name", cause=error
        ) from error
    async with db.connect() as conn:
        if use == "pg":
            yield conn
            return
        raw = conn.raw  # lesto-mysql's Connection wraps the aiomysql one
        autocommit = bool(raw.get_autocommit())
        if not autocommit:  # the migrator runs its own transactions
            await raw.autocommit(True)
        try:
            yield raw
        finally:
            if not autocommit and not raw.closed:
                await raw.autocommit(False)
