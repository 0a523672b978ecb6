"""Type providers: pydantic, msgspec, TypedDict and dataclass schema parts."""

from __future__ import annotations

import dataclasses
from typing import Any, TypedDict

import msgspec
import orjson
import pydantic
import pytest
from lesto import errors
from lesto.schema import (
    SchemaStore,
    TypeProvider,
    compile_response_serializers,
    compile_route_validators,
    default_serializer_compiler,
    default_validator_compiler,
    normalize_route_schema,
)


class Animal(pydantic.BaseModel):
    animal: str
    legs: int = 4


class Query(msgspec.Struct):
    limit: int
    verbose: bool = False


class Movie(TypedDict):
    title: str
    year: int


@dataclasses.dataclass
class Point:
    x: int
    y: int


def route_for(**parts: Any) -> tuple[Any, Any]:
    route = normalize_route_schema(parts, method="POST", url="/p")
    store = SchemaStore()
    validators = compile_route_validators(
        route, default_validator_compiler(store), method="POST", url="/p"
    )
    serializers = compile_response_serializers(
        route, default_serializer_compiler(store), method="POST", url="/p"
    )
    return validators, serializers


def error_of(fn: Any, data: Any) -> Any:
    with pytest.raises(errors.LST_ERR_VALIDATION) as info:
        fn(data)
    return info.value


def test_pydantic_model() -> None:
    validators, serializers = route_for(body=Animal, response={200: Animal})
    assert validators.body({"animal": "cat"}) == Animal(animal="cat", legs=4)
    error = error_of(validators.body, {})
    assert str(error) == "body must have required property 'animal'"
    assert error.validation_context == "body"
    assert error.validation[0]["keyword"] == "required"
    error = error_of(validators.body, {"animal": "cat", "legs": "many"})
    assert str(error) == "body/legs must be integer"
    assert orjson.loads(serializers.get(200)({"animal": "dog", "secret": 1})) == {
        "animal": "dog",
        "legs": 4,
    }
    assert serializers.get(200)(Animal(animal="ant", legs=6)) == b'{"animal":"ant","legs":6}'


def test_msgspec_struct_with_lax_querystring() -> None:
    validators, serializers = route_for(querystring=Query, response={200: Query})
    assert validators.querystring({"limit": "10", "verbose": "true"}) == Query(
        limit=10, verbose=True
    )
    assert (
        str(error_of(validators.querystring, {}))
        == "querystring must have required property 'limit'"
    )
    assert (
        str(error_of(validators.querystring, {"limit": "x"})) == "querystring/limit must be integer"
    )
    assert orjson.loads(serializers.get(200)({"limit": 1, "secret": 2})) == {
        "limit": 1,
        "verbose": False,
    }


def test_msgspec_body_is_strict() -> None:
    validators, _ = route_for(body=Query)
    assert str(error_of(validators.body, {"limit": "10"})) == "body/limit must be integer"


def test_typed_dict() -> None:
    validators, serializers = route_for(body=Movie, response={"2xx": Movie})
    assert validators.body({"title": "Up", "year": 2009}) == {"title": "Up", "year": 2009}
    assert (
        str(error_of(validators.body, {"title": "Up"})) == "body must have required property 'year'"
    )
    assert orjson.loads(serializers.get(201)({"title": "Up", "year": 2009, "x": 1})) == {
        "title": "Up",
        "year": 2009,
    }


def test_dataclass() -> None:
    validators, serializers = route_for(params=Point, response={200: Point})
    assert validators.params({"x": "1", "y": "2"}) == Point(1, 2)
    assert str(error_of(validators.params, {"x": 1, "y": "z"})) == "params/y must be integer"
    assert serializers.get(200)(Point(1, 2)) == b'{"x":1,"y":2}'


def test_json_schema_is_kept_for_tooling() -> None:
    route = normalize_route_schema({"body": Animal, "querystring": Query}, method="GET", url="/")
    assert isinstance(route.body, TypeProvider)
    assert route.json_schema(route.body)["properties"]["animal"] == {
        "title": "Animal",
        "type": "string",
    }
    assert "limit" in str(route.json_schema(route.querystring))


def test_failures_are_validation_errors_with_the_same_shape() -> None:
    validators, _ = route_for(body=Animal)
    detail = error_of(validators.body, {"animal": 1}).validation[0]
    assert set(detail) == {"instance_path", "schema_path", "keyword", "params", "message"}
