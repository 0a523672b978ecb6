"""Route schemas validating requests through real requests: coercion, defaults, errors."""

from __future__ import annotations

from typing import Any

import pytest
from lesto import Lesto, errors

QUERY = {
    "type": "object",
    "properties": {
        "n": {"type": "number"},
        "i": {"type": "integer"},
        "b": {"type": "boolean"},
        "s": {"type": "string"},
        "nullable": {"type": ["integer", "null"]},
        "tags": {"type": "array", "items": {"type": "integer"}},
        "words": {"type": "array", "items": {"type": "string"}},
    },
}


def echo_query(request: Any, reply: Any) -> Any:
    return {"query": request.query}


async def get_query(url: str, schema: dict[str, Any] = QUERY, **app_options: Any) -> Any:
    app = Lesto(**app_options)
    app.get("/", schema={"querystring": schema})(echo_query)
    return await app.inject(method="GET", url=url)


def assert_validation_error(response: Any, message: str) -> None:
    assert response.status_code == 400
    assert response.json() == {
        "statusCode": 400,
        "code": "LST_ERR_VALIDATION",
        "error": "Bad Request",
        "message": message,
    }


# --- coercion (Ajv's coerceTypes: "array") ---------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/?i=1e3", {"i": 1000}),
        ("/?n=1e3", {"n": 1000}),
        ("/?n=1.5", {"n": 1.5}),
        ("/?n=-2", {"n": -2}),
        ("/?i=+7", {"i": 7}),
        ("/?b=true", {"b": True}),
        ("/?b=false", {"b": False}),
        ("/?s=12", {"s": "12"}),
        ("/?s=", {"s": ""}),
        ("/?nullable=", {"nullable": None}),
        ("/?nullable=3", {"nullable": 3}),
        ("/?tags=1", {"tags": [1]}),
        ("/?tags=1&tags=2&tags=3", {"tags": [1, 2, 3]}),
        ("/?words=a", {"words": ["a"]}),
        ("/?words=a&words=b", {"words": ["a", "b"]}),
    ],
)
async def test_query_values_are_coerced_to_declared_types(url: str, expected: Any) -> None:
    response = await get_query(url)
    assert response.status_code == 200, response.body
    assert response.json() == {"query": expected}


async def test_coerced_values_have_python_types_in_the_handler() -> None:
    app = Lesto()
    seen: dict[str, Any] = {}

    @app.get("/", schema={"querystring": QUERY})
    def handler(request: Any, reply: Any) -> Any:
        seen.update(request.query)
        return None

    response = await app.inject(method="GET", url="/?i=1e3&n=2.5&b=true&tags=4")
    assert response.status_code == 200
    assert seen == {"i": 1000, "n": 2.5, "b": True, "tags": [4]}
    assert type(seen["i"]) is int
    assert type(seen["n"]) is float


@pytest.mark.parametrize(
    ("url", "message"),
    [
        # Ajv's table: only "true"/"false" are booleans; "1"/"0" are not.
        ("/?b=1", "querystring/b must be boolean"),
        ("/?b=0", "querystring/b must be boolean"),
        ("/?b=yes", "querystring/b must be boolean"),
        # "" is not a number (it would be null).
        ("/?i=", "querystring/i must be integer"),
        ("/?n=", "querystring/n must be number"),
        ("/?i=1.5", "querystring/i must be integer"),
        ("/?i=abc", "querystring/i must be integer"),
        ("/?n=1e3x", "querystring/n must be number"),
        # a repeated key is an array, which a scalar cannot take
        ("/?i=1&i=2", "querystring/i must be integer"),
        ("/?tags=1&tags=x", "querystring/tags/1 must be integer"),
    ],
)
async def test_values_that_do_not_coerce_fail(url: str, message: str) -> None:
    assert_validation_error(await get_query(url), message)


async def test_path_params_are_coerced() -> None:
    app = Lesto()
    schema = {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "flag": {"type": "boolean"}},
    }

    @app.get("/items/:id/:flag", schema={"params": schema})
    def handler(request: Any, reply: Any) -> Any:
        return {"id": request.params["id"], "flag": request.params["flag"], "t": "ok"}

    ok = await app.inject(method="GET", url="/items/1e3/false")
    assert ok.json() == {"id": 1000, "flag": False, "t": "ok"}
    bad = await app.inject(method="GET", url="/items/abc/true")
    assert_validation_error(bad, "params/id must be integer")


