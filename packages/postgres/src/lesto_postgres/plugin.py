"""The Lesto plugin: ``app.register(lesto_postgres.plugin, url="postgresql://...")``.

Marked with ``@lesto.plugin``, so ``app.pg`` is visible to the context that
registers it and everything registered after it there. The first
registration in a context decorates ``app.pg``, ``request.pg`` and adds the
``on_route`` hook of per-route transactions; later ones (named instances, or
the unnamed one beside named ones) join the same ``app.pg``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lesto import plugin as lesto_plugin

from .database import Postgres
from .errors import LST_PG_ERR_ALREADY_REGISTERED, LST_PG_ERR_RESERVED_NAME
from .options import Options, parse_options
from .pool import close_pool, open_pool, target_of
from .transactions import RouteTransactions

__all__ = ["RESERVED_NAMES", "plugin"]

#: Names an instance cannot take: they are ``app.pg``'s own API.
RESERVED_NAMES = frozenset(name for name in dir(Postgres) if not name.startswith("_")) | {"name"}


@lesto_plugin(name="lesto-postgres", lesto=">=0.1,<1")
async def plugin(app: Any, opts: Mapping[str, Any]) -> None:
    """Open (or adopt) a pool, check the server, and decorate ``app.pg``.

    Options are listed in the README and in :mod:`lesto_postgres.options`.

    Raises:
        LST_PG_ERR_UNKNOWN_OPTION, LST_PG_ERR_INVALID_OPTION: bad options.
        LST_PG_ERR_RESERVED_NAME: ``name`` is part of ``app.pg``'s API.
        LST_PG_ERR_ALREADY_REGISTERED: this instance (unnamed, or this name) exists.
        LST_PG_ERR_CONNECT: the server is unreachable, refuses, or is too slow.
    """
    options = parse_options(opts, app.initial_config["plugin_timeout"])
    registry = _registry(app)
    _check_name(registry, options.name)
    pool = await open_pool(options)
    target = target_of(options)
    if options.name is None:
        registry._attach(pool, target, options.acquire_timeout)
    else:
        instance = Postgres(options.name)
        instance._attach(pool, target, options.acquire_timeout)
        registry._add_instance(instance)
    if options.pool is None or options.close_pool:
        app.add_hook("on_close", _closer(pool, options, target))


def _registry(app: Any) -> Postgres:
    """This context's ``app.pg``, made and decorated by the first registration."""
    if app.has_decorator("pg") and isinstance(app.pg, Postgres):
        registry: Postgres = app.pg
        return registry
    registry = Postgres()
    app.decorate("pg", registry)
    app.decorate_request("pg", None)
    app.decorate_request("_pg_transaction", None)
    app.add_hook("on_route", RouteTransactions(registry).on_route)
    return registry


def _check_name(registry: Postgres, name: str | None) -> None:
    if name is None:
        if registry._has_pool:
            raise LST_PG_ERR_ALREADY_REGISTERED("without a name")
        return
    if name in RESERVED_NAMES:
        raise LST_PG_ERR_RESERVED_NAME(name, name)
    if name in registry._instances:
        raise LST_PG_ERR_ALREADY_REGISTERED(f'instance "{name}"')


def _closer(pool: Any, options: Options, target: str) -> Any:
    async def close(instance: Any) -> None:
        await close_pool(pool, options.close_timeout, target)

    return close
