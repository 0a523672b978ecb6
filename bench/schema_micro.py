"""Per-call micro-benchmarks of lesto.schema against pydantic and msgspec.

Two cases, each measured side by side in one run:

* validate: a parsed 20-property JSON body (strings, integers, numbers,
  booleans, an enum, a nested object, an array) checked against its schema;
* serialize: a 20-field response whose data has one undeclared field that
  must be dropped, to JSON bytes.

Optional candidates (fastjsonschema, jsonschema-rs) are measured when
installed; they check only (no coercion, defaults or Fastify-style errors).

    hatch run python bench/schema_micro.py [--number N] [--repeat R]
"""

from __future__ import annotations

import argparse
import timeit
from collections.abc import Callable
from typing import Any, Literal

import msgspec
import orjson
import pydantic
from lesto.schema import compile_serializer, compile_validator

FIELDS = 20

BODY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "email", "age"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "email": {"type": "string"},
        "age": {"type": "integer", "minimum": 0},
        "score": {"type": "number"},
        "active": {"type": "boolean"},
        "role": {"type": "string", "enum": ["admin", "user", "guest"]},
        "tags": {"type": "array", "items": {"type": "string"}},
        "address": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "zip": {"type": "string"}},
        },
        **{f"f{i}": {"type": "string"} for i in range(8)},
        **{f"n{i}": {"type": "integer"} for i in range(4)},
    },
}

BODY: dict[str, Any] = {
    "name": "Ada",
    "email": "ada@example.com",
    "age": 36,
    "score": 9.5,
    "active": True,
    "role": "admin",
    "tags": ["a", "b", "c"],
    "address": {"city": "London", "zip": "N1"},
    **{f"f{i}": f"value {i}" for i in range(8)},
    **{f"n{i}": i for i in range(4)},
}


class Address(pydantic.BaseModel):
    city: str | None = None
    zip: str | None = None


class PydanticBody(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="ignore")
    name: str = pydantic.Field(min_length=1, max_length=100)
    email: str
    age: int = pydantic.Field(ge=0)
    score: float | None = None
    active: bool | None = None
    role: Literal["admin", "user", "guest"] | None = None
    tags: list[str] | None = None
    address: Address | None = None
    f0: str | None = None
    f1: str | None = None
    f2: str | None = None
    f3: str | None = None
    f4: str | None = None
    f5: str | None = None
    f6: str | None = None
    f7: str | None = None
    n0: int | None = None
    n1: int | None = None
    n2: int | None = None
    n3: int | None = None


class MsgAddress(msgspec.Struct):
    city: str | None = None
    zip: str | None = None


class MsgspecBody(msgspec.Struct):
    name: str
    email: str
    age: int
    score: float | None = None
    active: bool | None = None
    role: Literal["admin", "user", "guest"] | None = None
    tags: list[str] | None = None
    address: MsgAddress | None = None
    f0: str | None = None
    f1: str | None = None
    f2: str | None = None
    f3: str | None = None
    f4: str | None = None
    f5: str | None = None
    f6: str | None = None
    f7: str | None = None
    n0: int | None = None
    n1: int | None = None
    n2: int | None = None
    n3: int | None = None


RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        **{f"s{i}": {"type": "string"} for i in range(10)},
        **{f"i{i}": {"type": "integer"} for i in range(6)},
        **{f"b{i}": {"type": "boolean"} for i in range(4)},
    },
}
RESPONSE: dict[str, Any] = {
    **{f"s{i}": f"text {i}" for i in range(10)},
    **{f"i{i}": i * 1000 for i in range(6)},
    **{f"b{i}": i % 2 == 0 for i in range(4)},
    "password": "never sent",
}

PydanticResponse = pydantic.create_model(  # type: ignore[call-overload]
    "PydanticResponse",
    **{f"s{i}": (str, ...) for i in range(10)},
    **{f"i{i}": (int, ...) for i in range(6)},
    **{f"b{i}": (bool, ...) for i in range(4)},
)
MsgspecResponse = msgspec.defstruct(
    "MsgspecResponse",
    [(f"s{i}", str) for i in range(10)]
    + [(f"i{i}", int) for i in range(6)]
    + [(f"b{i}", bool) for i in range(4)],
)


def _validators() -> dict[str, Callable[[], Any]]:
    lesto_validate = compile_validator(BODY_SCHEMA)
    adapter = pydantic.TypeAdapter(PydanticBody)
    cases: dict[str, Callable[[], Any]] = {
        "lesto (generated code)": lambda: lesto_validate(dict(BODY)),
        "pydantic validate_python": lambda: adapter.validate_python(dict(BODY)),
        "msgspec convert": lambda: msgspec.convert(dict(BODY), MsgspecBody),
    }
    try:
        import fastjsonschema

        fjs = fastjsonschema.compile(BODY_SCHEMA)
        cases["fastjsonschema (check+defaults)"] = lambda: fjs(dict(BODY))
    except ImportError:
        pass
    try:
        import jsonschema_rs

        rs = jsonschema_rs.validator_for(BODY_SCHEMA)
        cases["jsonschema-rs (check only)"] = lambda: rs.is_valid(dict(BODY))
    except ImportError:
        pass
    return cases


def _serializers() -> dict[str, Callable[[], Any]]:
    lesto_serialize = compile_serializer(RESPONSE_SCHEMA)
    adapter = pydantic.TypeAdapter(PydanticResponse)
    encode = msgspec.json.encode
    return {
        "lesto (generated code + orjson)": lambda: lesto_serialize(RESPONSE),
        "pydantic validate+dump_json": lambda: adapter.dump_json(adapter.validate_python(RESPONSE)),
        "msgspec convert+encode": lambda: encode(msgspec.convert(RESPONSE, MsgspecResponse)),
        "orjson.dumps (no filtering)": lambda: orjson.dumps(RESPONSE),
    }


def _measure(cases: dict[str, Callable[[], Any]], number: int, repeat: int) -> dict[str, float]:
    results = {}
    for name, fn in cases.items():
        fn()
        best = min(timeit.repeat(fn, number=number, repeat=repeat))
        results[name] = best / number * 1e6
    return results


def _table(title: str, results: dict[str, float]) -> str:
    base = next(iter(results.values()))
    lines = [
        f"### {title}",
        "",
        "| implementation | µs per call | ratio to lesto |",
        "|---|---:|---:|",
    ]
    for name, micros in results.items():
        lines.append(f"| {name} | {micros:.2f} | {micros / base:.2f}x |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    validate = _measure(_validators(), args.number, args.repeat)
    serialize = _measure(_serializers(), args.number, args.repeat)
    print(_table(f"validate a {FIELDS}-property body (includes a dict copy)", validate))
    print()
    print(_table(f"serialize a {FIELDS}-field response, dropping one field", serialize))


if __name__ == "__main__":
    main()