async def test_headers_are_validated_case_insensitively_and_coerced() -> None:
    app = Lesto()
    schema = {
        "type": "object",
        "properties": {"X-Count": {"type": "integer", "maximum": 10}},
        "required": ["X-Count"],
    }

    @app.get("/", schema={"headers": schema})
    def handler(request: Any, reply: Any) -> Any:
        return {"count": request.headers["x-count"]}

    ok = await app.inject(method="GET", url="/", headers={"X-COUNT": "1e1"})
    assert ok.status_code == 200
    # request.headers is the read-only mapping of received text: it stays a string
    assert ok.json() == {"count": "1e1"}
    assert_validation_error(
        await app.inject(method="GET", url="/"), "headers must have required property 'x-count'"
    )
    assert_validation_error(
        await app.inject(method="GET", url="/", headers={"x-count": "11"}),
        "headers/x-count must be <= 10",
    )
    assert_validation_error(
        await app.inject(method="GET", url="/", headers={"x-count": "many"}),
        "headers/x-count must be integer",
    )


async def test_body_is_coerced_too() -> None:
    # Fastify uses one Ajv instance (coerceTypes: "array") for every part.
    app = Lesto()
    schema = {"type": "object", "properties": {"n": {"type": "integer"}, "s": {"type": "string"}}}
    app.post("/", schema={"body": schema})(lambda request, reply: request.body)
    response = await app.inject(method="POST", url="/", payload={"n": "5", "s": 5})
    assert response.json() == {"n": 5, "s": "5"}


# --- defaults, removeAdditional, all_errors -----------------------------------------------------


async def test_defaults_are_applied_to_every_part() -> None:
    app = Lesto()
    query = {
        "type": "object",
        "properties": {
            "limit": {"type": "integer", "default": 10},
            "sort": {"type": "array", "items": {"type": "string"}, "default": ["id"]},
        },
    }
    body = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "meta": {
                "type": "object",
                "default": {},
                "properties": {"tags": {"type": "array", "default": []}},
            },
        },
    }

    @app.post("/", schema={"querystring": query, "body": body})
    def handler(request: Any, reply: Any) -> Any:
        request.query["sort"].append("mutated")  # each request gets its own copy
        return {"query": request.query, "body": request.body}

    first = await app.inject(method="POST", url="/", payload={"name": "x"})
    assert first.json() == {
        "query": {"limit": 10, "sort": ["id", "mutated"]},
        "body": {"name": "x", "meta": {"tags": []}},
    }
    second = await app.inject(method="POST", url="/?limit=3", payload={"name": "y"})
    assert second.json()["query"] == {"limit": 3, "sort": ["id", "mutated"]}


async def test_additional_properties_false_removes_them_instead_of_failing() -> None:
    app = Lesto()
    body = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string"},
            "address": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"city": {"type": "string"}},
            },
            "open": {"type": "object", "properties": {"a": {"type": "integer"}}},
        },
    }
    app.post("/", schema={"body": body})(lambda request, reply: request.body)
    response = await app.inject(
        method="POST",
        url="/",
        payload={
            "name": "n",
            "admin": True,
            "address": {"city": "Rome", "zip": "00100"},
            "open": {"a": 1, "kept": True},
        },
    )
    assert response.status_code == 200
    assert response.json() == {
        "name": "n",
        "address": {"city": "Rome"},
        "open": {"a": 1, "kept": True},
    }


async def test_query_additional_properties_false_drops_unknown_keys() -> None:
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"page": {"type": "integer"}},
    }
    response = await get_query("/?page=2&debug=1", schema)
    assert response.json() == {"query": {"page": 2}}


BODY = {
    "type": "object",
    "required": ["animal", "legs"],
    "properties": {
        "animal": {"type": "string"},
        "legs": {"type": "integer"},
        "n": {"type": "integer"},
    },
}


async def test_first_error_only_by_default() -> None:
    app = Lesto()
    app.post("/", schema={"body": BODY})(lambda request, reply: request.body)
    response = await app.inject(method="POST", url="/", payload={"n": "x"})
    assert_validation_error(response, "body must have required property 'animal'")


async def test_all_errors_option_reports_every_failure() -> None:
    app = Lesto(all_errors=True)
    app.post("/", schema={"body": BODY})(lambda request, reply: request.body)
    response = await app.inject(method="POST", url="/", payload={"n": "x"})
    assert_validation_error(
        response,
        "body must have required property 'animal', body must have required property 'legs', "
        "body/n must be integer",
    )


# --- the 400 error --------------------------------------------------------------------------


