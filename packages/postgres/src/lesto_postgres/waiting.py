"""Giving up on borrowers that wait too long for a free connection, with one timer.

``asyncio.timeout`` arms and disarms a timer per call: about five
microseconds on uvloop, and on a busy server every request waits for a
connection, so that cost would land on every request. All borrowers of one
pool wait with the same limit, so their deadlines come in the order they
started waiting: :class:`WaitLimit` keeps them in that order and needs a
single timer, armed for the oldest one. A wait costs a dict insert and a
delete, and no system call: ``asyncio.get_running_loop()`` and
``asyncio.current_task()`` without a loop make a ``getpid()`` system call
each (CPython's fork check), so the limit keeps the loop it was made in::

    task = limit.start()
    try:
        conn = await pool.acquire()
    except asyncio.CancelledError:
        if limit.expired(task):
            raise TimeoutError from None
        raise
    finally:
        limit.end(task)
"""

from __future__ import annotations

import asyncio

__all__ = ["WaitLimit"]

Task = asyncio.Task[object]


class WaitLimit:
    """Cancels a task that waits longer than ``limit`` seconds between ``start`` and ``end``."""

    __slots__ = ("_expired", "_limit", "_loop", "_timer", "_waiting")

    def __init__(self, limit: float) -> None:
        """Make the limit in the event loop whose tasks it will limit."""
        self._limit = limit
        self._loop = asyncio.get_running_loop()
        # Waiting tasks and their deadlines, oldest (earliest deadline) first.
        self._waiting: dict[Task, float] = {}
        self._expired: set[Task] = set()
        self._timer: asyncio.TimerHandle | None = None

    def start(self) -> Task:
        """Start the current task's wait; its awaitable must tolerate cancellation."""
        loop = self._loop
        task: Task = asyncio.current_task(loop)  # type: ignore[assignment]
        deadline = loop.time() + self._limit
        self._waiting[task] = deadline
        if self._timer is None:
            self._timer = loop.call_at(deadline, self._expire)
        return task

    def expired(self, task: Task) -> bool:
        """Whether the cancellation ``task`` got was this limit's (it is then taken back)."""
        if task not in self._expired:
            return False
        self._expired.discard(task)
        task.uncancel()
        return True

    def end(self, task: Task) -> None:
        """End ``task``'s wait."""
        self._waiting.pop(task, None)

    def _expire(self) -> None:
        """Cancel the waits whose deadline has passed; arm the timer for the next one."""
        self._timer = None
        loop = self._loop
        now = loop.time()
        late = []
        for task, deadline in self._waiting.items():
            if deadline > now:
                self._timer = loop.call_at(deadline, self._expire)
                break
            late.append(task)
        for task in late:
            del self._waiting[task]
            self._expired.add(task)
            task.cancel()
