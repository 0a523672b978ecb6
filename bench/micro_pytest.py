"""pytest-benchmark micro-benchmarks: Lesto's request-path parts beside a counterpart.

    hatch run bench:micro                       # with the other micro-benchmarks
    hatch run bench:python -m pytest bench/micro_pytest.py --benchmark-columns=min,median,ops

Groups (compare rows within a group only):

- `router`: `lesto.router.Router.find` vs Starlette's routing (the `matches` loop its
  `Router` runs) on the same 1,000 routes, for a one-parameter route near the end;
- `validator`: the compiled body validator vs pydantic `validate_python` and msgspec
  `convert` (cases of schema_micro.py);
- `serializer`: the compiled response serializer (drops an undeclared field) vs pydantic
  and msgspec (cases of schema_micro.py);
- `hooks`: Lesto's request-hook runner over 10 async hooks vs a plain loop awaiting them.
"""

import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import msgspec
import orjson
import pydantic
import pytest
from lesto.hooks import HookEntry
from lesto.lifecycle import _run_hooks
from lesto.router import Router
from lesto.schema import compile_serializer, compile_validator

sys.path.insert(0, str(Path(__file__).resolve().parent))
from schema_micro import (
    BODY,
    BODY_SCHEMA,
    RESPONSE,
    RESPONSE_SCHEMA,
    MsgspecBody,
    MsgspecResponse,
    PydanticBody,
    PydanticResponse,
)
from starlette.routing import Match, Route
from starlette.routing import Router as StarletteRouter

ROUTES = 1000
TARGET = f"/r{ROUTES - 10}/items/7"


def drive(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine that never suspends, without an event loop."""
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    coro.close()
    raise RuntimeError("the coroutine suspended")


# router ---------------------------------------------------------------------------------


async def endpoint(request: Any) -> None:
    return None


def lesto_router() -> Router[str]:
    router: Router[str] = Router()
    for i in range(ROUTES):
        router.on("GET", f"/r{i}/items/:id", f"r{i}")
    return router


def starlette_router() -> StarletteRouter:
    return StarletteRouter(
        routes=[Route(f"/r{i}/items/{{id:int}}", endpoint) for i in range(ROUTES)]
    )


def starlette_find(router: StarletteRouter, path: str) -> Any:
    scope = {"type": "http", "method": "GET", "path": path, "root_path": ""}
    for route in router.routes:
        match, child = route.matches(scope)
        if match is Match.FULL:
            return route, child
    return None


@pytest.mark.benchmark(group="router")
def test_router_lesto(benchmark: Any) -> None:
    router = lesto_router()
    assert benchmark(router.find, "GET", TARGET) is not None


@pytest.mark.benchmark(group="router")
def test_router_starlette(benchmark: Any) -> None:
    router = starlette_router()
    assert benchmark(starlette_find, router, TARGET) is not None


# validator ------------------------------------------------------------------------------


@pytest.mark.benchmark(group="validator")
def test_validator_lesto(benchmark: Any) -> None:
    validate = compile_validator(BODY_SCHEMA)
    benchmark(lambda: validate(dict(BODY)))


@pytest.mark.benchmark(group="validator")
def test_validator_pydantic(benchmark: Any) -> None:
    adapter = pydantic.TypeAdapter(PydanticBody)
    benchmark(lambda: adapter.validate_python(dict(BODY)))


@pytest.mark.benchmark(group="validator")
def test_validator_msgspec(benchmark: Any) -> None:
    benchmark(lambda: msgspec.convert(dict(BODY), MsgspecBody))


# serializer -----------------------------------------------------------------------------


@pytest.mark.benchmark(group="serializer")
def test_serializer_lesto(benchmark: Any) -> None:
    serialize = compile_serializer(RESPONSE_SCHEMA)
    assert b"password" not in benchmark(serialize, RESPONSE)


@pytest.mark.benchmark(group="serializer")
def test_serializer_pydantic(benchmark: Any) -> None:
    adapter = pydantic.TypeAdapter(PydanticResponse)
    benchmark(lambda: adapter.dump_json(adapter.validate_python(RESPONSE)))


@pytest.mark.benchmark(group="serializer")
def test_serializer_msgspec(benchmark: Any) -> None:
    encode = msgspec.json.encode
    benchmark(lambda: encode(msgspec.convert(RESPONSE, MsgspecResponse)))


@pytest.mark.benchmark(group="serializer")
def test_serializer_orjson_unfiltered(benchmark: Any) -> None:
    benchmark(orjson.dumps, RESPONSE)


# hooks ----------------------------------------------------------------------------------


class Counter:
    __slots__ = ("hits", "sent")

    def __init__(self) -> None:
        self.hits = 0
        self.sent = False


async def count(request: Counter, reply: Counter) -> None:
    request.hits += 1


HOOKS: tuple[HookEntry, ...] = tuple(HookEntry(count, True) for _ in range(10))
PLAIN: tuple[Callable[[Counter, Counter], Coroutine[Any, Any, None]], ...] = (count,) * 10


async def plain_loop(request: Counter, reply: Counter) -> None:
    for fn in PLAIN:
        await fn(request, reply)


@pytest.mark.benchmark(group="hooks")
def test_hooks_lesto_runner(benchmark: Any) -> None:
    request = Counter()
    benchmark(lambda: drive(_run_hooks(HOOKS, request, request)))  # type: ignore[arg-type]
    assert request.hits > 0


@pytest.mark.benchmark(group="hooks")
def test_hooks_plain_loop(benchmark: Any) -> None:
    request = Counter()
    benchmark(lambda: drive(plain_loop(request, request)))
    assert request.hits > 0
