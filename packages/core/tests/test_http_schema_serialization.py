"""Response schemas through real requests: selection, filtering, coercion, failures."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import io
import uuid
from typing import Any

import msgspec
import orjson
import pydantic
import pytest
from lesto import Lesto, register_json_encoder


def obj(*names: str, kind: str = "string") -> dict[str, Any]:
    return {"type": "object", "properties": {name: {"type": kind} for name in names}}


async def get(app: Lesto, url: str = "/") -> Any:
    return await app.inject(method="GET", url=url)


# --- which schema applies ----------------------------------------------------------------------


async def test_schema_per_status_range_and_default() -> None:
    app = Lesto()
    schema = {
        "response": {
            200: obj("ok"),
            201: obj("created"),
            "4xx": obj("client"),
            "default": obj("other"),
        }
    }

    @app.get("/:status", schema=schema)
    def handler(request: Any, reply: Any) -> Any:
        reply.code(int(request.params["status"]))
        return {"ok": "o", "created": "c", "client": "4", "other": "d", "secret": "s"}

    assert (await get(app, "/200")).json() == {"ok": "o"}
    assert (await get(app, "/201")).json() == {"created": "c"}
    assert (await get(app, "/404")).json() == {"client": "4"}
    assert (await get(app, "/418")).json() == {"client": "4"}
    assert (await get(app, "/202")).json() == {"other": "d"}
    assert (await get(app, "/503")).json() == {"other": "d"}


async def test_range_key_without_exact_match() -> None:
    app = Lesto()
    app.get("/", schema={"response": {"2xx": obj("id")}})(lambda r, p: {"id": "1", "pw": "x"})
    response = await get(app)
    assert response.status_code == 200
    assert response.json() == {"id": "1"}


async def test_status_without_schema_uses_the_default_serializer() -> None:
    app = Lesto()

    @app.get("/", schema={"response": {200: obj("id")}})
    def handler(request: Any, reply: Any) -> Any:
        reply.code(202)
        return {"id": "1", "extra": True}

    assert (await get(app)).json() == {"id": "1", "extra": True}


async def test_schema_per_content_type() -> None:
    app = Lesto()
    content = {
        "application/json": {"schema": obj("json")},
        "application/vnd.lesto.v2+json": {"schema": obj("v2")},
        "*/*": {"schema": obj("any")},
    }

    @app.get("/", schema={"response": {200: {"content": content}}})
    def handler(request: Any, reply: Any) -> Any:
        if "type" in request.query:
            reply.type(request.query["type"])
        return {"json": "j", "v2": "2", "any": "a", "secret": "s"}

    # no content type set: the reply is JSON, so the JSON schema applies
    plain = await get(app)
    assert plain.json() == {"json": "j"}
    assert plain.headers["content-type"] == "application/json; charset=utf-8"
    v2 = await get(app, "/?type=application/vnd.lesto.v2%2Bjson;%20charset=utf-8")
    assert orjson.loads(v2.body) == {"v2": "2"}
    other = await get(app, "/?type=application/x-other")
    assert orjson.loads(other.body) == {"any": "a"}


async def test_content_type_without_a_schema_falls_back_to_the_default_serializer() -> None:
    app = Lesto()
    content = {"application/json": {"schema": obj("json")}}

    @app.get("/", schema={"response": {200: {"content": content}}})
    def handler(request: Any, reply: Any) -> Any:
        reply.type("application/x-custom")
        return {"json": "j", "free": 1}

    assert orjson.loads((await get(app)).body) == {"json": "j", "free": 1}


async def test_error_responses_use_the_schema_of_their_status() -> None:
    app = Lesto()
    error_schema = {
        "type": "object",
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
    }

    @app.get("/", schema={"response": {200: obj("id"), "5xx": error_schema}})
    def handler(request: Any, reply: Any) -> Any:
        raise RuntimeError("boom")

    response = await get(app)
    assert response.status_code == 500
    assert response.json() == {"message": "Internal Server Error"}


# --- no leaks -----------------------------------------------------------------------------


async def test_undeclared_fields_never_leak_however_deep() -> None:
    user = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "address": {
                "type": "object",
                "properties": {"city": {"type": "string"}, "geo": obj("lat", kind="number")},
            },
            "friends": {
                "type": "array",
                "items": {"type": "object", "properties": {"name": {"type": "string"}}},
            },
            "matrix": {
                "type": "array",
                "items": {"type": "array", "items": obj("v", kind="integer")},
            },
            "pair": {"type": "array", "prefixItems": [obj("a"), obj("b")]},
        },
    }
    payload = {
        "name": "Ada",
        "password": "secret",
        "address": {"city": "London", "street": "hidden", "geo": {"lat": 51.5, "private": 1}},
        "friends": [{"name": "Bob", "token": "t1"}, {"name": "Eve", "token": "t2"}],
        "matrix": [[{"v": 1, "x": 0}], [{"v": 2, "y": 0}]],
        "pair": [{"a": "1", "z": 0}, {"b": "2", "z": 0}],
    }
    app = Lesto()
    app.get("/", schema={"response": {200: user}})(lambda r, p: payload)
    response = await get(app)
    assert response.json() == {
        "name": "Ada",
        "address": {"city": "London", "geo": {"lat": 51.5}},
        "friends": [{"name": "Bob"}, {"name": "Eve"}],
        "matrix": [[{"v": 1}], [{"v": 2}]],
        "pair": [{"a": "1"}, {"b": "2"}],
    }
    for word in ("secret", "hidden", "private", "token", "t1", "x", "z"):
        assert f'"{word}"' not in response.body


async def test_array_response_of_objects_is_filtered() -> None:
    app = Lesto()
    schema = {"type": "array", "items": obj("id", kind="integer")}
    app.get("/", schema={"response": {200: schema}})(
        lambda r, p: [{"id": 1, "secret": "a"}, {"id": "2", "secret": "b"}]
    )
    assert (await get(app)).json() == [{"id": 1}, {"id": 2}]


async def test_additional_properties_and_pattern_properties() -> None:
    schema = {
        "type": "object",
        "properties": {"id": {"type": "integer"}},
        "patternProperties": {"^x-": {"type": "string"}},
        "additionalProperties": {"type": "integer"},
    }
    app = Lesto()
    app.get("/", schema={"response": {200: schema}})(
        lambda r, p: {"id": "1", "x-tag": 5, "count": "7"}
    )
    assert (await get(app)).json() == {"id": 1, "x-tag": "5", "count": 7}


async def test_an_object_without_declared_properties_is_empty() -> None:
    app = Lesto()
    app.get("/", schema={"response": {200: {"type": "object"}}})(lambda r, p: {"a": 1})
    assert (await get(app)).json() == {}


async def test_dataclass_model_and_struct_values_are_filtered_by_the_schema() -> None:
    @dataclasses.dataclass
    class Row:
        id: int
        password: str

    class Model(pydantic.BaseModel):
        id: int
        password: str

    class Struct(msgspec.Struct):
        id: int
        password: str

    schema = {"type": "array", "items": obj("id", kind="integer")}
    app = Lesto()
    app.get("/", schema={"response": {200: schema}})(
        lambda r, p: [Row(1, "a"), Model(id=2, password="b"), Struct(3, "c")]
    )
    assert (await get(app)).json() == [{"id": 1}, {"id": 2}, {"id": 3}]


# --- coercion to declared types ---------------------------------------------------------------


class Color(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


async def test_values_are_coerced_to_declared_types() -> None:
    schema = {
        "type": "object",
        "properties": {
            "int_from_str": {"type": "integer"},
            "int_from_float": {"type": "integer"},
            "num_from_str": {"type": "number"},
            "str_from_int": {"type": "string"},
            "bool_from_int": {"type": "boolean"},
            "null": {"type": "null"},
            "int_or_null": {"type": ["integer", "null"]},
            "str_or_int": {"type": ["string", "integer"]},
            "any_of": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
            "one_of": {"oneOf": [obj("a"), {"type": "array", "items": {"type": "integer"}}]},
            "tuple": {"type": "array", "items": {"type": "string"}},
            "set": {"type": "array", "items": {"type": "integer"}},
        },
    }
    value = {
        "int_from_str": "42",
        "int_from_float": 4.0,
        "num_from_str": "1e3",
        "str_from_int": 7,
        "bool_from_int": 1,
        "null": "anything",
        "int_or_null": None,
        "str_or_int": 5,
        "any_of": "text",
        "one_of": [1, "2"],
        "tuple": (1, 2),
        "set": {3},
    }
    app = Lesto()
    app.get("/", schema={"response": {200: schema}})(lambda r, p: value)
    assert (await get(app)).json() == {
        "int_from_str": 42,
        "int_from_float": 4,
        "num_from_str": 1000,
        "str_from_int": "7",
        "bool_from_int": True,
        "null": None,
        "int_or_null": None,
        "str_or_int": 5,
        "any_of": "text",
        "one_of": [1, 2],
        "tuple": ["1", "2"],
        "set": [3],
    }


async def test_a_value_that_cannot_be_converted_is_a_serialization_error() -> None:
    app = Lesto()
    app.get("/", schema={"response": {200: obj("n", kind="integer")}})(lambda r, p: {"n": "many"})
    response = await get(app)
    assert response.status_code == 500
    assert response.json()["code"] == "LST_ERR_FAILED_SERIALIZATION"


async def test_python_types_become_their_json_form() -> None:
    schema = obj("at", "day", "time", "id", "color", "amount_text")
    schema["properties"].update(
        {
            "day_of": {"type": "string", "format": "date"},
            "time_of": {"type": "string", "format": "time"},
            "amount": {"type": "number"},
            "level": {"type": "integer"},
        }
    )
    moment = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    value = {
        "at": moment,
        "day": dt.date(2024, 5, 6),
        "time": dt.time(7, 8),
        "id": uuid.UUID(int=1),
        "color": Color.RED,
        "amount_text": decimal.Decimal("1.10"),
        "day_of": moment,
        "time_of": moment,
        "amount": decimal.Decimal("2.5"),
        "level": Level.HIGH,
    }
    app = Lesto()
    app.get("/", schema={"response": {200: schema}})(lambda r, p: value)
    assert (await get(app)).json() == {
        "at": "2024-05-06T07:08:09+00:00",
        "day": "2024-05-06",
        "time": "07:08:00",
        "id": "00000000-0000-0000-0000-000000000001",
        "color": "red",
        "amount_text": "1.10",
        "day_of": "2024-05-06",
        "time_of": "07:08:09+00:00",
        "amount": 2.5,
        "level": 3,
    }


# --- missing required property -------------------------------------------------------------


async def test_missing_required_property_is_a_logged_500_naming_it() -> None:
    stream = io.StringIO()
    app = Lesto(logger={"level": "info", "stream": stream})
    schema = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "items": {"type": "array"}},
    }
    app.get("/", schema={"response": {200: schema}})(lambda r, p: {"items": []})
    response = await get(app)
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "LST_ERR_FAILED_SERIALIZATION"
    assert '"name" is required!' in body["message"]
    logged = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    errors_logged = [line for line in logged if line["level"] == 50]
    assert len(errors_logged) == 1
    assert errors_logged[0]["err"]["code"] == "LST_ERR_FAILED_SERIALIZATION"
    assert '"name" is required!' in errors_logged[0]["msg"]


async def test_nested_required_property_and_default() -> None:
    schema = {
        "type": "object",
        "properties": {
            "user": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer"},
                    "role": {"type": "string", "default": "guest"},
                },
            }
        },
    }
    app = Lesto()

    @app.get("/:case", schema={"response": {200: schema}})
    def handler(request: Any, reply: Any) -> Any:
        return {"user": {"id": 1}} if request.params["case"] == "ok" else {"user": {}}

    assert (await get(app, "/ok")).json() == {"user": {"id": 1, "role": "guest"}}
    missing = await get(app, "/missing")
    assert missing.status_code == 500
    assert '"id" is required!' in missing.json()["message"]


# --- without a schema --------------------------------------------------------------------------


async def test_schema_less_replies_serialise_python_types() -> None:
    @dataclasses.dataclass
    class Point:
        x: int
        y: int

    class Model(pydantic.BaseModel):
        name: str
        when: dt.date

    class Struct(msgspec.Struct):
        tags: list[str]

    value = {
        "point": Point(1, 2),
        "model": Model(name="m", when=dt.date(2024, 1, 1)),
        "struct": Struct(["a"]),
        "at": dt.datetime(2024, 1, 1, 12, 0),
        "id": uuid.UUID(int=3),
        "amount": decimal.Decimal("1.10"),
        "color": Color.RED,
        "set": {1},
        "tuple": (1, "a"),
    }
    app = Lesto()
    app.get("/", schema=None)(lambda r, p: value)
    response = await get(app)
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "point": {"x": 1, "y": 2},
        "model": {"name": "m", "when": "2024-01-01"},
        "struct": {"tags": ["a"]},
        "at": "2024-01-01T12:00:00",
        "id": "00000000-0000-0000-0000-000000000003",
        "amount": "1.10",  # a string keeps the precision; declare "number" to get a number
        "color": "red",
        "set": [1],
        "tuple": [1, "a"],
    }


@pytest.mark.parametrize("kind", ["dataclass", "pydantic", "msgspec"])
async def test_a_returned_model_is_the_whole_reply(kind: str) -> None:
    @dataclasses.dataclass
    class D:
        id: int

    class P(pydantic.BaseModel):
        id: int

    class S(msgspec.Struct):
        id: int

    made = {"dataclass": D(1), "pydantic": P(id=1), "msgspec": S(1)}[kind]
    app = Lesto()
    app.get("/")(lambda r, p: made)
    response = await get(app)
    assert response.status_code == 200
    assert response.json() == {"id": 1}


async def test_an_unknown_type_fails_with_failed_serialization() -> None:
    app = Lesto()
    app.get("/")(lambda r, p: {"x": object()})
    response = await get(app)
    assert response.status_code == 500
    assert response.json()["code"] == "LST_ERR_FAILED_SERIALIZATION"


# --- register_json_encoder ---------------------------------------------------------------------


class ObjectId:
    """Stands in for bson's ObjectId: a class orjson does not know."""

    def __init__(self, hex_id: str) -> None:
        self.hex_id = hex_id

    def __str__(self) -> str:
        return self.hex_id


