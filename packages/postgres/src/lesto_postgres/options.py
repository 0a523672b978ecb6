"""The plugin's options: every name, its default and its check, in one table.

``parse_options`` turns what ``app.register`` passed into an :class:`Options`
or raises ``LST_PG_ERR_UNKNOWN_OPTION`` / ``LST_PG_ERR_INVALID_OPTION``
naming the option. It runs before anything connects.
"""

from __future__ import annotations

import ssl as _ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import asyncpg  # type: ignore[import-untyped]

from .errors import LST_PG_ERR_INVALID_OPTION, LST_PG_ERR_UNKNOWN_OPTION

__all__ = ["DEFAULTS", "Options", "parse_options"]

#: Upper bound of the derived ``connect_timeout`` and ``close_timeout`` defaults, in seconds.
DEFAULT_TIMEOUT = 5.0
#: Share of ``plugin_timeout`` the derived defaults may use, so ours always fire first.
_SHARE_OF_PLUGIN_TIMEOUT = 0.8

_SSL_MODES = frozenset({"disable", "allow", "prefer", "require", "verify-ca", "verify-full"})


def _is_int(value: Any, least: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


def _is_seconds(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _is_settings(value: Any) -> bool:
    return isinstance(value, Mapping) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _is_ssl(value: Any) -> bool:
    return isinstance(value, bool | _ssl.SSLContext) or value in _SSL_MODES


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and value.partition("://")[0] in {"postgres", "postgresql"}


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and value.isidentifier() and not value.startswith("_")


def _optional(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: value is None or check(value)


# name: (default, check, what the check requires). ``None`` defaults of the
# timeouts are derived from ``plugin_timeout`` (see ``_derived``).
_POOL_OPTIONS: dict[str, tuple[Any, Callable[[Any], bool], str]] = {
    "min_size": (10, lambda v: _is_int(v, 0), "must be an integer >= 0"),
    "max_size": (10, lambda v: _is_int(v, 1), "must be an integer >= 1"),
    "command_timeout": (None, _optional(_is_seconds), "must be None or seconds > 0"),
    "statement_cache_size": (100, lambda v: _is_int(v, 0), "must be an integer >= 0"),
    "max_inactive_connection_lifetime": (
        300.0,
        lambda v: v == 0 or _is_seconds(v),
        "must be seconds >= 0 (0 keeps idle connections forever)",
    ),
    "server_settings": (None, _optional(_is_settings), "must be None or a dict of str to str"),
    "ssl": (
        None,
        _optional(_is_ssl),
        f"must be None, a bool, an ssl.SSLContext or one of {sorted(_SSL_MODES)}",
    ),
    "init": (None, _optional(callable), "must be None or an async function of the connection"),
    "setup": (None, _optional(callable), "must be None or an async function of the connection"),
}
_PLUGIN_OPTIONS: dict[str, tuple[Any, Callable[[Any], bool], str]] = {
    "url": (None, _optional(_is_url), "must be None or a postgresql:// URL"),
    "pool": (
        None,
        _optional(lambda v: isinstance(v, asyncpg.Pool)),
        "must be None or an asyncpg.Pool",
    ),
    "close_pool": (False, lambda v: isinstance(v, bool), "must be a bool"),
    "name": (
        None,
        _optional(_is_name),
        "must be None or an identifier not starting with '_' (it becomes app.pg.<name>)",
    ),
    "connect_timeout": (None, _optional(_is_seconds), "must be None or seconds > 0"),
    "acquire_timeout": (5.0, _optional(_is_seconds), "must be None or seconds > 0"),
    "close_timeout": (None, _optional(_is_seconds), "must be None or seconds > 0"),
}
_TABLE = {**_PLUGIN_OPTIONS, **_POOL_OPTIONS}

#: Every option with its default (``None`` timeouts are derived from ``plugin_timeout``).
DEFAULTS: Mapping[str, Any] = {name: spec[0] for name, spec in _TABLE.items()}


@dataclass(frozen=True, slots=True)
class Options:
    """Validated options of one registration."""

    name: str | None
    url: str | None
    pool: Any
    close_pool: bool
    connect_timeout: float
    acquire_timeout: float | None
    close_timeout: float
    #: Keyword arguments for ``asyncpg.create_pool`` (only those given or defaulted).
    pool_options: Mapping[str, Any]


def parse_options(opts: Mapping[str, Any], plugin_timeout: float) -> Options:
    """Check ``opts`` and fill in the defaults.

    Raises:
        LST_PG_ERR_UNKNOWN_OPTION: a name that is not an option.
        LST_PG_ERR_INVALID_OPTION: a value that fails its check, or options
            that contradict each other (naming them).
    """
    unknown = sorted(set(opts) - set(_TABLE))
    if unknown:
        raise LST_PG_ERR_UNKNOWN_OPTION(", ".join(unknown), ", ".join(sorted(_TABLE)))
    for name, value in opts.items():
        _, check, requirement = _TABLE[name]
        if not check(value):
            raise LST_PG_ERR_INVALID_OPTION(name, requirement, value)
    values = {**DEFAULTS, **opts}
    if "min_size" not in opts:
        values["min_size"] = min(values["min_size"], values["max_size"])
    _check_combinations(opts, values)
    return Options(
        name=values["name"],
        url=values["url"],
        pool=values["pool"],
        close_pool=values["close_pool"],
        connect_timeout=_derived(values, "connect_timeout", plugin_timeout),
        acquire_timeout=values["acquire_timeout"],
        close_timeout=_derived(values, "close_timeout", plugin_timeout),
        pool_options={name: values[name] for name in _POOL_OPTIONS},
    )


def _check_combinations(given: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    if values["pool"] is not None:
        ignored = sorted(name for name in given if name in _POOL_OPTIONS or name == "url")
        if ignored:
            raise LST_PG_ERR_INVALID_OPTION(
                "pool",
                f"cannot be combined with {', '.join(ignored)}, which configure a new pool",
                values["pool"],
            )
    elif values["close_pool"]:
        raise LST_PG_ERR_INVALID_OPTION("close_pool", "needs pool= (a pool passed in)", True)
    if values["min_size"] > values["max_size"]:
        raise LST_PG_ERR_INVALID_OPTION(
            "min_size", f"must not exceed max_size ({values['max_size']})", values["min_size"]
        )


def _derived(values: Mapping[str, Any], name: str, plugin_timeout: float) -> float:
    """A timeout that ends before ``plugin_timeout`` does, so its error is the one reported."""
    value: float | None = values[name]
    if value is None:
        if not plugin_timeout:
            return DEFAULT_TIMEOUT
        return min(DEFAULT_TIMEOUT, plugin_timeout * _SHARE_OF_PLUGIN_TIMEOUT)
    if plugin_timeout and value >= plugin_timeout:
        raise LST_PG_ERR_INVALID_OPTION(
            name, f"must be shorter than plugin_timeout ({plugin_timeout} s)", value
        )
    return float(value)
