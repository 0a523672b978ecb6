"""Validation of the factory options: ``Lesto(**options)``.

Every option Lesto knows is declared once in :data:`OPTIONS` with its default
and a check. An unknown name or a value of the wrong type raises
``LST_ERR_INIT_OPTS_INVALID`` naming the option. The validated options, with
defaults filled in, are exposed read-only as ``app.initial_config``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from . import errors

__all__ = ["OPTIONS", "OptionSpec", "validate_options"]

# A check returns None when the value is acceptable, else what was expected.
Check = Callable[[Any], str | None]


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """One factory option: its default and the check its value must pass."""

    default: Any
    check: Check


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "a bool"


def _seconds(value: Any) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
    return None if ok else "a number of seconds >= 0"


def _positive_int(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
    return None if ok else "an int > 0"


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) else "a str"


def _optional_callable(value: Any) -> str | None:
    return None if value is None or callable(value) else "a callable or None"


def _logger(value: Any) -> str | None:
    return None if isinstance(value, bool | Mapping) else "a bool or a mapping of logger options"


def _request_id_header(value: Any) -> str | None:
    return None if value is False or isinstance(value, str) else "a header name or False"


def _trust_proxy(value: Any) -> str | None:
    if isinstance(value, bool | str | int) or callable(value):
        return None
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return None
    return "a bool, a hop count, an address or CIDR (str or list of str) or a callable"


def _optional_mapping(value: Any) -> str | None:
    return None if value is None or isinstance(value, Mapping) else "a mapping or None"


def _anything(value: Any) -> str | None:
    return None


OPTIONS: Mapping[str, OptionSpec] = MappingProxyType(
    {
        # plugin loader
        "plugin_timeout": OptionSpec(10, _seconds),
        # logging (consumed by lesto.logging)
        "logger": OptionSpec(False, _logger),
        "logger_instance": OptionSpec(None, _anything),
        "disable_request_logging": OptionSpec(False, _boolean),
        "request_id_header": OptionSpec(False, _request_id_header),
        "request_id_log_label": OptionSpec("reqId", _text),
        "gen_req_id": OptionSpec(None, _optional_callable),
        # router and request path
        "case_sensitive": OptionSpec(True, _boolean),
        "ignore_trailing_slash": OptionSpec(False, _boolean),
        "ignore_duplicate_slashes": OptionSpec(False, _boolean),
        "max_param_length": OptionSpec(100, _positive_int),
        "expose_head_routes": OptionSpec(True, _boolean),
        "constraints": OptionSpec(None, _optional_mapping),
        "body_limit": OptionSpec(1024 * 1024, _positive_int),
        "max_header_size": OptionSpec(16 * 1024, _positive_int),
        "max_header_count": OptionSpec(100, _positive_int),
        "handler_timeout": OptionSpec(0, _seconds),
        "trust_proxy": OptionSpec(False, _trust_proxy),
        "querystring_parser": OptionSpec(None, _optional_callable),
        "return_503_on_closing": OptionSpec(True, _boolean),
        # serving
        "gc_freeze": OptionSpec(True, _boolean),
        # schemas
        "all_errors": OptionSpec(False, _boolean),
    }
)


def validate_options(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """Check ``options`` against :data:`OPTIONS`; return them with defaults, read-only.

    Raises:
        LST_ERR_INIT_OPTS_INVALID: an unknown option, or a value of the wrong type.
    """
    for name, value in options.items():
        spec = OPTIONS.get(name)
        if spec is None:
            raise errors.LST_ERR_INIT_OPTS_INVALID(name, "unknown option")
        expected = spec.check(value)
        if expected is not None:
            got = type(value).__name__
            raise errors.LST_ERR_INIT_OPTS_INVALID(name, f"expected {expected}, got {got}")
    config = {name: spec.default for name, spec in OPTIONS.items()}
    config.update(options)
    return MappingProxyType(config)