class Money:
    def __init__(self, cents: int) -> None:
        self.cents = cents


class Tagged(ObjectId):
    pass


register_json_encoder(ObjectId, str)
register_json_encoder(Money, lambda money: {"cents": money.cents, "currency": "EUR"})


class Binary(bytes):
    """Stands in for bson's Binary: a bytes subclass with an encoder of its own."""


register_json_encoder(Binary, lambda binary: binary.hex())


async def test_a_registered_bytes_subclass_uses_its_encoder_under_a_string_schema() -> None:
    schema = {"type": "object", "properties": {"blob": {"type": "string"}}}
    app = Lesto()
    app.get("/", schema={"response": {200: schema}})(lambda r, p: {"blob": Binary(b"\x00\xff")})
    assert (await get(app)).json() == {"blob": "00ff"}


async def test_registered_encoders_work_without_a_schema() -> None:
    app = Lesto()
    app.get("/")(
        lambda r, p: {
            "_id": ObjectId("65f0"),
            "nested": [{"ref": Tagged("66aa")}],
            "price": Money(5),
        }
    )
    assert (await get(app)).json() == {
        "_id": "65f0",
        "nested": [{"ref": "66aa"}],
        "price": {"cents": 5, "currency": "EUR"},
    }


async def test_registered_encoders_work_with_a_schema() -> None:
    schema = {
        "type": "object",
        "properties": {
            "_id": {"type": "string"},
            "untyped": {},
            "extra": {"type": "object", "additionalProperties": True},
            "price": obj("cents", kind="integer"),
            "ids": {"type": "array", "items": {"type": "string"}},
        },
    }
    value = {
        "_id": ObjectId("65f0"),
        "untyped": ObjectId("65f1"),
        "extra": {"ref": ObjectId("65f2")},
        "price": Money(5),
        "ids": [Tagged("65f3")],
    }
    app = Lesto()
    app.get("/", schema={"response": {200: schema}})(lambda r, p: value)
    assert (await get(app)).json() == {
        "_id": "65f0",
        "untyped": "65f1",
        "extra": {"ref": "65f2"},
        "price": {"cents": 5},
        "ids": ["65f3"],
    }


