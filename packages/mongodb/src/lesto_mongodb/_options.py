"""Validation of the plugin's options: plugin keys, PyMongo client keys, and their defaults.

Plugin keys are checked here; every other key must name a PyMongo client
option, spelt as PyMongo spells it (``serverSelectionTimeoutMS``) or in
snake_case (``server_selection_timeout_ms``), and is passed to the client
under PyMongo's name. Anything else is refused with a coded error naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pymongo import common

from . import errors

__all__ = [
    "DEFAULT_SERVER_SELECTION_TIMEOUT_MS",
    "DEFAULT_TZ_AWARE",
    "DRIVERS",
    "Options",
    "parse_options",
    "readiness_deadline",
]

#: The drivers ``driver=`` accepts; the first is the default.
DRIVERS = ("pymongo", "motor")

#: Server selection timeout of the clients the plugin creates, unless set in
#: the options or the URL (PyMongo's own default is 30 s), lowered to half of
#: ``plugin_timeout`` when that is less: an unreachable server then fails with
#: PyMongo's reason well before the plugin times out.
DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 7500
SELECTION_SHARE = 0.5

#: Share of ``plugin_timeout`` after which the readiness check gives up in any
#: case (a server that accepts connections but never answers, or a client
#: passed in with a long selection timeout).
READINESS_SHARE = 0.9

#: ``tz_aware`` of the clients the plugin creates, unless set in the options or
#: the URL (PyMongo's own default is ``False``): BSON dates are then read as
#: UTC datetimes with a time zone, which replies write in ISO 8601 with the
#: offset (``"2024-05-01T12:30:00.250000+00:00"``) instead of a bare local-looking time.
DEFAULT_TZ_AWARE = True

_SELECTION_KEY = "serverselectiontimeoutms"
_TZ_AWARE_KEY = "tz_aware"

# Plugin keys that go with ``client``; the others configure a client the plugin makes.
_WITH_CLIENT = frozenset({"client", "database", "name", "close_client", "force_close"})

# Arguments of the client constructor that the plugin owns or replaces.
_CONSTRUCTOR_ONLY = frozenset({"host", "port"})


@dataclass(frozen=True)
class Options:
    """Validated plugin options (``client_options`` holds the PyMongo keyword arguments)."""

    url: str | None = None
    client: Any = None
    database: str | None = None
    name: str | None = None
    driver: str = DRIVERS[0]
    close_client: bool = False
    force_close: bool = False
    client_options: dict[str, Any] = field(default_factory=dict)


def parse_options(opts: Mapping[str, Any], plugin_timeout: float) -> Options:
    """Check ``opts`` and fill in the defaults.

    Raises:
        LST_MONGO_ERR_OPTION_UNKNOWN: a key that is neither a plugin nor a PyMongo option.
        LST_MONGO_ERR_OPTION_INVALID: a value of the wrong type, or a key that does
            not go with the others (``url`` with ``client``, ...).
        LST_MONGO_ERR_URL_REQUIRED: neither ``url`` nor ``client``.
    """
    plugin_keys = {key: opts[key] for key in opts if key in _PLUGIN_KEYS}
    client_options = {
        _client_option_name(key): value for key, value in opts.items() if key not in _PLUGIN_KEYS
    }
    for key, value in plugin_keys.items():
        _PLUGIN_KEYS[key](key, value)
    options = Options(**plugin_keys, client_options=client_options)
    if options.client is not None:
        _check_with_client(opts)
        return options
    _check_without_client(options)
    return _with_defaults(options, plugin_timeout)


def readiness_deadline(plugin_timeout: float) -> float | None:
    """Seconds the readiness check may take at most; ``None`` when plugins have no timeout."""
    return plugin_timeout * READINESS_SHARE if plugin_timeout > 0 else None


def _client_option_name(key: str) -> str:
    lowered = key.lower()
    if lowered not in _CONSTRUCTOR_ONLY:
        if lowered in common.VALIDATORS:
            return key
        squashed = lowered.replace("_", "")
        if squashed in common.VALIDATORS:
            return squashed
    raise errors.LST_MONGO_ERR_OPTION_UNKNOWN(key)


def _check_with_client(opts: Mapping[str, Any]) -> None:
    for key in opts:
        if key not in _WITH_CLIENT:
            raise errors.LST_MONGO_ERR_OPTION_INVALID(
                key, "not used with `client`: configure the client you pass"
            )


def _check_without_client(options: Options) -> None:
    if options.url is None:
        raise errors.LST_MONGO_ERR_URL_REQUIRED()
    if options.close_client:
        raise errors.LST_MONGO_ERR_OPTION_INVALID(
            "close_client",
            "only for a `client` passed in; a client made from `url` is always closed",
        )


def _with_defaults(options: Options, plugin_timeout: float) -> Options:
    """Add the plugin's client defaults, each unless the options or the URL set it."""
    assert options.url is not None
    given = {key.lower() for key in options.client_options}
    given.update(key.lower() for key, _ in parse_qsl(urlsplit(options.url).query))
    defaults: dict[str, Any] = {}
    if _SELECTION_KEY not in given:
        default_ms = DEFAULT_SERVER_SELECTION_TIMEOUT_MS
        if plugin_timeout > 0:
            default_ms = min(default_ms, int(plugin_timeout * SELECTION_SHARE * 1000))
        defaults["serverSelectionTimeoutMS"] = default_ms
    if _TZ_AWARE_KEY not in given:
        defaults["tz_aware"] = DEFAULT_TZ_AWARE
    if not defaults:
        return options
    return replace(options, client_options={**options.client_options, **defaults})


# --- checks of the plugin's own keys -------------------------------------------------------


def _optional_text(key: str, value: Any) -> None:
    if value is not None and not (isinstance(value, str) and value):
        raise errors.LST_MONGO_ERR_OPTION_INVALID(key, "must be a non-empty string")


def _flag(key: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise errors.LST_MONGO_ERR_OPTION_INVALID(key, "must be True or False")


def _driver(key: str, value: Any) -> None:
    if value not in DRIVERS:
        raise errors.LST_MONGO_ERR_OPTION_INVALID(key, f"must be one of {', '.join(DRIVERS)}")


def _anything(key: str, value: Any) -> None:
    """``client`` is checked when the plugin inspects it (see :mod:`lesto_mongodb._drivers`)."""


_PLUGIN_KEYS = {
    "url": _optional_text,
    "client": _anything,
    "database": _optional_text,
    "name": _optional_text,
    "driver": _driver,
    "close_client": _flag,
    "force_close": _flag,
}
