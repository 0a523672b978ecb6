"""The plugin: ``app.register(lesto_mysql.plugin, url="mysql://...", **options)``."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import aiomysql  # type: ignore[import-untyped]
from lesto import Lesto
from lesto import plugin as lesto_plugin

from . import errors
from ._client import MySQL
from ._connect import describe_server, open_source
from ._options import Settings, validate_options
from ._routes import route_hook

__all__ = ["plugin"]

_CURSORS: Mapping[str, type] = {"dict": aiomysql.DictCursor, "tuple": aiomysql.Cursor}

#: Share of ``plugin_timeout`` the default ``connect_timeout`` may use, so that a
#: server that does not answer fails with this plugin's error, not the loader's.
_SHARE_OF_PLUGIN_TIMEOUT = 0.8


@lesto_plugin(name="lesto-mysql", lesto=">=0.1,<1")
async def plugin(app: Lesto, opts: Mapping[str, Any]) -> None:
    """Connect to MySQL/MariaDB and decorate ``app.mysql`` (or ``app.mysql.<name>``).

    Raises:
        LST_MYSQL_ERR_OPTION_UNKNOWN, LST_MYSQL_ERR_OPTION_INVALID: bad options.
        LST_MYSQL_ERR_ALREADY_REGISTERED, LST_MYSQL_ERR_DUPLICATE_NAME,
        LST_MYSQL_ERR_RESERVED_NAME: the instance cannot be added here.
        LST_MYSQL_ERR_CONNECT: the server did not answer a ``SELECT 1``.
    """
    settings = _fit_connect_timeout(validate_options(opts), opts, app)
    root = _existing_root(app)
    _check_place(root, settings.name)
    label = "app.mysql" if settings.name is None else f"app.mysql.{settings.name}"
    source, autocommit = await open_source(settings, label)
    instance = MySQL(label) if settings.name is not None or root is None else root
    instance._configure(source, _CURSORS[settings.cursor], autocommit, describe_server(settings))
    if root is None:
        root = instance if settings.name is None else MySQL("app.mysql")
        app.decorate("mysql", root)
        if not app.has_request_decorator("mysql"):
            app.decorate_request("mysql", None)
        app.add_hook("on_route", route_hook(root))
    if settings.name is not None:
        root._add_named(settings.name, instance)

    async def close(_: Lesto) -> None:
        await instance._close(settings.close_timeout)

    app.add_hook("on_close", close)


def _existing_root(app: Lesto) -> MySQL | None:
    if not app.has_decorator("mysql"):
        return None
    value = app.get_decorator("mysql")
    if not isinstance(value, MySQL):
        # Someone else's `mysql`: let core refuse the duplicate decorator.
        app.decorate("mysql", None)
    return value if isinstance(value, MySQL) else None


def _check_place(root: MySQL | None, name: str | None) -> None:
    if name is None:
        if root is not None and root._configured:
            raise errors.LST_MYSQL_ERR_ALREADY_REGISTERED()
        return
    if hasattr(MySQL, name):
        raise errors.LST_MYSQL_ERR_RESERVED_NAME(name, name)
    if root is not None and name in root.names:
        raise errors.LST_MYSQL_ERR_DUPLICATE_NAME(name)


def _fit_connect_timeout(settings: Settings, given: Mapping[str, Any], app: Lesto) -> Settings:
    """Keep the readiness check inside the app's ``plugin_timeout``.

    Raises:
        LST_MYSQL_ERR_OPTION_INVALID: an explicit ``connect_timeout`` that is not shorter.
    """
    limit = app.initial_config.get("plugin_timeout") or 0
    if not limit or settings.connect_timeout < limit:
        return settings
    if "connect_timeout" in given:
        raise errors.LST_MYSQL_ERR_OPTION_INVALID(
            "connect_timeout", f"must be shorter than plugin_timeout ({limit:g} s)"
        )
    fitted = limit * _SHARE_OF_PLUGIN_TIMEOUT
    return dataclasses.replace(settings, connect_timeout=fitted)
