"""Decorators: named additions to the instance, the requests and the replies of a context.

A decorator is a class attribute of the context's class for its kind:

* instance decorators live on the per-context subclass of the instance's
  class; a plain function is stored as a ``staticmethod``, so
  ``app.decorate("util", lambda a, b: a + b)`` gives ``app.util(1, 2)``;
* request and reply decorators live on the context's ``Request``/``Reply``
  subclass; a function becomes a method bound to the request or reply, a
  ``property`` works as one, and any other value is the initial value each
  request starts with. Mutable values (lists, dicts, sets) would be shared by
  every request, so they are refused: use a property or set the value in a hook.

Each context records its decorators per kind in a dict copied from its parent
when it is created, and its classes are built from that dict: a child sees
what its ancestors had when it was registered, and nothing flows up or sideways.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping, MutableMapping, MutableSequence, MutableSet
from typing import Any

from . import deprecations, errors

__all__ = ["add_decorator", "instance_value", "per_request_value", "read_decorator"]

_ACCESSOR_KEYS = frozenset({"getter", "setter"})


def add_decorator(
    target: type,
    table: dict[str, Any],
    core: frozenset[str],
    owner: str,
    name: str,
    value: Any,
    dependencies: Iterable[str] | None,
) -> None:
    """Record decorator ``name`` in ``table`` and set it on ``target``, after checks.

    ``table`` holds the decorators visible in the context; ``core`` the names
    the decorated class reserves.
    ``owner`` names what is decorated in messages ("the instance", "the request").

    Raises:
        LST_ERR_DEC_DEPENDENCY_INVALID_TYPE: ``dependencies`` is not a list of names.
        LST_ERR_DEC_RESERVED_NAME: ``name`` is a core attribute of ``owner``.
        LST_ERR_DEC_ALREADY_PRESENT: ``name`` is already decorated here or in an ancestor.
        LST_ERR_DEC_MISSING_DEPENDENCY: a dependency is not decorated.
    """
    required = _dependency_names(name, dependencies)
    if name in core or name.startswith("__"):
        raise errors.LST_ERR_DEC_RESERVED_NAME(name, owner)
    if name in table or hasattr(target, name):
        raise errors.LST_ERR_DEC_ALREADY_PRESENT(name)
    for dependency in required:
        if dependency not in table:
            raise errors.LST_ERR_DEC_MISSING_DEPENDENCY(dependency)
    table[name] = value
    setattr(target, name, value)


def instance_value(value: Any) -> Any:
    """The class attribute for an instance decorator: plain functions do not bind."""
    return staticmethod(value) if inspect.isfunction(value) else value


def per_request_value(name: str, value: Any) -> Any:
    """The class attribute for a request or reply decorator.

    Raises:
        LST_ERR_DEC_REFERENCE_TYPE: ``value`` is a mutable container.
    """
    if _is_accessor_mapping(value):
        deprecations.LSTDEP001(name, stacklevel=3)
        return property(value["getter"], value.get("setter"))
    if isinstance(value, MutableMapping | MutableSequence | MutableSet):
        raise errors.LST_ERR_DEC_REFERENCE_TYPE(name, type(value).__name__)
    return value


def _is_accessor_mapping(value: Any) -> bool:
    return (
        isinstance(value, Mapping)
        and "getter" in value
        and set(value) <= _ACCESSOR_KEYS
        and callable(value["getter"])
    )


def _dependency_names(name: str, dependencies: Iterable[str] | None) -> tuple[str, ...]:
    if dependencies is None:
        return ()
    if isinstance(dependencies, str | bytes) or not isinstance(dependencies, Iterable):
        raise errors.LST_ERR_DEC_DEPENDENCY_INVALID_TYPE(name)
    names = tuple(dependencies)
    if not all(isinstance(item, str) for item in names):
        raise errors.LST_ERR_DEC_DEPENDENCY_INVALID_TYPE(name)
    return names


def read_decorator(target: object, name: str, core: frozenset[str], owner: str) -> Any:
    """The value of decorator ``name`` on a request or reply (functions come back bound).

    Raises:
        LST_ERR_DEC_UNDECLARED: no decorator ``name`` is visible on ``target``.
    """
    if name.startswith("__") or name in core or name not in vars(type(target)):
        raise errors.LST_ERR_DEC_UNDECLARED(name, owner)
    return getattr(target, name)
