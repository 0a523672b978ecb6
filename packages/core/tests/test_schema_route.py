"""Route schema normalisation (checked when a route is added)."""

from __future__ import annotations

from typing import Any

import pytest
from lesto import errors
from lesto.schema import (
    SchemaStore,
    compile_response_serializers,
    compile_route_validators,
    default_serializer_compiler,
    default_validator_compiler,
    normalize_route_schema,
)

OBJ = {"type": "object", "properties": {"n": {"type": "integer"}}}


def test_parts_and_query_alias() -> None:
    route = normalize_route_schema({"query": OBJ, "params": OBJ}, method="GET", url="/x")
    assert route.querystring == OBJ
    assert set(route.parts()) == {"querystring", "params"}


def test_query_and_querystring_together_is_a_duplicate() -> None:
    with pytest.raises(errors.LST_ERR_SCH_DUPLICATE):
        normalize_route_schema({"query": OBJ, "querystring": OBJ}, method="GET", url="/x")


@pytest.mark.parametrize("part", ["body", "querystring", "params", "headers"])
def test_shorthand_is_rejected_naming_route_and_part(part: str) -> None:
    with pytest.raises(errors.LST_ERR_SCH_INVALID) as info:
        normalize_route_schema({part: {"name": {"type": "string"}}}, method="POST", url="/things")
    assert part in str(info.value)
    assert "POST /things" in str(info.value)


@pytest.mark.parametrize("bad", [{"type": "text"}, "string", 42])
def test_invalid_parts_are_rejected(bad: Any) -> None:
    with pytest.raises(errors.LST_ERR_SCH_INVALID):
        normalize_route_schema({"body": bad}, method="POST", url="/x")


def test_ref_and_combinator_parts_are_full_schemas() -> None:
    route = normalize_route_schema(
        {"body": {"$ref": "user#"}, "params": {"anyOf": [OBJ]}}, method="PUT", url="/x"
    )
    assert route.body == {"$ref": "user#"}


def test_response_keys() -> None:
    route = normalize_route_schema(
        {
            "response": {
                200: OBJ,
                "4XX": OBJ,
                "default": OBJ,
                "201": {"content": {"text/csv": {"schema": {"type": "string"}}}},
            }
        },
        method="GET",
        url="/x",
    )
    assert set(route.response) == {"200", "4xx", "default", "201"}
    assert route.response["200"] == {None: OBJ}
    assert route.response["201"] == {"text/csv": {"type": "string"}}


def test_response_errors() -> None:
    with pytest.raises(errors.LST_ERR_SCH_RESPONSE_SCHEMA_NOT_NESTED_2XX):
        normalize_route_schema({"response": OBJ}, method="GET", url="/x")
    with pytest.raises(errors.LST_ERR_SCH_CONTENT_MISSING_SCHEMA, match="application/json"):
        normalize_route_schema(
            {"response": {200: {"content": {"application/json": {}}}}}, method="GET", url="/x"
        )
    with pytest.raises(errors.LST_ERR_SCH_INVALID):
        normalize_route_schema({"response": {"ok": OBJ}}, method="GET", url="/x")
    with pytest.raises(errors.LST_ERR_SCH_INVALID):
        normalize_route_schema({"response": {200: {"properties": {}}}}, method="GET", url="/x")


def test_compile_route_with_default_and_custom_compilers() -> None:
    store = SchemaStore()
    route = normalize_route_schema(
        {
            "params": OBJ,
            "response": {
                200: OBJ,
                "5xx": {"type": "string"},
                "default": {"type": "null"},
                201: {"content": {"application/json": {"schema": OBJ}}},
            },
        },
        method="GET",
        url="/x/:n",
    )
    validators = compile_route_validators(
        route, default_validator_compiler(store), method="GET", url="/x/:n"
    )
    assert validators.body is None
    assert validators.params is not None
    assert validators.params({"n": "5"}) == {"n": 5}

    seen: list[dict[str, Any]] = []

    def custom(definition: Any) -> Any:
        seen.append(dict(definition))
        return lambda data: data

    compile_route_validators(route, custom, method="GET", url="/x/:n")
    assert seen == [{"schema": OBJ, "method": "GET", "url": "/x/:n", "http_part": "params"}]

    serializers = compile_response_serializers(
        route, default_serializer_compiler(store), method="GET", url="/x/:n"
    )
    assert serializers is not None
    assert serializers.get(200)({"n": 1, "x": 2}) == b'{"n":1}'
    assert serializers.get(503)(5) == b'"5"'
    assert serializers.get(404)("x") == b"null"
    assert serializers.get(201, "application/json; charset=utf-8")({"n": 2, "x": 1}) == b'{"n":2}'
    assert serializers.get(201, "text/plain") is None
