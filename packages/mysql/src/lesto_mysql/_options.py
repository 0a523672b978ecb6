"""Validation of the plugin's options into :class:`Settings`.

Every option has a default here; an unknown key, a value of the wrong kind,
or a connection option given together with ``pool=`` is refused with a coded
error naming the key.
"""

from __future__ import annotations

import ssl as _ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiomysql  # type: ignore[import-untyped]

from . import errors
from ._url import Address, parse_url

__all__ = ["DEFAULTS", "Settings", "validate_options"]

#: Every option and its default.
DEFAULTS: Mapping[str, Any] = {
    "url": None,
    "type": "pool",
    "name": None,
    "pool": None,
    "close_pool": False,
    "cursor": "dict",
    "minsize": 1,
    "maxsize": 10,
    "pool_recycle": None,
    "connect_timeout": 5.0,
    "acquire_timeout": 5.0,
    "close_timeout": 5.0,
    "charset": "utf8mb4",
    "autocommit": True,
    "ssl": None,
}

#: Options that describe connections lesto-mysql makes, so they cannot go with ``pool=``.
_CONNECTION_OPTIONS = ("url", "minsize", "maxsize", "pool_recycle", "charset", "autocommit", "ssl")


@dataclass(frozen=True, slots=True)
class Settings:
    """The validated options of one registration."""

    name: str | None
    type: str
    pool: Any
    close_pool: bool
    cursor: str
    address: Address | None
    minsize: int
    maxsize: int
    pool_recycle: float
    connect_timeout: float
    acquire_timeout: float
    close_timeout: float
    charset: str
    autocommit: bool
    ssl: _ssl.SSLContext | None


def validate_options(options: Mapping[str, Any]) -> Settings:
    """Check ``options`` and fill in the defaults.

    Raises:
        LST_MYSQL_ERR_OPTION_UNKNOWN: a key that is not an option.
        LST_MYSQL_ERR_OPTION_INVALID: a bad value, a missing ``url``, or
            ``pool=`` with an option that only applies to connections it would make.
    """
    for key in options:
        if key not in DEFAULTS:
            raise errors.LST_MYSQL_ERR_OPTION_UNKNOWN(key)
    values = {**DEFAULTS, **options}
    for key, check in _CHECKS.items():
        reason = check(values[key])
        if reason:
            raise errors.LST_MYSQL_ERR_OPTION_INVALID(key, reason)
    _check_combination(options, values)
    recycle = values["pool_recycle"]
    return Settings(
        name=values["name"],
        type=values["type"],
        pool=values["pool"],
        close_pool=values["close_pool"],
        cursor=values["cursor"],
        address=parse_url(values["url"]) if values["url"] is not None else None,
        minsize=values["minsize"],
        maxsize=values["maxsize"],
        pool_recycle=-1 if recycle is None else float(recycle),
        connect_timeout=float(values["connect_timeout"]),
        acquire_timeout=float(values["acquire_timeout"]),
        close_timeout=float(values["close_timeout"]),
        charset=values["charset"],
        autocommit=values["autocommit"],
        ssl=values["ssl"],
    )


def _check_combination(given: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    if values["pool"] is not None:
        for key in _CONNECTION_OPTIONS:
            if key in given:
                raise errors.LST_MYSQL_ERR_OPTION_INVALID(key, "cannot be used with pool=")
        if values["type"] != "pool":
            raise errors.LST_MYSQL_ERR_OPTION_INVALID("type", "must be 'pool' with pool=")
        return
    if values["url"] is None:
        raise errors.LST_MYSQL_ERR_OPTION_INVALID("url", "required (or pass pool=)")
    if "close_pool" in given:
        raise errors.LST_MYSQL_ERR_OPTION_INVALID("close_pool", "only applies with pool=")
    if values["maxsize"] < values["minsize"]:
        raise errors.LST_MYSQL_ERR_OPTION_INVALID("maxsize", "must be at least minsize")


# --- one check per option: None when the value is good, else the reason ---------------------


def _url(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        return "must be a string"
    try:
        parse_url(value)
    except ValueError as error:
        return str(error)
    return None


def _one_of(*allowed: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in allowed else f"must be one of {', '.join(map(repr, allowed))}"

    return check


def _name(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.isidentifier() or value.startswith("_"):
        return "must be a Python identifier not starting with '_'"
    return None


def _pool(value: Any) -> str | None:
    if value is None or isinstance(value, aiomysql.Pool):
        return None
    return "must be an aiomysql.Pool"


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be True or False"


def _count(minimum: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
            return None
        return f"must be an integer >= {minimum}"

    return check


def _seconds(value: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return None
    return "must be a number of seconds > 0"


def _optional_seconds(value: Any) -> str | None:
    return None if value is None else _seconds(value)


def _charset(value: Any) -> str | None:
    return None if isinstance(value, str) and value else "must be a non-empty string"


def _ssl_context(value: Any) -> str | None:
    if value is None or isinstance(value, _ssl.SSLContext):
        return None
    return "must be an ssl.SSLContext"


_CHECKS: Mapping[str, Callable[[Any], str | None]] = {
    "url": _url,
    "type": _one_of("pool", "connection"),
    "name": _name,
    "pool": _pool,
    "close_pool": _boolean,
    "cursor": _one_of("dict", "tuple"),
    "minsize": _count(0),
    "maxsize": _count(1),
    "pool_recycle": _optional_seconds,
    "connect_timeout": _seconds,
    "acquire_timeout": _seconds,
    "close_timeout": _seconds,
    "charset": _charset,
    "autocommit": _boolean,
    "ssl": _ssl_context,
}
