"""Facts about user functions, decided once when they are registered.

Plugins, hooks and ``after`` callbacks may be ``async def`` or plain ``def``.
Lesto inspects a function when it is added, never when it runs.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

__all__ = ["accepts_positional", "callable_name", "describe_signature", "is_async_callable"]


def is_async_callable(fn: object) -> bool:
    """Whether calling ``fn`` returns a coroutine: an ``async def`` function or method,
    also behind ``functools.partial``, or an object whose class has an ``async def
    __call__``. For plugins that accept sync and async callables and decide once, when
    the callable is registered, how to call it."""
    while isinstance(fn, functools.partial):
        fn = fn.func
    if inspect.iscoroutinefunction(fn):
        return True
    if inspect.isroutine(fn) or isinstance(fn, type) or not callable(fn):
        return False
    return inspect.iscoroutinefunction(type(fn).__call__)


def accepts_positional(fn: Callable[..., Any], count: int) -> bool:
    """Whether ``fn`` can be called with exactly ``count`` positional arguments.

    A callable whose signature cannot be read (some builtins) is accepted.
    """
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return True
    try:
        signature.bind(*range(count))
    except TypeError:
        return False
    return True


def describe_signature(fn: Callable[..., Any]) -> str:
    """The signature of ``fn`` as text, for error messages."""
    try:
        return f"{callable_name(fn)}{inspect.signature(fn)}"
    except (TypeError, ValueError):
        return callable_name(fn)


def callable_name(fn: object) -> str:
    """A readable name: the function's ``__name__``, else its class name."""
    while isinstance(fn, functools.partial):
        fn = fn.func
    name = getattr(fn, "__name__", None)
    return name if isinstance(name, str) else type(fn).__name__
