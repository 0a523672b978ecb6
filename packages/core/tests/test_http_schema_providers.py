"""Python types as route schema parts: pydantic models, msgspec Structs, TypedDicts, dataclasses."""

from __future__ import annotations

import dataclasses
from typing import Any, TypedDict

import msgspec
import pydantic
import pytest
from lesto import Lesto


class PydanticPet(pydantic.BaseModel):
    animal: str
    legs: int = 4


class StructPet(msgspec.Struct):
    animal: str
    legs: int = 4


class DictPet(TypedDict):
    animal: str
    legs: int


@dataclasses.dataclass
class DataclassPet:
    animal: str
    legs: int = 4


KINDS = [PydanticPet, StructPet, DictPet, DataclassPet]


def as_dict(value: Any) -> Any:
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump()
    if isinstance(value, dict):
        return value
    return msgspec.to_builtins(value)


def pet_app(kind: type) -> tuple[Lesto, list[Any]]:
    app = Lesto()
    received: list[Any] = []

    @app.post("/pets", schema={"body": kind, "response": {200: kind}})
    def create(request: Any, reply: Any) -> Any:
        received.append(request.body)
        return request.body

    @app.get("/pets", schema={"querystring": kind})
    def search(request: Any, reply: Any) -> Any:
        received.append(request.query)
        return as_dict(request.query)

    return app, received


def assert_validation_error(response: Any, message: str) -> None:
    assert response.status_code == 400, response.body
    assert response.json() == {
        "statusCode": 400,
        "code": "LST_ERR_VALIDATION",
        "error": "Bad Request",
        "message": message,
    }


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
async def test_body_is_parsed_into_the_model_and_serialised_back(kind: type) -> None:
    app, received = pet_app(kind)
    response = await app.inject(
        method="POST", url="/pets", payload={"animal": "cat", "legs": 4, "secret": "x"}
    )
    assert response.status_code == 200, response.body
    assert response.json() == {"animal": "cat", "legs": 4}
    expected_type = dict if kind is DictPet else kind
    assert type(received[0]) is expected_type
    assert as_dict(received[0]) == {"animal": "cat", "legs": 4}


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
async def test_invalid_body_is_a_validation_error_with_the_same_shape(kind: type) -> None:
    app, received = pet_app(kind)
    missing = await app.inject(method="POST", url="/pets", payload={"legs": 4})
    assert_validation_error(missing, "body must have required property 'animal'")
    wrong = await app.inject(method="POST", url="/pets", payload={"animal": "cat", "legs": "x"})
    assert_validation_error(wrong, "body/legs must be integer")
    assert received == []


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
async def test_query_strings_are_converted_to_the_declared_types(kind: type) -> None:
    app, _ = pet_app(kind)
    response = await app.inject(method="GET", url="/pets?animal=dog&legs=3")
    assert response.json() == {"animal": "dog", "legs": 3}
    assert_validation_error(
        await app.inject(method="GET", url="/pets?legs=3"),
        "querystring must have required property 'animal'",
    )
    assert_validation_error(
        await app.inject(method="GET", url="/pets?animal=dog&legs=many"),
        "querystring/legs must be integer",
    )


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
async def test_validation_details_and_attach_validation(kind: type) -> None:
    app = Lesto()

    @app.post("/", schema={"body": kind}, attach_validation=True)
    def handler(request: Any, reply: Any) -> Any:
        error = request.validation_error
        return {
            "code": error.code,
            "context": error.validation_context,
            "detail": {k: error.validation[0][k] for k in ("instance_path", "keyword", "params")},
        }

    response = await app.inject(method="POST", url="/", payload={"animal": "cat", "legs": []})
    assert response.json() == {
        "code": "LST_ERR_VALIDATION",
        "context": "body",
        "detail": {"instance_path": "/legs", "keyword": "type", "params": {"type": "integer"}},
    }


@pytest.mark.parametrize("kind", [PydanticPet, StructPet, DataclassPet], ids=lambda k: k.__name__)
async def test_response_model_filters_and_coerces_plain_values(kind: type) -> None:
    app = Lesto()
    app.get("/", schema={"response": {200: kind}})(
        lambda r, p: {"animal": "cat", "legs": "3", "owner_email": "x@y"}
    )
    response = await app.inject(method="GET", url="/")
    assert response.status_code == 200, response.body
    assert response.json() == {"animal": "cat", "legs": 3}


async def test_response_model_missing_field_is_a_serialization_error() -> None:
    for kind in (PydanticPet, StructPet):
        app = Lesto()
        app.get("/", schema={"response": {200: kind}})(lambda r, p: {"legs": 3})
        response = await app.inject(method="GET", url="/")
        assert response.status_code == 500
        assert response.json()["code"] == "LST_ERR_FAILED_SERIALIZATION"


async def test_schema_error_formatter_applies_to_providers() -> None:
    app = Lesto()
    app.set_schema_error_formatter(
        lambda details, part: f"{part}: " + "; ".join(d["keyword"] for d in details)
    )
    app.post("/", schema={"body": PydanticPet})(lambda r, p: "ok")
    response = await app.inject(method="POST", url="/", payload={"legs": "x"})
    assert_validation_error(response, "body: required; type")


async def test_models_and_json_schemas_mix_in_one_route() -> None:
    app = Lesto()
    params = {"type": "object", "properties": {"id": {"type": "integer"}}}

    @app.put("/pets/:id", schema={"params": params, "body": StructPet})
    def update(request: Any, reply: Any) -> Any:
        pet: StructPet = request.body
        return {"id": request.params["id"], "animal": pet.animal}

    response = await app.inject(method="PUT", url="/pets/7", payload={"animal": "cat"})
    assert response.json() == {"id": 7, "animal": "cat"}
