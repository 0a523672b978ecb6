"""Hook names, their signatures, and the runners for application hooks.

``add_hook`` validates a hook once, when it is added: the name must be one of
:data:`HOOK_PARAMETERS`, the function must accept that many positional
arguments, and whether it is ``async`` is recorded in a :class:`HookEntry`.
Request hooks are stored per context and run by the request path; the
application hooks (``on_ready``, ``on_listen``, ``pre_close``, ``on_close``) run
here.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from . import errors
from ._callables import accepts_positional, callable_name, describe_signature, is_async_callable

__all__ = [
    "APPLICATION_HOOKS",
    "HOOK_PARAMETERS",
    "INHERITED_HOOKS",
    "REQUEST_HOOKS",
    "SYNC_HOOKS",
    "HookEntry",
    "call_application_hook",
    "make_hook",
    "run_logged",
]

logger = logging.getLogger("lesto")

#: Request hooks, in lifecycle order, with the arguments each receives.
REQUEST_HOOKS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "on_request": ("request", "reply"),
        "pre_parsing": ("request", "reply", "payload"),
        "pre_validation": ("request", "reply"),
        "pre_handler": ("request", "reply"),
        "pre_serialization": ("request", "reply", "payload"),
        "on_send": ("request", "reply", "payload"),
        "on_response": ("request", "reply"),
        "on_error": ("request", "reply", "error"),
        "on_timeout": ("request", "reply"),
        "on_request_abort": ("request",),
    }
)

#: Application hooks with the arguments each receives.
APPLICATION_HOOKS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "on_ready": ("instance",),
        "on_listen": ("instance",),
        "pre_close": ("instance",),
        "on_close": ("instance",),
        "on_route": ("route_options",),
        "on_register": ("instance", "opts"),
    }
)

#: Every hook name Lesto knows, with its arguments.
HOOK_PARAMETERS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {**REQUEST_HOOKS, **APPLICATION_HOOKS}
)

#: Hooks that must be plain functions: they run inside synchronous calls.
SYNC_HOOKS = frozenset({"on_route", "on_register"})

#: Hooks a child context starts with (a copy of its parent's list). The others
#: belong to the one instance they were added to and run once for it.
INHERITED_HOOKS = frozenset(REQUEST_HOOKS) | SYNC_HOOKS


class HookEntry(NamedTuple):
    """A validated hook: the function and whether it is ``async``, decided once."""

    fn: Callable[..., Any]
    is_async: bool


def make_hook(name: object, fn: object) -> HookEntry:
    """Validate a hook and record whether it is ``async``.

    Raises:
        LST_ERR_HOOK_INVALID_TYPE: ``name`` is not a string.
        LST_ERR_HOOK_NOT_SUPPORTED: no hook has that name.
        LST_ERR_HOOK_INVALID_HANDLER: ``fn`` is not callable.
        LST_ERR_HOOK_INVALID_ASYNC_HANDLER: an ``async`` function for a synchronous hook.
        LST_ERR_HOOK_INVALID_SIGNATURE: ``fn`` cannot take the hook's arguments.
    """
    if not isinstance(name, str):
        raise errors.LST_ERR_HOOK_INVALID_TYPE()
    parameters = HOOK_PARAMETERS.get(name)
    if parameters is None:
        raise errors.LST_ERR_HOOK_NOT_SUPPORTED(name)
    if not callable(fn):
        raise errors.LST_ERR_HOOK_INVALID_HANDLER(name, type(fn).__name__)
    is_async = is_async_callable(fn)
    if is_async and name in SYNC_HOOKS:
        raise errors.LST_ERR_HOOK_INVALID_ASYNC_HANDLER(name)
    if not accepts_positional(fn, len(parameters)):
        expected = f"({', '.join(parameters)})"
        raise errors.LST_ERR_HOOK_INVALID_SIGNATURE(name, expected, describe_signature(fn))
    return HookEntry(fn, is_async)


async def call_application_hook(
    name: str, entry: HookEntry, args: tuple[Any, ...], time_limit: float
) -> None:
    """Run one application hook, awaiting what it returns, within ``time_limit`` seconds.

    A plain function that returns an awaitable (``lambda app: app.db.close()``)
    has it awaited too. ``time_limit`` 0 means no limit.

    Raises:
        LST_ERR_HOOK_TIMEOUT: the hook did not finish in time.
    """
    result = entry.fn(*args)
    if not inspect.isawaitable(result):
        return
    if not time_limit:
        await result
        return
    try:
        async with asyncio.timeout(time_limit) as deadline:
            await result
    except TimeoutError as exc:
        if deadline.expired():
            raise errors.LST_ERR_HOOK_TIMEOUT(name, callable_name(entry.fn)) from exc
        raise


async def run_logged(name: str, calls: Iterable[tuple[HookEntry, Any]], time_limit: float) -> None:
    """Run hooks one after another; a failure is logged and the next hook still runs.

    ``calls`` pairs each hook with the instance it receives.
    """
    for entry, instance in calls:
        try:
            await call_application_hook(name, entry, (instance,), time_limit)
        except Exception:
            logger.exception("%s hook %s failed", name, callable_name(entry.fn))
