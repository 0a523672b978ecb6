"""The compiled serializer (fast-json-stringify semantics) and the default serializer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Any

import msgspec
import orjson
import pydantic
import pytest
from lesto import errors
from lesto.schema import compile_serializer, default_serializer


class Color(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


def load(schema: dict[str, Any], value: Any) -> Any:
    return orjson.loads(compile_serializer(schema)(value))


def test_no_leak_of_undeclared_fields_however_deep() -> None:
    schema = {
        "type": "object",
        "properties": {
            "user": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "roles": {
                        "type": "array",
                        "items": {"type": "object", "properties": {"id": {"type": "integer"}}},
                    },
                    "matrix": {
                        "type": "array",
                        "items": {
                            "type": "array",
                            "items": {"type": "object", "properties": {"v": {}}},
                        },
                    },
                },
            }
        },
    }
    value = {
        "password": "x",
        "user": {
            "name": "ada",
            "token": "x",
            "roles": [{"id": 1, "secret": "x"}, {"id": 2, "nested": {"secret": "x"}}],
            "matrix": [[{"v": 1, "hidden": 2}]],
        },
    }
    out = compile_serializer(schema)(value)
    for word in (b"secret", b"token", b"password", b"hidden"):
        assert word not in out
    assert orjson.loads(out) == {
        "user": {"name": "ada", "roles": [{"id": 1}, {"id": 2}], "matrix": [[{"v": 1}]]}
    }


def test_object_without_declared_properties_drops_everything() -> None:
    assert load({"type": "object"}, {"a": 1}) == {}


@pytest.mark.parametrize(
    ("declared", "value", "expected"),
    [
        ("integer", "42", 42),
        ("integer", 4.7, 4),
        ("integer", True, 1),
        ("integer", None, 0),
        ("integer", Decimal("3"), 3),
        ("integer", Level.HIGH, 3),
        ("number", "1.5", 1.5),
        ("number", Decimal("2.5"), 2.5),
        ("number", None, 0),
        ("string", 12, "12"),
        ("string", True, "true"),
        ("string", None, ""),
        ("string", uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        ("string", Decimal("1.10"), "1.10"),
        ("string", Color.RED, "red"),
        ("boolean", 1, True),
        ("boolean", "", False),
        ("boolean", None, False),
        ("null", "anything", None),
    ],
)
def test_values_are_coerced_to_declared_types(declared: str, value: Any, expected: Any) -> None:
    assert load({"type": "object", "properties": {"v": {"type": declared}}}, {"v": value}) == {
        "v": expected
    }


def test_uncoercible_value_fails() -> None:
    with pytest.raises(errors.LST_ERR_FAILED_SERIALIZATION):
        compile_serializer({"type": "integer"})("abc")


def test_dates_become_iso_8601() -> None:
    when = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    schema = {
        "type": "object",
        "properties": {
            "at": {"type": "string", "format": "date-time"},
            "day": {"type": "string", "format": "date"},
            "clock": {"type": "string", "format": "time"},
            "d": {"type": "string"},
            "t": {"type": "string"},
        },
    }
    value = {"at": when, "day": when, "clock": when, "d": dt.date(2024, 1, 2), "t": dt.time(3, 4)}
    assert load(schema, value) == {
        "at": "2024-05-06T07:08:09+00:00",
        "day": "2024-05-06",
        "clock": "07:08:09+00:00",
        "d": "2024-01-02",
        "t": "03:04:00",
    }


def test_type_lists_keep_matching_values_and_coerce_others() -> None:
    schema = {
        "type": "object",
        "properties": {"v": {"type": ["integer", "null"]}, "w": {"type": ["string", "integer"]}},
    }
    assert load(schema, {"v": None, "w": 5}) == {"v": None, "w": 5}
    assert load(schema, {"v": "7", "w": 1.5}) == {"v": 7, "w": "1.5"}


def test_missing_required_property_names_it() -> None:
    schema = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
    }
    serialize = compile_serializer(schema)
    with pytest.raises(errors.LST_ERR_FAILED_SERIALIZATION) as info:
        serialize({"id": 1})
    assert info.value.status_code == 500
    assert '"name" is required!' in str(info.value)


def test_defaults_fill_missing_properties() -> None:
    assert load(
        {"type": "object", "properties": {"page": {"type": "integer", "default": 1}}}, {}
    ) == {"page": 1}


def test_additional_and_pattern_properties() -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "patternProperties": {"^n_": {"type": "integer"}},
        "additionalProperties": {"type": "string"},
    }
    assert load(schema, {"a": 1, "n_x": "2", "other": 3}) == {"a": "1", "n_x": 2, "other": "3"}
    assert load({"type": "object", "additionalProperties": True}, {"x": {"y": 1}}) == {
        "x": {"y": 1}
    }


def test_any_of_picks_the_matching_branch() -> None:
    schema = {
        "type": "object",
        "properties": {
            "v": {
                "anyOf": [
                    {
                        "type": "object",
                        "required": ["kind"],
                        "properties": {"kind": {"const": "a"}, "x": {"type": "integer"}},
                    },
                    {
                        "type": "object",
                        "properties": {"kind": {"type": "string"}, "y": {"type": "string"}},
                    },
                ]
            },
            "w": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
        },
    }
    assert load(schema, {"v": {"kind": "a", "x": 1, "y": "no"}}) == {"v": {"kind": "a", "x": 1}}
    assert load(schema, {"v": {"kind": "b", "x": 1, "y": "yes"}}) == {
        "v": {"kind": "b", "y": "yes"}
    }
    assert load(schema, {"w": "s"}) == {"w": "s"}


def test_all_of_is_merged() -> None:
    schema = {
        "allOf": [
            {"type": "object", "properties": {"a": {"type": "integer"}}},
            {"properties": {"b": {"type": "string"}}},
        ]
    }
    assert load(schema, {"a": "1", "b": 2, "c": 3}) == {"a": 1, "b": "2"}


def test_tuples_sets_and_objects_as_sources() -> None:
    @dataclasses.dataclass
    class Point:
        x: int
        y: int
        secret: str = "s"

    class Model(pydantic.BaseModel):
        x: int
        secret: str = "s"

    class Struct(msgspec.Struct):
        x: int
        secret: str = "s"

    schema = {
        "type": "array",
        "items": {"type": "object", "properties": {"x": {"type": "integer"}}},
    }
    assert load(schema, (Point(1, 2), Model(x=2), Struct(x=3))) == [{"x": 1}, {"x": 2}, {"x": 3}]
    assert load({"type": "array", "items": {"type": "string"}}, {1}) == ["1"]
    assert load(
        {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]}, [1, "2", 3]
    ) == ["1", 2, 3]


def test_default_serializer_supports_common_types() -> None:
    @dataclasses.dataclass
    class Item:
        id: uuid.UUID
        price: Decimal

    class Model(pydantic.BaseModel):
        when: dt.date

    class Struct(msgspec.Struct):
        color: str

    value = {
        "item": Item(uuid.UUID(int=2), Decimal("9.99")),
        "model": Model(when=dt.date(2024, 1, 1)),
        "struct": Struct(color="red"),
        "enum": Color.RED,
        "tags": {"a"},
        "at": dt.datetime(2024, 1, 1, 12, 0),
    }
    assert orjson.loads(default_serializer(value)) == {
        "item": {"id": "00000000-0000-0000-0000-000000000002", "price": "9.99"},
        "model": {"when": "2024-01-01"},
        "struct": {"color": "red"},
        "enum": "red",
        "tags": ["a"],
        "at": "2024-01-01T12:00:00",
    }


def test_mapping_like_rows_serialise_as_objects() -> None:
    # What dict() reads as a mapping (keys() and item access), as database
    # rows are: sqlite3.Row here, asyncpg Records in lesto-postgres's tests.
    import sqlite3

    connection = sqlite3.connect(":memory:")
    connection.row_factory = sqlite3.Row
    rows = connection.execute("SELECT 1 AS id, 'ada' AS name, 'x' AS secret").fetchall()
    assert orjson.loads(default_serializer({"rows": rows})) == {
        "rows": [{"id": 1, "name": "ada", "secret": "x"}]
    }
    schema = {
        "type": "array",
        "items": {"type": "object", "properties": {"id": {"type": "integer"}}},
    }
    assert load(schema, rows) == [{"id": 1}]
    connection.close()
