"""The compiled validator: Ajv semantics with Fastify's defaults."""

from __future__ import annotations

from typing import Any

import pytest
from lesto import errors
from lesto.schema import compile_validator


def obj(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


def fail(validator: Any, data: Any) -> Any:
    with pytest.raises(errors.LST_ERR_VALIDATION) as info:
        validator(data)
    return info.value


# --- messages -------------------------------------------------------------------------------


def test_required_message_reads_like_fastify() -> None:
    validate = compile_validator({"type": "object", "required": ["animal"], "properties": {}})
    error = fail(validate, {})
    assert error.code == "LST_ERR_VALIDATION"
    assert error.status_code == 400
    assert str(error) == "body must have required property 'animal'"
    assert error.validation_context == "body"
    assert error.validation == [
        {
            "instance_path": "",
            "schema_path": "#/required",
            "keyword": "required",
            "params": {"missingProperty": "animal"},
            "message": "must have required property 'animal'",
        }
    ]


def test_type_message_names_part_and_path() -> None:
    validate = compile_validator(obj(limit={"type": "integer"}), http_part="querystring")
    error = fail(validate, {"limit": "ten"})
    assert str(error) == "querystring/limit must be integer"
    assert error.validation[0]["schema_path"] == "#/properties/limit/type"
    assert error.validation[0]["params"] == {"type": "integer"}


@pytest.mark.parametrize(
    ("schema", "value", "message"),
    [
        ({"type": "string", "minLength": 3}, "ab", "must NOT have fewer than 3 characters"),
        ({"type": "string", "maxLength": 1}, "ab", "must NOT have more than 1 characters"),
        ({"type": "string", "pattern": "^a+$"}, "b", 'must match pattern "^a+$"'),
        ({"type": "string", "format": "email"}, "nope", 'must match format "email"'),
        ({"type": "integer", "minimum": 5}, 4, "must be >= 5"),
        ({"type": "integer", "maximum": 5}, 6, "must be <= 5"),
        ({"type": "number", "exclusiveMinimum": 5}, 5, "must be > 5"),
        ({"type": "number", "exclusiveMaximum": 5}, 5, "must be < 5"),
        ({"type": "integer", "multipleOf": 3}, 4, "must be multiple of 3"),
        ({"type": "string", "enum": ["a", "b"]}, "c", "must be equal to one of the allowed values"),
        ({"const": 1}, 2, "must be equal to constant"),
        ({"type": "array", "minItems": 2}, [1], "must NOT have fewer than 2 items"),
        ({"type": "array", "maxItems": 1}, [1, 2], "must NOT have more than 1 items"),
        (
            {"type": "array", "uniqueItems": True},
            [1, 2, 1],
            "must NOT have duplicate items (items ## 0 and 2 are identical)",
        ),
        ({"not": {"type": "string"}}, "x", "must NOT be valid"),
        ({"type": ["string", "null"]}, {"a": 1}, "must be string,null"),
        ({"type": "object", "minProperties": 1}, {}, "must NOT have fewer than 1 properties"),
    ],
)
def test_keyword_messages(schema: dict[str, Any], value: Any, message: str) -> None:
    validate = compile_validator(obj(x=schema))
    error = fail(validate, {"x": value})
    assert str(error) == f"body/x {message}"


def test_additional_properties_error_when_removal_is_off() -> None:
    schema = {"type": "object", "properties": {}, "additionalProperties": False}
    validate = compile_validator(schema, remove_additional=False)
    error = fail(validate, {"extra": 1})
    assert str(error) == "body must NOT have additional properties"
    assert error.validation[0]["params"] == {"additionalProperty": "extra"}


def test_first_error_only_by_default_and_all_errors_on_request() -> None:
    schema = {"type": "object", "required": ["a", "b"], "properties": {"c": {"type": "integer"}}}
    assert len(fail(compile_validator(schema), {"c": "x"}).validation) == 1
    error = fail(compile_validator(schema, all_errors=True), {"c": "x"})
    assert str(error) == (
        "body must have required property 'a', body must have required property 'b',"
        " body/c must be integer"
    )


def test_nested_paths_and_pointer_escaping() -> None:
    schema = obj(
        items={"type": "array", "items": obj(n={"type": "integer"})},
        map={"type": "object", "additionalProperties": {"type": "integer"}},
    )
    validate = compile_validator(schema)
    assert (
        str(fail(validate, {"items": [{"n": 1}, {"n": "x"}]})) == "body/items/1/n must be integer"
    )
    assert str(fail(validate, {"map": {"a/b~c": "x"}})) == "body/map/a~1b~0c must be integer"


def test_any_of_reports_branch_errors_then_any_of() -> None:
    branches = [{"type": "string"}, {"type": "boolean"}]
    validate = compile_validator(obj(x={"anyOf": branches}), coerce_types=False)
    error = fail(validate, {"x": {}})
    assert (
        str(error)
        == "body/x must be string, body/x must be boolean, body/x must match a schema in anyOf"
    )
    assert validate({"x": True}) == {"x": True}


def test_one_of_requires_exactly_one() -> None:
    validate = compile_validator(
        obj(x={"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 0}]}),
        coerce_types=False,
    )
    assert validate({"x": -1}) == {"x": -1}
    error = fail(validate, {"x": 1})
    assert error.validation[-1]["params"] == {"passingSchemas": [0, 1]}
    assert str(error) == "body/x must match exactly one schema in oneOf"


def test_all_of_and_if_then_else() -> None:
    schema = {
        "type": "object",
        "allOf": [{"required": ["kind"]}],
        "if": {"properties": {"kind": {"const": "a"}}},
        "then": {"required": ["a"]},
        "else": {"required": ["b"]},
    }
    validate = compile_validator(schema)
    assert str(fail(validate, {})) == "body must have required property 'kind'"
    error = fail(validate, {"kind": "a"})
    assert str(error) == "body must have required property 'a', body must match \"then\" schema"
    assert str(fail(validate, {"kind": "z"})).startswith("body must have required property 'b'")
    assert validate({"kind": "z", "b": 1}) == {"kind": "z", "b": 1}


def test_pattern_properties_prefix_items_contains_and_nullable() -> None:
    schema = {
        "type": "object",
        "patternProperties": {"^n_": {"type": "integer"}},
        "properties": {
            "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
            "has": {"type": "array", "contains": {"const": 3}},
            "maybe": {"type": "string", "nullable": True},
        },
    }
    validate = compile_validator(schema, coerce_types=False)
    assert validate({"n_a": 1, "pair": ["a", 1], "has": [1, 3], "maybe": None})
    assert str(fail(validate, {"n_a": "x"})) == "body/n_a must be integer"
    assert str(fail(validate, {"pair": ["a", "b"]})) == "body/pair/1 must be integer"
    assert str(fail(validate, {"has": [1]})) == "body/has must contain at least 1 valid item(s)"


@pytest.mark.parametrize(
    ("fmt", "good", "bad"),
    [
        ("date-time", "2024-02-29T10:00:00Z", "2023-02-29T10:00:00Z"),
        ("date", "2024-02-29", "2024-13-01"),
        ("time", "10:20:30+02:00", "25:00:00Z"),
        ("email", "a.b@example.com", "a@"),
        ("uri", "https://example.com/x?y=1", "not a uri"),
        ("uuid", "123e4567-e89b-12d3-a456-426614174000", "123e4567"),
        ("ipv4", "192.168.0.1", "256.1.1.1"),
        ("ipv6", "::1", "::g"),
        ("hostname", "api.example.com", "-bad-.com"),
    ],
)
def test_formats(fmt: str, good: str, bad: str) -> None:
    validate = compile_validator({"type": "string", "format": fmt})
    assert validate(good) == good
    assert str(fail(validate, bad)) == f'body must match format "{fmt}"'


def test_unknown_format_and_bad_pattern_fail_at_build_naming_the_route() -> None:
    with pytest.raises(errors.LST_ERR_SCH_VALIDATION_BUILD, match="GET: /x"):
        compile_validator({"type": "string", "format": "binary"}, method="GET", url="/x")
    with pytest.raises(errors.LST_ERR_SCH_VALIDATION_BUILD):
        compile_validator({"type": "string", "pattern": "("})


# --- coercion (Ajv coerceTypes: "array") -----------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "raw", "expected"),
    [
        ("integer", "42", 42),
        ("integer", "0042", 42),
        ("integer", "12345678901234567890", 12345678901234567890),
        ("number", "42", 42),
        ("integer", "1e3", 1000),
        ("integer", "-7", -7),
        ("integer", " 12 ", 12),
        ("number", "1e3", 1000.0),
        ("number", "1.5", 1.5),
        ("number", "0x10", 16),
        ("integer", "1", 1),
        ("integer", "0", 0),
        ("integer", True, 1),
        ("boolean", "true", True),
        ("boolean", "false", False),
        ("boolean", 1, True),
        ("boolean", 0, False),
        ("null", "", None),
        ("null", 0, None),
        ("string", 5, "5"),
        ("string", True, "true"),
        ("string", None, ""),
        ("array", "5", ["5"]),
    ],
)
@pytest.mark.parametrize("all_errors", [False, True])
def test_coercion(declared: str, raw: Any, expected: Any, all_errors: bool) -> None:
    validate = compile_validator(
        obj(v={"type": declared}), http_part="querystring", all_errors=all_errors
    )
    result = validate({"v": raw})["v"]
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("declared", "raw"),
    [
        ("integer", ""),
        ("integer", "1.5"),
        ("integer", "abc"),
        ("integer", "\u00b2"),  # str.isdigit() says yes to a superscript two; Ajv says no
        ("number", "\u0663"),  # an Arabic-Indic three, the same
        ("number", ""),
        ("number", "Infinity"),
        ("boolean", "1"),
        ("boolean", "0"),
        ("boolean", "yes"),
        ("boolean", ""),
        ("null", "null"),
    ],
)
@pytest.mark.parametrize("all_errors", [False, True])
def test_values_ajv_does_not_coerce(declared: str, raw: Any, all_errors: bool) -> None:
    validate = compile_validator(
        obj(v={"type": declared}), http_part="querystring", all_errors=all_errors
    )
    assert str(fail(validate, {"v": raw})) == f"querystring/v must be {declared}"


def test_repeated_keys_and_single_values_become_arrays() -> None:
    schema = obj(ids={"type": "array", "items": {"type": "integer"}}, one={"type": "integer"})
    validate = compile_validator(schema, http_part="querystring")
    assert validate({"ids": ["1", "2", "1e1"]}) == {"ids": [1, 2, 10]}
    assert validate({"ids": "3"}) == {"ids": [3]}
    assert validate({"one": ["4"]}) == {"one": 4}
    assert str(fail(validate, {"ids": ["1", "x"]})) == "querystring/ids/1 must be integer"


def test_type_lists_coerce_to_the_first_possible_type() -> None:
    validate = compile_validator(obj(v={"type": ["integer", "boolean"]}))
    assert validate({"v": "true"}) == {"v": True}
    assert validate({"v": "3"}) == {"v": 3}


def test_coercion_can_be_turned_off() -> None:
    validate = compile_validator(obj(v={"type": "integer"}), coerce_types=False)
    assert str(fail(validate, {"v": "1"})) == "body/v must be integer"


def test_booleans_are_not_numbers_without_coercion() -> None:
    validate = compile_validator(obj(v={"type": "number"}), coerce_types=False)
    assert str(fail(validate, {"v": True})) == "body/v must be number"
    assert validate({"v": 1.0}) == {"v": 1.0}


# --- defaults and removeAdditional -----------------------------------------------------------


def test_defaults_are_applied_and_copied() -> None:
    schema = {
        "type": "object",
        "required": ["page"],
        "properties": {
            "page": {"type": "integer", "default": 1},
            "tags": {"type": "array", "default": []},
            "nested": {"type": "object", "default": {}, "properties": {"x": {"default": "y"}}},
        },
    }
    validate = compile_validator(schema)
    first = validate({})
    assert first == {"page": 1, "tags": [], "nested": {"x": "y"}}
    first["tags"].append(1)
    assert validate({})["tags"] == []


def test_remove_additional_where_additional_properties_is_false() -> None:
    schema = {
        "type": "object",
        "additionalProperties": False,
        "patternProperties": {"^x-": {"type": "string"}},
        "properties": {
            "keep": {"type": "string"},
            "inner": {"type": "object", "additionalProperties": False, "properties": {"a": {}}},
            "open": {"type": "object"},
        },
    }
    data = {"keep": "k", "drop": 1, "x-ok": "y", "inner": {"a": 1, "b": 2}, "open": {"z": 1}}
    assert compile_validator(schema)(data) == {
        "keep": "k",
        "x-ok": "y",
        "inner": {"a": 1},
        "open": {"z": 1},
    }


def test_validator_returns_the_mutated_root() -> None:
    validate = compile_validator({"type": "integer"}, http_part="params")
    assert validate("12") == 12
