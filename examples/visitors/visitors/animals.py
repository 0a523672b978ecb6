"""Fastify's Getting Started routes, on MongoDB: list animals, get one, add one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import lesto_mongodb
from lesto import Lesto, Reply, Request

from . import schemas

__all__ = ["AnimalNotFoundError", "animals"]


class AnimalNotFoundError(LookupError):
    """No animal of that name; answers 404."""

    status_code = 404
    code = "VISITORS_ANIMAL_NOT_FOUND"


async def animals(app: Lesto, opts: Mapping[str, Any]) -> None:
    """The animals plugin; needs ``app.mongo`` from its parent."""
    mongo: lesto_mongodb.Mongo = app.get_decorator("mongo")
    collection = mongo.db.animals

    async def list_animals(request: Request, reply: Reply) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await collection.find().sort("animal", 1).to_list(None)
        return found

    async def get_animal(request: Request, reply: Reply) -> dict[str, Any]:
        name: str = request.params["animal"]
        found: dict[str, Any] | None = await collection.find_one({"animal": name})
        if found is None:
            raise AnimalNotFoundError(f"no animal named {name!r}")
        return found

    async def add_animal(request: Request, reply: Reply) -> dict[str, Any]:
        result = await collection.insert_one({"animal": request.body["animal"]})
        reply.code(201)
        return {"id": result.inserted_id, "animal": request.body["animal"]}

    app.get("/animals", list_animals, schema=schemas.LIST_ANIMALS)
    app.get("/animals/:animal", get_animal, schema=schemas.GET_ANIMAL)
    app.post("/animals", add_animal, schema=schemas.ADD_ANIMAL)