async def test_fastify_style_messages_for_each_part() -> None:
    app = Lesto()
    query = {"type": "object", "properties": {"limit": {"type": "integer"}}}
    body = {
        "type": "object",
        "required": ["animal"],
        "properties": {"animal": {"type": "string", "enum": ["cat", "dog"]}},
    }
    app.post("/", schema={"querystring": query, "body": body})(lambda r, p: "ok")
    assert_validation_error(
        await app.inject(method="POST", url="/", payload={}),
        "body must have required property 'animal'",
    )
    assert_validation_error(
        await app.inject(method="POST", url="/?limit=ten", payload={"animal": "cat"}),
        "querystring/limit must be integer",
    )
    assert_validation_error(
        await app.inject(method="POST", url="/", payload={"animal": "cow"}),
        "body/animal must be equal to one of the allowed values",
    )


async def test_a_missing_body_fails_an_object_schema() -> None:
    app = Lesto()
    app.post("/", schema={"body": BODY})(lambda r, p: "ok")
    assert_validation_error(await app.inject(method="POST", url="/"), "body must be object")


async def test_params_are_validated_before_body_then_query_then_headers() -> None:
    app = Lesto(all_errors=True)
    integer = {"type": "object", "properties": {"v": {"type": "integer"}}}
    schema = {"params": integer, "body": integer, "querystring": integer, "headers": integer}
    app.post("/:v", schema=schema)(lambda r, p: "ok")
    body = await app.inject(method="POST", url="/1?v=x", payload={"v": "x"}, headers={"v": "x"})
    assert body.json()["message"] == "body/v must be integer"
    query = await app.inject(method="POST", url="/1?v=x", payload={"v": 1}, headers={"v": "x"})
    assert query.json()["message"] == "querystring/v must be integer"
    headers = await app.inject(method="POST", url="/1?v=1", payload={"v": 1}, headers={"v": "x"})
    assert headers.json()["message"] == "headers/v must be integer"
    params = await app.inject(method="POST", url="/x?v=x", payload={"v": "x"})
    assert params.json()["message"] == "params/v must be integer"


async def test_the_error_carries_details_and_context() -> None:
    app = Lesto()
    caught: list[Exception] = []

    def on_error(error: Exception, request: Any, reply: Any) -> Any:
        caught.append(error)
        reply.code(422)
        return {
            "context": error.validation_context,  # type: ignore[attr-defined]
            "details": error.validation,  # type: ignore[attr-defined]
        }

    app.set_error_handler(on_error)
    query = {"type": "object", "properties": {"limit": {"type": "integer", "maximum": 5}}}
    app.get("/", schema={"querystring": query})(lambda r, p: "ok")
    response = await app.inject(method="GET", url="/?limit=9")
    assert response.status_code == 422
    assert response.json() == {
        "context": "querystring",
        "details": [
            {
                "instance_path": "/limit",
                "schema_path": "#/properties/limit/maximum",
                "keyword": "maximum",
                "params": {"comparison": "<=", "limit": 5},
                "message": "must be <= 5",
            }
        ],
    }
    assert isinstance(caught[0], errors.LST_ERR_VALIDATION)


async def test_attach_validation_keeps_the_error_and_runs_the_handler() -> None:
    app = Lesto()
    query = {"type": "object", "properties": {"limit": {"type": "integer"}}}

    @app.get("/", schema={"querystring": query}, attach_validation=True)
    def handler(request: Any, reply: Any) -> Any:
        error = request.validation_error
        if error is None:
            return {"ok": request.query}
        return {
            "code": error.code,
            "message": error.message,
            "context": error.validation_context,
            "keyword": error.validation[0]["keyword"],
        }

    failed = await app.inject(method="GET", url="/?limit=x")
    assert failed.status_code == 200
    assert failed.json() == {
        "code": "LST_ERR_VALIDATION",
        "message": "querystring/limit must be integer",
        "context": "querystring",
        "keyword": "type",
    }
    passed = await app.inject(method="GET", url="/?limit=2")
    assert passed.json() == {"ok": {"limit": 2}}


# --- set_schema_error_formatter ---------------------------------------------------------------


