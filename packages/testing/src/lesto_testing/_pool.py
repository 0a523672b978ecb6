"""Services of a test session: started on first demand, several at once, stopped together."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

from ._provision import start
from ._service import Service
from ._specs import SERVICE_NAMES


class ServicePool:
    """Starts each service at most once, in background threads, and stops them all."""

    def __init__(self, starter: Callable[[str], Service] = start) -> None:
        self._starter = starter
        self._futures: dict[str, Future[Service]] = {}
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def request(self, names: Iterable[str]) -> None:
        """Start, in the background, each of ``names`` not asked for before."""
        with self._lock:
            for name in names:
                if name in self._futures:
                    continue
                if self._executor is None:
                    self._executor = ThreadPoolExecutor(
                        len(SERVICE_NAMES), thread_name_prefix="lesto-testing"
                    )
                self._futures[name] = self._executor.submit(self._starter, name)

    def get(self, name: str) -> Service:
        """The started service ``name`` (waiting for it); its start error is raised again."""
        self.request([name])
        return self._futures[name].result()

    def outcomes(self) -> list[tuple[str, Service | BaseException]]:
        """Each service asked for so far, as its :class:`Service` or its start error."""
        with self._lock:
            futures = list(self._futures.items())
        result: list[tuple[str, Service | BaseException]] = []
        for name, future in futures:
            error = future.exception()
            result.append((name, error if error is not None else future.result()))
        return result

    def close(self) -> list[str]:
        """Stop every service (waiting for those still starting); the problems met."""
        problems = []
        for name, outcome in self.outcomes():
            if isinstance(outcome, Service):
                try:
                    outcome.stop()
                except Exception as error:
                    problems.append(f"{name}: stopping failed: {error!r}")
        if self._executor is not None:
            self._executor.shutdown(wait=True)
        return problems
