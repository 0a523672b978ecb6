"""Shared schemas (add_schema, $ref), their encapsulation, and pluggable compilers."""

from __future__ import annotations

from typing import Any

import pytest
from lesto import Lesto, errors

COMMON = {
    "$id": "http://example.com/common.json",
    "type": "object",
    "definitions": {
        "name": {"type": "string", "minLength": 2},
        "age": {"$anchor": "age", "type": "integer", "minimum": 0},
    },
    "properties": {"hello": {"type": "string"}},
}
USER = {
    "$id": "user",
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string"}, "id": {"type": "integer"}},
}


def message(response: Any) -> str:
    assert response.status_code == 400, response.body
    assert response.json()["code"] == "LST_ERR_VALIDATION"
    text: str = response.json()["message"]
    return text


# --- add_schema, get_schemas, get_schema -------------------------------------------------------


def test_add_schema_requires_an_id() -> None:
    app = Lesto()
    for schema in ({"type": "string"}, {"$id": "", "type": "string"}, {"$id": 3}):
        with pytest.raises(errors.LST_ERR_SCH_MISSING_ID) as info:
            app.add_schema(schema)
        assert info.value.code == "LST_ERR_SCH_MISSING_ID"


async def test_add_schema_refuses_a_duplicate_id_here_or_in_an_ancestor() -> None:
    app = Lesto()
    app.add_schema(USER)
    with pytest.raises(errors.LST_ERR_SCH_ALREADY_PRESENT, match="'user'"):
        app.add_schema(USER)
    caught: list[str] = []

    def child(instance: Any, opts: Any) -> None:
        try:
            instance.add_schema(USER)
        except errors.LST_ERR_SCH_ALREADY_PRESENT as error:
            caught.append(error.code)

    app.register(child)
    await app.ready()
    assert caught == ["LST_ERR_SCH_ALREADY_PRESENT"]


async def test_get_schemas_and_get_schema_are_encapsulated() -> None:
    app = Lesto()
    app.add_schema(USER)
    seen: dict[str, Any] = {}

    def child(instance: Any, opts: Any) -> None:
        instance.add_schema({"$id": "kid", "type": "string"})
        seen["child"] = sorted(instance.get_schemas())
        seen["child sees user"] = instance.get_schema("user") == USER

        def grandchild(inner: Any, opts: Any) -> None:
            seen["grandchild"] = sorted(inner.get_schemas())

        instance.register(grandchild)

    def sibling(instance: Any, opts: Any) -> None:
        seen["sibling"] = sorted(instance.get_schemas())
        seen["sibling kid"] = instance.get_schema("kid")

    app.register(child)
    app.register(sibling)
    await app.ready()
    assert seen == {
        "child": ["kid", "user"],
        "child sees user": True,
        "grandchild": ["kid", "user"],
        "sibling": ["user"],
        "sibling kid": None,
    }
    assert sorted(app.get_schemas()) == ["user"]
    assert app.get_schema("kid") is None


def test_added_schema_is_a_copy() -> None:
    app = Lesto()
    schema = {"$id": "s", "type": "object", "properties": {}}
    app.add_schema(schema)
    schema["properties"]["late"] = {"type": "string"}
    assert app.get_schema("s") == {"$id": "s", "type": "object", "properties": {}}


# --- $ref resolution in validation and serialization -------------------------------------------


async def test_refs_resolve_in_validation_and_serialization() -> None:
    app = Lesto()
    app.add_schema(COMMON)
    app.add_schema(USER)
    body = {
        "type": "object",
        "properties": {
            "name": {"$ref": "http://example.com/common.json#/definitions/name"},
            "age": {"$ref": "http://example.com/common.json#age"},
            "whole": {"$ref": "http://example.com/common.json#"},
            "user": {"$ref": "user#"},
        },
    }
    response_schema = {
        "type": "object",
        "properties": {
            "name": {"$ref": "http://example.com/common.json#/definitions/name"},
            "age": {"$ref": "http://example.com/common.json#age"},
            "whole": {"$ref": "http://example.com/common.json"},
            "user": {"$ref": "user#"},
        },
    }

    @app.post("/", schema={"body": body, "response": {200: response_schema}})
    def handler(request: Any, reply: Any) -> Any:
        return {**request.body, "leak": True, "user": {**request.body["user"], "pw": "x"}}

    payload = {
        "name": "Ada",
        "age": "36",
        "whole": {"hello": "hi", "other": 1},
        "user": {"name": "ada", "id": "7"},
    }
    response = await app.inject(method="POST", url="/", payload=payload)
    assert response.status_code == 200, response.body
    assert response.json() == {
        "name": "Ada",
        "age": 36,
        "whole": {"hello": "hi"},
        "user": {"name": "ada", "id": 7},
    }
    bad = {**payload, "name": "A"}
    assert message(await app.inject(method="POST", url="/", payload=bad)) == (
        "body/name must NOT have fewer than 2 characters"
    )
    bad = {**payload, "age": -1}
    assert message(await app.inject(method="POST", url="/", payload=bad)) == "body/age must be >= 0"
    bad = {**payload, "user": {}}
    assert message(await app.inject(method="POST", url="/", payload=bad)) == (
        "body/user must have required property 'name'"
    )