async def test_schema_error_formatter_is_encapsulated() -> None:
    app = Lesto()
    schema = {"body": BODY}
    seen: list[tuple[str, int]] = []

    def formatter(details: Any, part: str) -> str:
        seen.append((part, len(details)))
        return f"child could not read the {part}"

    def child(instance: Any, opts: Any) -> None:
        instance.set_schema_error_formatter(formatter)
        instance.post("/child", schema=schema)(lambda r, p: "ok")

        def grandchild(inner: Any, opts: Any) -> None:
            inner.post("/grandchild", schema=schema)(lambda r, p: "ok")

        instance.register(grandchild)

    def sibling(instance: Any, opts: Any) -> None:
        instance.post("/sibling", schema=schema)(lambda r, p: "ok")

    app.register(child)
    app.register(sibling)
    app.post("/root", schema=schema)(lambda r, p: "ok")
    for url in ("/child", "/grandchild"):
        response = await app.inject(method="POST", url=url, payload={})
        assert_validation_error(response, "child could not read the body")
    for url in ("/sibling", "/root"):
        response = await app.inject(method="POST", url=url, payload={})
        assert_validation_error(response, "body must have required property 'animal'")
    assert seen == [("body", 1), ("body", 1)]


async def test_route_schema_error_formatter_wins_over_the_context() -> None:
    app = Lesto()
    app.set_schema_error_formatter(lambda details, part: "context formatter")
    app.post("/", schema={"body": BODY}, schema_error_formatter=lambda d, p: "route formatter")(
        lambda r, p: "ok"
    )
    assert_validation_error(await app.inject(method="POST", url="/", payload={}), "route formatter")


async def test_a_formatter_may_return_an_exception_like_fastify() -> None:
    class UnprocessableError(Exception):
        status_code = 422
        code = "APP_BAD_INPUT"

    app = Lesto()
    app.set_schema_error_formatter(lambda details, part: UnprocessableError(f"{part} is wrong"))
    app.post("/", schema={"body": BODY})(lambda r, p: "ok")
    plain = Lesto()
    plain.set_schema_error_formatter(lambda details, part: ValueError(f"{part} is wrong"))
    plain.post("/", schema={"body": BODY})(lambda r, p: "ok")

    response = await app.inject(method="POST", url="/", payload={})
    assert response.status_code == 422
    assert response.json()["code"] == "APP_BAD_INPUT"
    assert response.json()["message"] == "body is wrong"
    response = await plain.inject(method="POST", url="/", payload={})
    assert response.status_code == 400
    assert response.json()["code"] == "LST_ERR_VALIDATION"
    assert response.json()["message"] == "body is wrong"


# --- the schema option, checked when the route is added ------------------------------------


async def test_query_is_an_alias_of_querystring() -> None:
    app = Lesto()
    query = {"type": "object", "properties": {"n": {"type": "integer"}}}
    app.get("/", schema={"query": query})(echo_query)
    assert (await app.inject(method="GET", url="/?n=3")).json() == {"query": {"n": 3}}
    assert_validation_error(
        await app.inject(method="GET", url="/?n=x"), "querystring/n must be integer"
    )


def test_query_and_querystring_together_fail_with_duplicate() -> None:
    app = Lesto()
    obj = {"type": "object"}
    with pytest.raises(errors.LST_ERR_SCH_DUPLICATE) as info:
        app.get("/", schema={"query": obj, "querystring": obj})(echo_query)
    assert info.value.code == "LST_ERR_SCH_DUPLICATE"


@pytest.mark.parametrize("part", ["body", "querystring", "query", "params", "headers"])
def test_shorthand_schema_fails_when_the_route_is_added(part: str) -> None:
    # The v4 shorthand (properties at the top level) is gone in Fastify v5.
    app = Lesto()
    with pytest.raises(errors.LST_ERR_SCH_INVALID) as info:
        app.post("/things", schema={part: {"name": {"type": "string"}}})(echo_query)
    text = str(info.value)
    assert "POST /things" in text
    assert ("querystring" if part == "query" else part) in text


@pytest.mark.parametrize(
    "bad", [{"type": "text"}, {"type": ["string", 1]}, "string", 42, ["object"]]
)
def test_invalid_schema_fails_when_the_route_is_added(bad: Any) -> None:
    app = Lesto()
    with pytest.raises(errors.LST_ERR_SCH_INVALID, match="body schema for route PUT /x"):
        app.put("/x", schema={"body": bad})(echo_query)


def test_invalid_response_schema_names_the_status() -> None:
    app = Lesto()
    with pytest.raises(errors.LST_ERR_SCH_INVALID, match=r"response\[200\].*GET /x"):
        app.get("/x", schema={"response": {200: {"id": {"type": "string"}}}})(echo_query)


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_body_schema_on_a_method_without_body_is_refused(method: str) -> None:
    app = Lesto()
    with pytest.raises(errors.LST_ERR_ROUTE_BODY_VALIDATION_SCHEMA_NOT_SUPPORTED) as info:
        app.route(method=method, url="/", schema={"body": {"type": "object"}}, handler=echo_query)
    assert method in str(info.value)


