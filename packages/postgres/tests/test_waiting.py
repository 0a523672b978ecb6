"""WaitLimit: one timer gives up on every wait that outlives the limit, in order."""

from __future__ import annotations

import asyncio
import time

import pytest
from lesto_postgres.waiting import WaitLimit


async def limited_wait(limit: WaitLimit, event: asyncio.Event) -> str:
    task = limit.start()
    try:
        await event.wait()
    except asyncio.CancelledError:
        if limit.expired(task):
            return "expired"
        raise
    finally:
        limit.end(task)
    return "done"


async def test_waits_that_outlive_the_limit_expire_and_the_others_finish():
    limit = WaitLimit(0.2)
    never, soon = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(limited_wait(limit, never))
    await asyncio.sleep(0.1)
    second = asyncio.create_task(limited_wait(limit, soon))
    third = asyncio.create_task(limited_wait(limit, never))
    await asyncio.sleep(0)
    started = time.monotonic()
    assert await first == "expired"  # at 0.2 s
    soon.set()
    assert await second == "done"
    assert await third == "expired"  # at 0.3 s: the timer was armed again for it
    assert 0.1 < time.monotonic() - started < 1
    assert not limit._waiting
    assert not limit._expired


async def test_a_wait_that_ends_in_time_leaves_nothing_behind():
    limit = WaitLimit(5)
    event = asyncio.Event()
    event.set()
    assert await limited_wait(limit, event) == "done"
    assert not limit._waiting


async def test_other_cancellations_pass_through():
    limit = WaitLimit(5)
    task = asyncio.create_task(limited_wait(limit, asyncio.Event()))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not limit._waiting


async def test_an_expired_wait_leaves_the_task_uncancelled():
    limit = WaitLimit(0.05)

    async def wait_then_work() -> str:
        result = await limited_wait(limit, asyncio.Event())
        await asyncio.sleep(0.01)  # would raise if a cancellation were still pending
        return f"{result}, then worked ({asyncio.current_task().cancelling()})"  # type: ignore[union-attr]

    assert await wait_then_work() == "expired, then worked (0)"