async def test_relative_refs_resolve_against_the_referring_schema() -> None:
    app = Lesto()
    app.add_schema(COMMON)
    app.add_schema(
        {
            "$id": "http://example.com/person.json",
            "type": "object",
            "properties": {"name": {"$ref": "common.json#/definitions/name"}},
        }
    )
    ref = {"$ref": "http://example.com/person.json#"}
    app.post("/", schema={"body": ref, "response": {200: ref}})(
        lambda request, reply: {**request.body, "secret": 1}
    )
    ok = await app.inject(method="POST", url="/", payload={"name": "Bob"})
    assert ok.json() == {"name": "Bob"}
    assert message(await app.inject(method="POST", url="/", payload={"name": "B"})) == (
        "body/name must NOT have fewer than 2 characters"
    )


async def test_seed_fluent_schema_reuse_with_anchor_and_definitions() -> None:
    """Fluent Schema's "$ref-way": an address under ``#address`` and under definitions."""
    address = {
        "$id": "#address",
        "type": "object",
        "required": ["line1", "country", "city", "zipcode"],
        "properties": {
            "line1": {"type": "string"},
            "line2": {"type": "string"},
            "country": {"type": "string"},
            "city": {"type": "string"},
            "zipcode": {"type": "string"},
        },
    }
    app = Lesto()
    app.add_schema(
        {"$id": "https://lesto/demo", "type": "object", "definitions": {"addressSchema": address}}
    )
    body = {
        "type": "object",
        "required": ["residence", "office"],
        "properties": {
            "residence": {"$ref": "https://lesto/demo#address"},
            "office": {"$ref": "https://lesto/demo#/definitions/addressSchema"},
        },
    }
    app.post("/the/url", schema={"body": body})(lambda request, reply: request.body)
    home = {"line1": "1 Road", "country": "IT", "city": "Rome", "zipcode": 100}
    response = await app.inject(
        method="POST", url="/the/url", payload={"residence": home, "office": home}
    )
    assert response.status_code == 200
    assert response.json()["office"]["zipcode"] == "100"
    partial = {"line1": "1 Road", "country": "IT", "city": "Rome"}
    response = await app.inject(
        method="POST", url="/the/url", payload={"residence": home, "office": partial}
    )
    assert message(response) == "body/office must have required property 'zipcode'"


async def test_a_child_uses_its_own_and_its_parents_schemas() -> None:
    app = Lesto()
    app.add_schema(USER)

    def child(instance: Any, opts: Any) -> None:
        instance.add_schema({"$id": "kid", "type": "string", "maxLength": 3})
        body = {
            "type": "object",
            "properties": {"kid": {"$ref": "kid#"}, "user": {"$ref": "user#"}},
        }
        instance.post("/", schema={"body": body, "response": {200: body}})(
            lambda request, reply: request.body
        )

    app.register(child, prefix="/child")
    ok = await app.inject(
        method="POST", url="/child", payload={"kid": 12, "user": {"name": "u", "x": 1}}
    )
    assert ok.json() == {"kid": "12", "user": {"name": "u"}}
    bad = await app.inject(method="POST", url="/child", payload={"kid": "long"})
    assert message(bad) == "body/kid must NOT have more than 3 characters"


async def test_a_ref_to_a_childs_schema_from_the_parent_fails_at_ready() -> None:
    app = Lesto()
    app.register(lambda instance, opts: instance.add_schema({"$id": "only", "type": "string"}))
    app.post("/parent", schema={"body": {"$ref": "only#"}})(lambda r, p: "x")
    with pytest.raises(errors.LST_ERR_SCH_VALIDATION_BUILD) as info:
        await app.ready()
    assert info.value.code == "LST_ERR_SCH_VALIDATION_BUILD"
    assert "POST" in str(info.value)
    assert "/parent" in str(info.value)
    assert "only#" in str(info.value)


async def test_a_ref_to_a_siblings_schema_fails_at_ready() -> None:
    app = Lesto()
    app.register(lambda instance, opts: instance.add_schema({"$id": "mine", "type": "string"}))

    def sibling(instance: Any, opts: Any) -> None:
        instance.put("/sibling", schema={"body": {"$ref": "mine#"}})(lambda r, p: "x")

    app.register(sibling)
    with pytest.raises(errors.LST_ERR_SCH_VALIDATION_BUILD, match="/sibling"):
        await app.ready()