def test_register_json_encoder_refuses_what_it_cannot_honour() -> None:
    @dataclasses.dataclass
    class Point:
        x: int

    for native in (str, int, dict, dt.datetime, uuid.UUID, Color, Point):
        with pytest.raises(TypeError, match="natively"):
            register_json_encoder(native, str)
    with pytest.raises(TypeError, match="class"):
        register_json_encoder("ObjectId", str)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="callable"):
        register_json_encoder(Money, "str")  # type: ignore[arg-type]


async def test_an_encoder_registered_later_replaces_the_cached_conversion() -> None:
    """The schema-less serializer picks a conversion once per type, until an encoder
    is registered."""

    class Reading:
        def __init__(self, value: float) -> None:
            self.value = value

    app = Lesto()
    app.get("/", lambda request, reply: {"t": Reading(21.5)})
    first = await app.inject(url="/")
    assert first.status_code == 500
    assert first.json()["code"] == "LST_ERR_FAILED_SERIALIZATION"
    register_json_encoder(Reading, lambda reading: reading.value)
    assert (await app.inject(url="/")).json() == {"t": 21.5}


def test_classes_made_at_run_time_do_not_grow_the_conversion_cache_without_end() -> None:
    from lesto.schema._convert import json_default
    from lesto.schema.encoders import DEFAULT_CONVERTERS

    for n in range(5000):
        kind = type(f"Kind{n}", (set,), {})
        assert json_default(kind({n})) == [n]
    assert len(DEFAULT_CONVERTERS) <= 4096
