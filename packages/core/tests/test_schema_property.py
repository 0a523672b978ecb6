"""Property tests: on arbitrary JSON, validators only ever raise LST_ERR_VALIDATION."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lesto import errors
from lesto.schema import compile_serializer, compile_validator

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "additionalProperties": False,
    "patternProperties": {"^x": {"type": ["string", "null"]}},
    "properties": {
        "id": {"type": "integer", "minimum": 0, "multipleOf": 1},
        "name": {"type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-z]*$"},
        "when": {"type": "string", "format": "date-time"},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True, "maxItems": 3},
        "kind": {"enum": ["a", 1, None, [1]]},
        "choice": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
        "either": {
            "anyOf": [
                {"type": "boolean"},
                {"type": "object", "properties": {"z": {"const": {"a": 1}}}},
            ]
        },
        "not": {"not": {"type": "array"}},
        "nested": {"$ref": "#/definitions/node"},
        "score": {"type": "number", "exclusiveMaximum": 10, "default": 1},
    },
    "definitions": {
        "node": {"type": "object", "properties": {"child": {"$ref": "#/definitions/node"}}}
    },
    "if": {"properties": {"id": {"const": 0}}},
    "then": {"required": ["name"]},
}

VALIDATORS = [
    compile_validator(SCHEMA),
    compile_validator(SCHEMA, all_errors=True),
    compile_validator(SCHEMA, http_part="querystring", coerce_types=False, remove_additional=False),
]


@settings(max_examples=300, deadline=None)
@given(data=JSON | st.dictionaries(st.sampled_from(sorted(SCHEMA["properties"])), JSON, max_size=6))
def test_validator_raises_only_validation_errors(data: Any) -> None:
    for validate in VALIDATORS:
        error = _validation_error(validate, orjson.loads(orjson.dumps(data)))
        if error is not None:
            assert error.validation
            assert error.validation_context in {"body", "querystring"}


def _validation_error(validate: Any, data: Any) -> Any:
    """The LST_ERR_VALIDATION raised, or None; any other exception propagates."""
    try:
        validate(data)
    except errors.LST_ERR_VALIDATION as error:
        return error
    return None


@settings(max_examples=200, deadline=None)
@given(data=st.dictionaries(st.sampled_from(["id", "name", "tags", "extra"]), JSON, max_size=4))
def test_serializer_output_never_holds_undeclared_keys(data: Any) -> None:
    serialize = compile_serializer(
        {
            "type": "object",
            "properties": {
                "id": {},
                "name": {"type": ["string", "null"]},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
        }
    )
    try:
        out = orjson.loads(serialize(data))
    except errors.LST_ERR_FAILED_SERIALIZATION:
        return
    assert set(out) <= {"id", "name", "tags"}


def test_unencodable_values_fail_as_serialization_errors() -> None:
    serialize = compile_serializer({"type": "object", "properties": {"id": {}}})
    with pytest.raises(errors.LST_ERR_FAILED_SERIALIZATION):
        serialize({"id": 2**70})
