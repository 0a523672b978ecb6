"""Boot time of nested plugins and the cost of request decorators.

    hatch run python bench/boot.py [--repeat N]

Prints, in one run on one machine:

1. ``ready()`` time for 1,000 nested plugins (each registers the next), for
   1,000 sibling plugins, and for 1,000 nested plugins that each add an
   instance, a request and a reply decorator; and 100 nested plugins with 10
   routes each (1,000 routes, compiled at ``ready()``).
2. Nanoseconds per attribute read on a request: a core slot (``request.params``),
   a request decorator (a class attribute of the context's Request
   subclass), a decorator at the leaf of 1,000 nested contexts, a decorator
   the request assigned itself, and a plain ``__slots__`` class as the
   baseline. Also the cost of constructing a request.

Every figure is the best of ``--repeat`` runs (boot) or of 7 timeit repeats.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import timeit
from collections.abc import Callable
from typing import Any

from lesto import Lesto

DEPTH = 1000


def nested_app(depth: int, decorate: bool = False) -> Lesto:
    app = Lesto()

    def level(instance: Lesto, opts: dict[str, Any]) -> None:
        number = opts["level"]
        if decorate:
            instance.decorate(f"util{number}", number)
            instance.decorate_request(f"req{number}", None)
            instance.decorate_reply(f"rep{number}", None)
        if number < depth:
            instance.register(level, level=number + 1)

    app.register(level, level=1)
    return app


def sibling_app(count: int) -> Lesto:
    app = Lesto()
    for _ in range(count):
        app.register(lambda instance, opts: None)
    return app


def routes_app(depth: int, per_level: int) -> Lesto:
    app = Lesto()

    async def handler(request: Any, reply: Any) -> dict[str, bool]:
        return {"ok": True}

    def level(instance: Any, opts: dict[str, Any]) -> None:
        number = opts["level"]
        for index in range(per_level):
            instance.get(f"/r{number}/{index}", handler)
        if number < depth:
            instance.register(level, level=number + 1, prefix=f"/l{number}")

    app.register(level, level=1)
    return app


def time_boot(build: Callable[[], Lesto], repeat: int) -> tuple[float, float]:
    """Best and median ``ready()`` time in ms over ``repeat`` fresh apps."""
    samples = []
    for _ in range(repeat):
        app = build()
        start = time.perf_counter()
        asyncio.run(app.ready())
        samples.append((time.perf_counter() - start) * 1000)
    return min(samples), statistics.median(samples)


class PlainSlots:
    __slots__ = ("id", "user")

    def __init__(self) -> None:
        self.id = "req-1"
        self.user = None


SCOPE: dict[str, Any] = {"type": "http", "method": "GET", "path": "/", "headers": []}


def make_request(app: Lesto) -> Any:
    """A request as the lifecycle builds one: (scope, receive, params, route, log)."""
    return app._ctx.request_class(SCOPE, None, {}, None, None)


def leaf_request() -> Any:
    """A request of the innermost of 1,000 nested contexts, with 1,000 visible decorators."""
    app = nested_app(DEPTH, decorate=True)
    asyncio.run(app.ready())
    ctx = app._ctx
    while ctx.children:
        ctx = ctx.children[0]
    return ctx.request_class(SCOPE, None, {}, None, None)


def ns_per_call(statement: str, namespace: dict[str, Any], number: int = 1_000_000) -> float:
    timer = timeit.Timer(statement, globals=namespace)
    return min(timer.repeat(repeat=7, number=number)) / number * 1e9


def boot_section(repeat: int) -> None:
    print(f"Boot: ready() time, best / median of {repeat} fresh apps (ms)")
    cases: list[tuple[str, Callable[[], Lesto]]] = [
        (f"{DEPTH} nested plugins", lambda: nested_app(DEPTH)),
        (f"{DEPTH} sibling plugins", lambda: sibling_app(DEPTH)),
        (f"{DEPTH} nested plugins, 3 decorators each", lambda: nested_app(DEPTH, True)),
    ]
    cases.append(("100 nested plugins, 1,000 routes", lambda: routes_app(100, 10)))
    for label, build in cases:
        best, median = time_boot(build, repeat)
        print(f"  {label:<45} {best:8.2f} / {median:8.2f}")


def access_section() -> None:
    app = Lesto()
    app.decorate_request("user", None)
    request = make_request(app)
    assigned = make_request(app)
    assigned.user = "alice"
    namespace = {
        "request": request,
        "assigned": assigned,
        "leaf": leaf_request(),
        "plain": PlainSlots(),
        "app": app,
        "make_request": make_request,
        "PlainSlots": PlainSlots,
    }
    print("Request attribute reads (ns per read, best of 7)")
    rows = [
        ("plain __slots__ class: obj.user", "plain.user"),
        ("core slot: request.params", "request.params"),
        ("request decorator: request.user", "request.user"),
        ("decorator assigned per request: request.user", "assigned.user"),
        (f"decorator at depth {DEPTH}: request.req{DEPTH}", f"leaf.req{DEPTH}"),
    ]
    costs = [ns_per_call(statement, namespace) for _, statement in rows]
    for (label, _), cost in zip(rows, costs, strict=True):
        print(f"  {label:<52} {cost:6.1f} ns  ({cost / costs[0]:4.2f}x slots)")
    print("Construction (ns per object, best of 7)")
    construction = [
        ("plain __slots__ class", "PlainSlots()"),
        ("context Request (5 arguments)", "make_request(app)"),
    ]
    for label, statement in construction:
        print(f"  {label:<52} {ns_per_call(statement, namespace, 200_000):6.1f} ns")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="fresh apps per boot case")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]} on {sys.platform}")
    boot_section(args.repeat)
    access_section()
    return 0


if __name__ == "__main__":
    sys.exit(main())
