"""The plugin: make or accept a client, check it answers, decorate ``app.mongo``, close it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lesto import Lesto
from lesto import plugin as lesto_plugin

from . import _drivers, errors
from ._json import register_encoders
from ._mongo import Mongo, check_name
from ._options import Options, parse_options, readiness_deadline
from ._outages import OutageTranslator

__all__ = ["plugin"]

DECORATOR = "mongo"


@lesto_plugin(name="lesto-mongodb", lesto=">=0.1,<1")
async def plugin(app: Lesto, opts: Mapping[str, Any]) -> None:
    """Register MongoDB on ``app``: ``app.register(lesto_mongodb.plugin, url=...)``.

    See the package README for the options. Raises the ``LST_MONGO_ERR_*``
    errors of :mod:`lesto_mongodb.errors`.
    """
    register_encoders()
    plugin_timeout = float(app.initial_config["plugin_timeout"])
    options = parse_options(opts, plugin_timeout)
    existing = _existing(app)
    _check_registration(existing, options.name)
    client, driver = _client(options)
    try:
        await _drivers.ping(client, readiness_deadline(plugin_timeout))
    except errors.LST_MONGO_ERR_CONNECT:
        if options.client is None:
            await _drivers.close(client, driver, force=True)
        raise
    database = options.database or _drivers.default_database(client)
    mongo = Mongo(client, driver, database, options.name)
    _decorate(app, existing, mongo)
    if options.client is None or options.close_client:
        _close_on_close(app, mongo, options.force_close)


def _existing(app: Lesto) -> Mongo | None:
    if not app.has_decorator(DECORATOR):
        return None
    current = app.get_decorator(DECORATOR)
    if not isinstance(current, Mongo):
        raise errors.LST_MONGO_ERR_ALREADY_REGISTERED("app.mongo is taken by another decorator")
    return current


def _check_registration(existing: Mongo | None, name: str | None) -> None:
    if name is None:
        if existing is not None:
            raise errors.LST_MONGO_ERR_ALREADY_REGISTERED(repr(existing))
        return
    check_name(name)
    if existing is not None and name in existing:
        raise errors.LST_MONGO_ERR_NAME_DUPLICATE(name)


def _client(options: Options) -> tuple[Any, str]:
    if options.client is not None:
        return options.client, _drivers.driver_of(options.client)
    assert options.url is not None
    return _drivers.new_client(options.driver, options.url, options.client_options), options.driver


def _decorate(app: Lesto, existing: Mongo | None, mongo: Mongo) -> None:
    if existing is None:
        app.decorate(DECORATOR, mongo)
        app.add_hook("on_route", OutageTranslator(mongo.clients).on_route)
    else:
        existing.add_named(mongo)


def _close_on_close(app: Lesto, mongo: Mongo, force: bool) -> None:
    async def close_mongo(instance: Lesto) -> None:
        await _drivers.close(mongo.client, mongo.driver, force)

    app.add_hook("on_close", close_mongo)
