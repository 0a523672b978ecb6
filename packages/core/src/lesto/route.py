"""Route options: what ``app.route(...)`` and the shorthands accept, checked once.

``route()`` takes keyword options (see :data:`ROUTE_OPTION_NAMES`). They are
validated, the context's ``on_route`` hooks may change them (they receive a
mutable dict), and the result is frozen into a :class:`RouteOptions` that
handlers read as ``request.route_options``. Plugin-specific settings go in
``config``, which is the one open-ended option.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from . import errors
from ._callables import is_async_callable
from .hooks import REQUEST_HOOKS, HookEntry, make_hook

__all__ = [
    "ROUTE_OPTION_NAMES",
    "RouteOptions",
    "expand_paths",
    "normalize_hooks",
    "normalize_methods",
]

#: Every option ``route()`` accepts besides the request hooks.
BASE_OPTIONS = frozenset(
    {
        "method",
        "url",
        "handler",
        "schema",
        "attach_validation",
        "error_handler",
        "config",
        "body_limit",
        "log_level",
        "constraints",
        "expose_head_route",
        "prefix_trailing_slash",
        "handler_timeout",
        "validator_compiler",
        "serializer_compiler",
        "schema_error_formatter",
    }
)

#: Every option ``route()`` accepts.
ROUTE_OPTION_NAMES = BASE_OPTIONS | frozenset(REQUEST_HOOKS)

_TRAILING_SLASH_MODES = ("both", "slash", "no-slash")
_LOG_LEVELS = frozenset({"trace", "debug", "info", "warn", "error", "fatal", "silent"})


@dataclass(frozen=True, slots=True)
class RouteOptions:
    """The options of one route as handlers see them (``request.route_options``).

    Attributes:
        method: the HTTP method.
        url: the full path, prefix included.
        path: the path as given to ``route()``, without the prefix.
        prefix: the prefix of the context the route belongs to.
        handler: the handler function.
        handler_is_async: whether the handler is ``async`` (decided once).
        schema: the route's schema as given.
        config: the route's ``config`` mapping (read-only).
        attach_validation: keep validation errors on the request instead of answering 400.
        error_handler: the route's own error handler, if any.
        body_limit: the route's body limit in bytes, ``None`` for the app's.
        log_level: the route's log level, ``None`` for the context's.
        constraints: the router constraints (``version``, ``host``, custom).
        expose_head_route: whether a HEAD route is added for this GET route.
        handler_timeout: seconds before the handler is cancelled (503), ``None`` for the app's.
    """

    method: str
    url: str
    path: str
    prefix: str
    handler: Callable[..., Any]
    handler_is_async: bool
    schema: Mapping[str, Any] | None
    config: Mapping[str, Any]
    attach_validation: bool
    error_handler: Callable[..., Any] | None
    body_limit: int | None
    log_level: str | None
    constraints: Mapping[str, Any] | None
    expose_head_route: bool
    handler_timeout: float | None
    validator_compiler: Callable[..., Any] | None = None
    serializer_compiler: Callable[..., Any] | None = None
    schema_error_formatter: Callable[..., Any] | None = None
    hooks: Mapping[str, tuple[HookEntry, ...]] = field(default_factory=dict)


def check_option_names(options: Mapping[str, Any], where: str) -> None:
    """Refuse options ``route()`` does not know, pointing plugin settings to ``config``.

    Raises:
        LST_ERR_ROUTE_OPTION_UNKNOWN: an unknown option name.
    """
    for name in options:
        if name not in ROUTE_OPTION_NAMES:
            raise errors.LST_ERR_ROUTE_OPTION_UNKNOWN(name, where)


def normalize_methods(method: Any, known: Mapping[str, bool]) -> tuple[str, ...]:
    """The route's methods, upper-cased; each must be known.

    Raises:
        LST_ERR_ROUTE_METHOD_INVALID: not a str or a list of str.
        LST_ERR_ROUTE_METHOD_NOT_SUPPORTED: a method not added with ``add_http_method``.
    """
    items = [method] if isinstance(method, str) else method
    if not isinstance(items, list | tuple) or not items:
        raise errors.LST_ERR_ROUTE_METHOD_INVALID(repr(method))
    methods: list[str] = []
    for item in items:
        if not isinstance(item, str) or not item:
            raise errors.LST_ERR_ROUTE_METHOD_INVALID(repr(item))
        name = item.upper()
        if name not in known:
            raise errors.LST_ERR_ROUTE_METHOD_NOT_SUPPORTED(name)
        if name not in methods:
            methods.append(name)
    return tuple(methods)


def expand_paths(
    prefix: str, url: Any, trailing_slash: str, *, ignore_trailing_slash: bool = False
) -> list[str]:
    """The router paths of a route: ``url`` under ``prefix``, with Fastify's prefix rules.

    For ``url`` ``"/"`` under a prefix, ``prefix_trailing_slash`` chooses
    ``"both"`` (``/p`` and ``/p/``), ``"slash"`` (``/p/``) or ``"no-slash"`` (``/p``).
    With ``ignore_trailing_slash`` the router treats ``/p/`` as ``/p``, so
    ``"both"`` adds ``/p`` only.

    Raises:
        LST_ERR_INVALID_URL: ``url`` is not a str starting with ``/`` or ``*``.
        LST_ERR_ROUTE_OPTION_INVALID: an unknown ``prefix_trailing_slash``.
    """
    if not isinstance(url, str) or (url and url[0] not in "/*"):
        raise errors.LST_ERR_INVALID_URL(url)
    if trailing_slash not in _TRAILING_SLASH_MODES:
        raise errors.LST_ERR_ROUTE_OPTION_INVALID(
            "prefix_trailing_slash", f"one of {', '.join(_TRAILING_SLASH_MODES)}"
        )
    if not prefix:
        return [url or "/"]
    if url in ("", "/"):
        if url == "" or trailing_slash == "no-slash":
            return [prefix]
        if trailing_slash == "slash":
            return [prefix + "/"]
        return [prefix] if ignore_trailing_slash else [prefix, prefix + "/"]
    return [prefix + url]


def normalize_hooks(options: Mapping[str, Any]) -> dict[str, tuple[HookEntry, ...]]:
    """The route-level hooks: each option is a function or a list of functions.

    Raises:
        LST_ERR_HOOK_INVALID_HANDLER, LST_ERR_HOOK_INVALID_SIGNATURE: a bad hook.
    """
    hooks: dict[str, tuple[HookEntry, ...]] = {}
    for name in REQUEST_HOOKS:
        value = options.get(name)
        if value is None:
            continue
        functions: Iterable[Any] = value if isinstance(value, list | tuple) else [value]
        hooks[name] = tuple(make_hook(name, fn) for fn in functions)
    return hooks


def check_scalars(options: Mapping[str, Any], where: str) -> None:
    """Check the simple options' types.

    Raises:
        LST_ERR_ROUTE_MISSING_HANDLER: no handler.
        LST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT: a bad ``body_limit``.
        LST_ERR_ROUTE_OPTION_INVALID: another option of the wrong type.
    """
    if not callable(options.get("handler")):
        raise errors.LST_ERR_ROUTE_MISSING_HANDLER(*where.split(":", 1))
    limit = options.get("body_limit")
    if limit is not None and (type(limit) is not int or limit <= 0):
        raise errors.LST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT(limit)
    config = options.get("config")
    if config is not None and not isinstance(config, Mapping):
        raise errors.LST_ERR_ROUTE_OPTION_INVALID("config", "a mapping")
    level = options.get("log_level")
    if level is not None and level not in _LOG_LEVELS:
        raise errors.LST_ERR_ROUTE_OPTION_INVALID("log_level", "a log level name")
    timeout = options.get("handler_timeout")
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout < 0
    ):
        raise errors.LST_ERR_ROUTE_OPTION_INVALID("handler_timeout", "seconds >= 0")
    for name in ("error_handler", "validator_compiler", "serializer_compiler"):
        value = options.get(name)
        if value is not None and not callable(value):
            raise errors.LST_ERR_ROUTE_OPTION_INVALID(name, "a function")
    constraints = options.get("constraints")
    if constraints is not None and not isinstance(constraints, Mapping):
        raise errors.LST_ERR_ROUTE_OPTION_INVALID("constraints", "a mapping")


def freeze(
    options: Mapping[str, Any],
    *,
    method: str,
    url: str,
    prefix: str,
    expose_head_default: bool,
    hooks: Mapping[str, tuple[HookEntry, ...]],
) -> RouteOptions:
    """The frozen :class:`RouteOptions` of one method and path of a route."""
    handler = options["handler"]
    return RouteOptions(
        method=method,
        url=url,
        path=options.get("url", ""),
        prefix=prefix,
        handler=handler,
        handler_is_async=is_async_callable(handler),
        schema=options.get("schema"),
        config=MappingProxyType(dict(options.get("config") or {})),
        attach_validation=bool(options.get("attach_validation", False)),
        error_handler=options.get("error_handler"),
        body_limit=options.get("body_limit"),
        log_level=options.get("log_level"),
        constraints=options.get("constraints"),
        expose_head_route=_or_default(options.get("expose_head_route"), expose_head_default),
        handler_timeout=options.get("handler_timeout"),
        validator_compiler=options.get("validator_compiler"),
        serializer_compiler=options.get("serializer_compiler"),
        schema_error_formatter=options.get("schema_error_formatter"),
        hooks=MappingProxyType(dict(hooks)),
    )


def _or_default(value: bool | None, default: bool) -> bool:
    return default if value is None else bool(value)