async def test_unresolvable_refs_fail_at_ready_naming_the_route() -> None:
    validation = Lesto()
    validation.get(
        "/v",
        schema={"querystring": {"type": "object", "properties": {"a": {"$ref": "user#/nope"}}}},
    )(lambda r, p: "x")
    validation.add_schema(USER)
    with pytest.raises(errors.LST_ERR_SCH_VALIDATION_BUILD, match=r"GET.*/v"):
        await validation.ready()

    serialization = Lesto()
    serialization.get("/s", schema={"response": {200: {"$ref": "missing#"}}})(lambda r, p: "x")
    with pytest.raises(errors.LST_ERR_SCH_SERIALIZATION_BUILD, match=r"GET.*/s"):
        await serialization.ready()


async def test_schemas_added_after_the_route_but_before_ready_are_used() -> None:
    app = Lesto()
    app.post("/", schema={"body": {"$ref": "user#"}})(lambda request, reply: request.body)
    app.add_schema(USER)
    assert message(await app.inject(method="POST", url="/", payload={})) == (
        "body must have required property 'name'"
    )


# --- custom compilers ---------------------------------------------------------------------


def counting_validator(calls: list[tuple[str, str, str]], tag: str) -> Any:
    def compiler(definition: Any) -> Any:
        calls.append((definition["method"], definition["url"], definition["http_part"]))

        def validate(data: Any) -> Any:
            return {"validated_by": tag}

        return validate

    return compiler


async def test_validator_compiler_per_context_and_per_route() -> None:
    app = Lesto()
    calls: list[tuple[str, str, str]] = []
    body = {"type": "object", "properties": {"n": {"type": "integer"}}}

    def child(instance: Any, opts: Any) -> None:
        instance.set_validator_compiler(counting_validator(calls, "child"))
        instance.post("/in-child", schema={"body": body})(lambda request, reply: request.body)

    app.register(child)
    app.post("/root", schema={"body": body})(lambda request, reply: request.body)
    app.post(
        "/route",
        schema={"body": body, "querystring": body},
        validator_compiler=counting_validator(calls, "route"),
    )(lambda request, reply: {"body": request.body, "query": request.query})

    child_reply = await app.inject(method="POST", url="/in-child", payload={"n": "x"})
    assert child_reply.json() == {"validated_by": "child"}
    root_reply = await app.inject(method="POST", url="/root", payload={"n": "x"})
    assert message(root_reply) == "body/n must be integer"
    route_reply = await app.inject(method="POST", url="/route?n=x", payload={"n": "x"})
    assert route_reply.json() == {
        "body": {"validated_by": "route"},
        "query": {"validated_by": "route"},
    }
    assert sorted(calls) == [
        ("POST", "/in-child", "body"),
        ("POST", "/route", "body"),
        ("POST", "/route", "querystring"),
    ]


async def test_serializer_compiler_per_context_and_per_route() -> None:
    app = Lesto()
    definitions: list[dict[str, Any]] = []

    def upper(definition: Any) -> Any:
        definitions.append(dict(definition))
        return lambda value: str(value).upper().encode()

    response = {200: {"type": "object", "properties": {"a": {"type": "string"}}}}

    def child(instance: Any, opts: Any) -> None:
        instance.set_serializer_compiler(upper)
        instance.get("/child", schema={"response": response})(lambda r, p: {"a": "x", "b": 1})

    app.register(child)
    app.get("/root", schema={"response": response})(lambda r, p: {"a": "x", "b": 1})
    app.get("/route", schema={"response": response}, serializer_compiler=upper)(lambda r, p: ["y"])
    assert (await app.inject(method="GET", url="/child")).body == "{'A': 'X', 'B': 1}"
    assert (await app.inject(method="GET", url="/root")).json() == {"a": "x"}
    assert (await app.inject(method="GET", url="/route")).body == "['Y']"
    assert {(d["url"], d["http_part"], d["http_status"]) for d in definitions} == {
        ("/child", "response", "200"),
        ("/route", "response", "200"),
    }


async def test_compilers_set_in_a_child_do_not_reach_the_parent_or_siblings() -> None:
    app = Lesto()
    calls: list[tuple[str, str, str]] = []
    body = {"type": "object", "properties": {"n": {"type": "integer"}}}
    app.register(
        lambda instance, opts: instance.set_validator_compiler(counting_validator(calls, "c"))
    )

    def sibling(instance: Any, opts: Any) -> None:
        instance.post("/sibling", schema={"body": body})(lambda request, reply: request.body)

    app.register(sibling)
    response = await app.inject(method="POST", url="/sibling", payload={"n": "x"})
    assert message(response) == "body/n must be integer"
    assert calls == []
