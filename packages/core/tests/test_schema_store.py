"""Shared schemas, child stores and $ref resolution."""

from __future__ import annotations

import pytest
from lesto import errors
from lesto.schema import SchemaStore, compile_serializer, compile_validator

ADDRESS = {
    "$id": "http://example.com/address.json",
    "type": "object",
    "required": ["city"],
    "properties": {"city": {"type": "string"}},
}
COMMON = {
    "$id": "https://lesto/demo",
    "type": "object",
    "definitions": {
        "address": {"$id": "#address", "type": "object", "required": ["line1"]},
        "zip": {"type": "string", "pattern": "^[0-9]+$"},
        "tagged": {"$anchor": "tagged", "type": "integer"},
    },
}


def test_add_requires_a_unique_id() -> None:
    store = SchemaStore()
    with pytest.raises(errors.LST_ERR_SCH_MISSING_ID):
        store.add({"type": "string"})
    store.add({"$id": "a", "type": "string"})
    with pytest.raises(errors.LST_ERR_SCH_ALREADY_PRESENT):
        store.add({"$id": "a", "type": "integer"})
    assert store.get("a") == {"$id": "a", "type": "string"}
    assert store.get("missing") is None
    assert list(store.all()) == ["a"]


def test_child_sees_parent_but_parent_never_sees_child() -> None:
    parent = SchemaStore()
    parent.add({"$id": "p", "type": "string"})
    child = parent.child()
    child.add({"$id": "c", "type": "integer"})
    sibling = parent.child()
    assert "p" in child
    assert "c" in child
    assert "c" not in parent
    assert "c" not in sibling
    with pytest.raises(errors.LST_ERR_SCH_ALREADY_PRESENT):
        child.add({"$id": "p", "type": "string"})


def test_refs_across_parent_and_child_stores() -> None:
    parent = SchemaStore()
    parent.add(
        {
            "$id": "user",
            "type": "object",
            "required": ["name"],
            "properties": {"name": {"type": "string"}},
        }
    )
    child = parent.child()
    child.add({"$id": "team", "type": "object", "properties": {"lead": {"$ref": "user#"}}})
    validate = compile_validator(
        {"type": "object", "properties": {"team": {"$ref": "team#"}}}, store=child
    )
    with pytest.raises(
        errors.LST_ERR_VALIDATION, match="body/team/lead must have required property 'name'"
    ):
        validate({"team": {"lead": {}}})
    with pytest.raises(errors.LST_ERR_SCH_VALIDATION_BUILD, match="GET: /teams"):
        compile_validator({"$ref": "team#"}, store=parent, method="GET", url="/teams")


@pytest.mark.parametrize(
    ("ref", "bad", "message"),
    [
        ("http://example.com/address.json", {}, "body/a must have required property 'city'"),
        ("http://example.com/address.json#", {}, "body/a must have required property 'city'"),
        ("https://lesto/demo#address", {}, "body/a must have required property 'line1'"),
        ("https://lesto/demo#/definitions/zip", "x1", 'body/a must match pattern "^[0-9]+$"'),
        ("https://lesto/demo#tagged", "x", "body/a must be integer"),
        ("address.json", {}, "body/a must have required property 'city'"),
    ],
)
def test_ref_forms(ref: str, bad: object, message: str) -> None:
    store = SchemaStore()
    store.add(ADDRESS)
    store.add(COMMON)
    schema = {
        "$id": "http://example.com/route.json",
        "type": "object",
        "properties": {"a": {"$ref": ref}},
    }
    validate = compile_validator(schema, store=store)
    with pytest.raises(errors.LST_ERR_VALIDATION) as info:
        validate({"a": bad})
    assert str(info.value) == message


def test_local_refs_and_recursion() -> None:
    schema = {
        "type": "object",
        "$defs": {
            "node": {
                "type": "object",
                "properties": {
                    "kids": {"type": "array", "items": {"$ref": "#/$defs/node"}},
                    "n": {"type": "integer"},
                },
            }
        },
        "properties": {"root": {"$ref": "#/$defs/node"}},
    }
    validate = compile_validator(schema)
    assert validate({"root": {"kids": [{"kids": [{"n": "3"}]}]}}) == {
        "root": {"kids": [{"kids": [{"n": 3}]}]}
    }
    with pytest.raises(errors.LST_ERR_VALIDATION, match="body/root/kids/0/n must be integer"):
        validate({"root": {"kids": [{"n": "x"}]}})


def test_unresolvable_ref_fails_at_build_naming_the_route() -> None:
    with pytest.raises(errors.LST_ERR_SCH_VALIDATION_BUILD) as info:
        compile_validator(
            {"type": "object", "properties": {"a": {"$ref": "nope#"}}}, method="POST", url="/x"
        )
    assert "POST: /x" in str(info.value)
    assert "nope#" in str(info.value)
    with pytest.raises(errors.LST_ERR_SCH_SERIALIZATION_BUILD, match="POST: /x"):
        compile_serializer({"$ref": "#/definitions/none"}, method="POST", url="/x")


def test_refs_resolve_in_serialization_too() -> None:
    store = SchemaStore()
    store.add(ADDRESS)
    serialize = compile_serializer(
        {"type": "object", "properties": {"home": {"$ref": "http://example.com/address.json#"}}},
        store=store,
    )
    assert serialize({"home": {"city": "Rome", "secret": 1}}) == b'{"home":{"city":"Rome"}}'
