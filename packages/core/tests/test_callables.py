"""``lesto.is_async_callable``: how plugins and Lesto decide once how to call a function."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from lesto import is_async_callable


async def coroutine_function(value: Any = None) -> Any:
    return value


def plain_function(value: Any = None) -> Any:
    return value


class AsyncCallable:
    async def __call__(self) -> None:
        return None

    async def method(self) -> None:
        return None


class SyncCallable:
    def __call__(self) -> None:
        return None


def _sync_with_async_attribute() -> SyncCallable:
    # Calling an object uses its class's __call__, not one set on the instance.
    instance = SyncCallable()
    instance.__call__ = coroutine_function  # type: ignore[method-assign]
    return instance


@pytest.mark.parametrize(
    ("fn", "expected"),
    [
        (coroutine_function, True),
        (functools.partial(coroutine_function, 1), True),
        (functools.partial(functools.partial(coroutine_function), 1), True),
        (AsyncCallable(), True),
        (AsyncCallable().method, True),
        (plain_function, False),
        (functools.partial(plain_function, 1), False),
        (SyncCallable(), False),
        (_sync_with_async_attribute(), False),
        (AsyncCallable, False),  # calling the class makes an instance
        (len, False),
        (42, False),
    ],
)
def test_is_async_callable(fn: Any, expected: bool) -> None:
    assert is_async_callable(fn) is expected