async def test_seed_v5_migration_example() -> None:
    """The v5 migration guide's full-schema querystring, with ``required``."""
    app = Lesto()
    schema = {
        "querystring": {
            "type": "object",
            "properties": {"name": {"type": "string"}},
            "required": ["name"],
        }
    }

    @app.get("/route", schema=schema)
    def route(request: Any, reply: Any) -> Any:
        return {"hello": request.query["name"]}

    assert (await app.inject(method="GET", url="/route?name=lesto")).json() == {"hello": "lesto"}
    assert_validation_error(
        await app.inject(method="GET", url="/route"),
        "querystring must have required property 'name'",
    )


async def test_seed_fluent_schema_example() -> None:
    """Fluent Schema's "basic settings" route, written as plain JSON Schema."""
    keys = {"KEY1": "ONE", "KEY2": "TWO"}
    body = {
        "type": "object",
        "properties": {
            "someKey": {"type": "string"},
            "someOtherKey": {"type": "number"},
            "requiredKey": {"type": "array", "maxItems": 3, "items": {"type": "integer"}},
            "nullableKey": {"type": ["number", "null"]},
            "multipleTypesKey": {"type": ["boolean", "number"]},
            "multipleRestrictedTypesKey": {
                "oneOf": [{"type": "string", "maxLength": 5}, {"type": "number", "minimum": 10}]
            },
            "enumKey": {"enum": list(keys.values())},
            "notTypeKey": {"not": {"type": "array"}},
        },
        "required": ["requiredKey"],
    }
    schema = {
        "body": body,
        "querystring": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "excitement": {"type": "integer"}},
        },
        "params": {
            "type": "object",
            "properties": {"par1": {"type": "string"}, "par2": {"type": "integer"}},
        },
        "headers": {
            "type": "object",
            "properties": {"x-foo": {"type": "string"}},
            "required": ["x-foo"],
        },
    }
    app = Lesto()

    @app.post("/the/:par1/:par2", schema=schema)
    def handler(request: Any, reply: Any) -> Any:
        return {"body": request.body, "query": request.query, "params": request.params}

    good = {
        "someKey": "k",
        "requiredKey": ["1", 2],
        "nullableKey": None,
        "multipleTypesKey": 3,
        # Coercion applies inside oneOf and not, as in Ajv: a number also passes
        # the string branch, and a scalar would be wrapped into an array by the
        # not branch (so only an object passes `not: {type: array}` here).
        "multipleRestrictedTypesKey": "abc",
        "enumKey": "TWO",
        "notTypeKey": {"any": "object"},
    }
    response = await app.inject(
        method="POST", url="/the/a/2?excitement=9", payload=good, headers={"x-foo": "bar"}
    )
    assert response.status_code == 200, response.body
    assert response.json() == {
        "body": {**good, "requiredKey": [1, 2]},
        "query": {"excitement": 9},
        "params": {"par1": "a", "par2": 2},
    }
    failures = [
        ({**good, "requiredKey": [1, 2, 3, 4]}, "body/requiredKey must NOT have more than 3 items"),
        ({**good, "enumKey": "THREE"}, "body/enumKey must be equal to one of the allowed values"),
        ({**good, "notTypeKey": []}, "body/notTypeKey must NOT be valid"),
        (
            {**good, "multipleRestrictedTypesKey": "abcdef"},
            # as in Ajv, the failed branches' errors come before the oneOf one
            "body/multipleRestrictedTypesKey must NOT have more than 5 characters, "
            "body/multipleRestrictedTypesKey must be number, "
            "body/multipleRestrictedTypesKey must match exactly one schema in oneOf",
        ),
    ]
    for payload, message in failures:
        response = await app.inject(
            method="POST", url="/the/a/2", payload=payload, headers={"x-foo": "bar"}
        )
        assert_validation_error(response, message)
    missing = await app.inject(method="POST", url="/the/a/2", payload=good)
    assert_validation_error(missing, "headers must have required property 'x-foo'")


# --- custom validators ---------------------------------------------------------------------


