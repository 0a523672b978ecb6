"""The ``@plugin`` marker (fastify-plugin) and the checks it asks for at load time.

A function marked with ``@plugin`` runs in its parent's context (it is not
encapsulated, so what it decorates is visible to the parent), unless
``encapsulate=True``. Its metadata is checked when the plugin loads:

* ``lesto``: a version range (``">=0.1,<1"``) the installed Lesto must satisfy;
* ``decorators``: names that must already be decorated, by kind
  (``{"instance": [...], "request": [...], "reply": [...]}``);
* ``dependencies``: names of ``@plugin`` plugins that must be registered in
  the context or one of its ancestors.

The name (the function's name unless given) is recorded in the context the
plugin is registered in, so ``has_plugin`` and later ``dependencies`` see it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from . import errors
from .__about__ import __version__
from ._callables import callable_name

__all__ = ["PluginMeta", "check_meta", "get_meta", "plugin"]

META_ATTRIBUTE = "__lesto_plugin__"
DECORATOR_KINDS = ("instance", "request", "reply")

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class PluginMeta:
    """What ``@plugin`` records on a function."""

    name: str
    lesto: SpecifierSet | None
    dependencies: tuple[str, ...]
    decorators: Mapping[str, tuple[str, ...]]
    encapsulate: bool


@overload
def plugin(
    fn: None = None,
    /,
    *,
    name: str | None = None,
    lesto: str | None = None,
    dependencies: Iterable[str] = (),
    decorators: Mapping[str, Iterable[str]] | None = None,
    encapsulate: bool = False,
) -> Callable[[F], F]: ...


@overload
def plugin(
    fn: F,
    /,
    *,
    name: str | None = None,
    lesto: str | None = None,
    dependencies: Iterable[str] = (),
    decorators: Mapping[str, Iterable[str]] | None = None,
    encapsulate: bool = False,
) -> F: ...


def plugin(
    fn: F | None = None,
    /,
    *,
    name: str | None = None,
    lesto: str | None = None,
    dependencies: Iterable[str] = (),
    decorators: Mapping[str, Iterable[str]] | None = None,
    encapsulate: bool = False,
) -> F | Callable[[F], F]:
    """Mark a plugin function: not encapsulated, named, with load-time checks.

    Usable bare (``@plugin``), with arguments (``@plugin(name="db")``) or as a
    call (``plugin(fn, name="db")``). Returns the function itself, marked.

    Raises:
        LST_ERR_PLUGIN_META_INVALID: an argument has the wrong type, or
            ``lesto`` is not a valid version range.
    """

    def mark(target: F) -> F:
        if not callable(target):
            raise errors.LST_ERR_PLUGIN_NOT_VALID(type(target).__name__)
        meta = _build_meta(target, name, lesto, dependencies, decorators, encapsulate)
        try:
            setattr(target, META_ATTRIBUTE, meta)
        except AttributeError as exc:
            raise errors.LST_ERR_PLUGIN_META_INVALID(
                meta.name, "the plugin cannot carry attributes; wrap it in a function"
            ) from exc
        return target

    return mark if fn is None else mark(fn)


def get_meta(fn: object) -> PluginMeta | None:
    """The ``@plugin`` metadata of ``fn``, ``None`` for a plain plugin."""
    meta = getattr(fn, META_ATTRIBUTE, None)
    return meta if isinstance(meta, PluginMeta) else None


def check_meta(meta: PluginMeta, parent: Any) -> None:
    """Check a ``@plugin``'s requirements against the instance it is registered on.

    Raises:
        LST_ERR_PLUGIN_VERSION_MISMATCH: the installed Lesto is outside ``lesto``.
        LST_ERR_PLUGIN_NOT_PRESENT_IN_INSTANCE: a required decorator is missing.
        LST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED: a dependency is not registered.
    """
    if meta.lesto is not None and not meta.lesto.contains(__version__, prereleases=True):
        raise errors.LST_ERR_PLUGIN_VERSION_MISMATCH(meta.name, str(meta.lesto), __version__)
    checks = {
        "instance": parent.has_decorator,
        "request": parent.has_request_decorator,
        "reply": parent.has_reply_decorator,
    }
    for kind, names in meta.decorators.items():
        for decorator in names:
            if not checks[kind](decorator):
                raise errors.LST_ERR_PLUGIN_NOT_PRESENT_IN_INSTANCE(meta.name, kind, decorator)
    for dependency in meta.dependencies:
        if not parent.has_plugin(dependency):
            raise errors.LST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED(meta.name, dependency)


def _build_meta(
    fn: Callable[..., Any],
    name: str | None,
    lesto: str | None,
    dependencies: Iterable[str],
    decorators: Mapping[str, Iterable[str]] | None,
    encapsulate: bool,
) -> PluginMeta:
    plugin_name = callable_name(fn) if name is None else name
    if not isinstance(plugin_name, str) or not plugin_name:
        raise errors.LST_ERR_PLUGIN_META_INVALID("name", "must be a non-empty str")
    if not isinstance(encapsulate, bool):
        raise errors.LST_ERR_PLUGIN_META_INVALID(plugin_name, "'encapsulate' must be a bool")
    return PluginMeta(
        name=plugin_name,
        lesto=_version_range(plugin_name, lesto),
        dependencies=_names(plugin_name, "dependencies", dependencies),
        decorators=_decorators(plugin_name, decorators or {}),
        encapsulate=encapsulate,
    )


def _version_range(plugin_name: str, lesto: str | None) -> SpecifierSet | None:
    if lesto is None:
        return None
    if not isinstance(lesto, str):
        raise errors.LST_ERR_PLUGIN_META_INVALID(plugin_name, "'lesto' must be a str")
    try:
        return SpecifierSet(lesto)
    except InvalidSpecifier as exc:
        raise errors.LST_ERR_PLUGIN_META_INVALID(
            plugin_name, f"'lesto' is not a version range: {lesto!r}"
        ) from exc


def _names(plugin_name: str, field: str, names: object) -> tuple[str, ...]:
    if isinstance(names, str) or not isinstance(names, Iterable):
        raise errors.LST_ERR_PLUGIN_META_INVALID(plugin_name, f"'{field}' must be a list of str")
    found = tuple(names)
    if not all(isinstance(item, str) for item in found):
        raise errors.LST_ERR_PLUGIN_META_INVALID(plugin_name, f"'{field}' must be a list of str")
    return found


def _decorators(plugin_name: str, decorators: object) -> Mapping[str, tuple[str, ...]]:
    if not isinstance(decorators, Mapping):
        raise errors.LST_ERR_PLUGIN_META_INVALID(plugin_name, "'decorators' must be a mapping")
    unknown = set(decorators) - set(DECORATOR_KINDS)
    if unknown:
        kinds = ", ".join(DECORATOR_KINDS)
        raise errors.LST_ERR_PLUGIN_META_INVALID(
            plugin_name, f"'decorators' keys must be among {kinds}, got {sorted(unknown)}"
        )
    return {
        kind: _names(plugin_name, f"decorators.{kind}", names) for kind, names in decorators.items()
    }