async def test_a_custom_validator_that_raises_gives_the_same_400_shape() -> None:
    app = Lesto()

    def compiler(definition: Any) -> Any:
        def validate(data: Any) -> Any:
            if "name" not in data:
                raise ValueError("name is missing")
            return data

        return validate

    app.set_validator_compiler(compiler)
    app.post("/", schema={"body": {"type": "object"}})(lambda r, p: r.body)
    response = await app.inject(method="POST", url="/", payload={})
    assert_validation_error(response, "body name is missing")
    assert (await app.inject(method="POST", url="/", payload={"name": 1})).json() == {"name": 1}


# --- querystring_parser and max_param_length ---------------------------------------------------


async def test_querystring_parser_option_replaces_the_parser_and_is_validated() -> None:
    def semicolons(text: str) -> dict[str, str]:
        return dict(pair.split("=", 1) for pair in text.split(";") if pair)

    query = {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}}
    response = await get_query("/?a=1;b=x", query, querystring_parser=semicolons)
    assert response.json() == {"query": {"a": 1, "b": "x"}}
    response = await get_query("/?a=z;b=x", query, querystring_parser=semicolons)
    assert_validation_error(response, "querystring/a must be integer")
    response = await get_query("/", query, querystring_parser=semicolons)
    assert response.json() == {"query": {}}


async def test_max_param_length_limits_path_params_not_query_values() -> None:
    app = Lesto(max_param_length=5)
    app.get("/items/:id", schema={"params": {"type": "object"}})(
        lambda request, reply: request.params
    )
    app.get("/search")(echo_query)
    assert (await app.inject(method="GET", url="/items/12345")).json() == {"id": "12345"}
    too_long = await app.inject(method="GET", url="/items/123456")
    assert too_long.status_code == 404
    assert too_long.json()["code"] == "LST_ERR_NOT_FOUND"
    query = await app.inject(method="GET", url="/search?q=" + "x" * 50)
    assert query.json() == {"query": {"q": "x" * 50}}


async def test_a_query_string_error_is_not_turned_into_a_validation_error() -> None:
    app = Lesto()
    app.set_validator_compiler(lambda definition: lambda data: data)
    app.get("/", schema={"querystring": {"type": "object"}})(echo_query)
    response = await app.inject(method="GET", url="/?" + "&".join(f"k{i}=1" for i in range(1001)))
    assert response.status_code == 414
    assert response.json()["code"] == "LST_ERR_QUERYSTRING_TOO_LARGE"


# --- one validated part (its own shorter step) against several ------------------------------

_NUMBER = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
_BAD_PART = {
    "params": {"url": "/v/x"},
    "querystring": {"url": "/v/1?n=x"},
    "body": {"url": "/v/1", "payload": {"n": "x"}},
}


def _route_schema(part: str, with_other: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {part: _NUMBER}
    if part == "params":
        schema[part] = {"type": "object", "properties": {"n": {"type": "integer"}}}
    if with_other:  # a second part that always passes
        schema["headers"] = {"type": "object"}
    return schema


@pytest.mark.parametrize("part", ["params", "querystring", "body"])
@pytest.mark.parametrize("compiler", ["default", "custom", "formatter"])
async def test_one_validated_part_answers_as_several_do(part: str, compiler: str) -> None:
    answers = []
    for with_other in (False, True):
        app = Lesto()
        if compiler == "custom":

            def reject(definition: Any) -> Any:
                def validate(data: Any) -> Any:
                    if definition["http_part"] == part:
                        raise ValueError("no thanks")
                    return data

                return validate

            app.set_validator_compiler(reject)
        if compiler == "formatter":
            app.set_schema_error_formatter(lambda details, context: f"{context}: formatted")
        app.post("/v/:n", schema=_route_schema(part, with_other))(lambda r, p: "ok")
        response = await app.inject(method="POST", **_BAD_PART[part])
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1]
    status, body = answers[0]
    assert status == 400
    expected = {
        "default": f"{part}/n must be integer",
        "custom": f"{part} no thanks",
        "formatter": f"{part}: formatted",
    }[compiler]
    assert body["message"] == expected


@pytest.mark.parametrize("part", ["params", "querystring", "body"])
async def test_one_validated_part_attaches_its_error(part: str) -> None:
    app = Lesto()

    @app.post("/v/:n", schema=_route_schema(part, False), attach_validation=True)
    def handler(request: Any, reply: Any) -> Any:
        error = request.validation_error
        return {"context": error.validation_context, "message": error.message}

    response = await app.inject(method="POST", **_BAD_PART[part])
    assert response.json() == {"context": part, "message": f"{part}/n must be integer"}
