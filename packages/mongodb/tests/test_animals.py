"""The Getting Started guide's animals routes, on a database connector plugin, for both drivers."""

from __future__ import annotations

from typing import Any

import lesto_mongodb
from lesto import Lesto, plugin
from pymongo.results import InsertOneResult

ANIMAL_BODY = {
    "type": "object",
    "required": ["animal"],
    "properties": {"animal": {"type": "string"}},
}


@plugin
async def db_connector(app: Lesto, opts: dict[str, Any]) -> None:
    """Shares app.mongo with the whole application (the guide's our-db-connector)."""
    app.register(lesto_mongodb.plugin, url=opts["url"], driver=opts["driver"])


async def routes(app: Lesto, opts: dict[str, Any]) -> None:
    """The guide's our-first-route, as an encapsulated plugin."""
    collection = app.mongo.db.test_collection

    @app.get("/")
    async def index(request: Any, reply: Any) -> dict[str, str]:
        return {"hello": "world"}

    @app.get("/animals")
    async def list_animals(request: Any, reply: Any) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = await collection.find().to_list(None)
        if not result:
            raise LookupError("No documents found")
        return result

    @app.get("/animals/:animal")
    async def get_animal(request: Any, reply: Any) -> dict[str, Any]:
        result: dict[str, Any] | None = await collection.find_one(
            {"animal": request.params["animal"]}
        )
        if result is None:
            raise LookupError("Invalid value")
        return result

    @app.post("/animals", schema={"body": ANIMAL_BODY})
    async def add_animal(request: Any, reply: Any) -> dict[str, Any]:
        result: InsertOneResult = await collection.insert_one({"animal": request.body["animal"]})
        return {"acknowledged": result.acknowledged, "insertedId": result.inserted_id}


def build(url: str, driver: str) -> Lesto:
    app = Lesto()
    app.register(db_connector, url=url, driver=driver)
    app.register(routes)
    return app


async def test_animals(mongodb_url: str, driver: str) -> None:
    app = build(mongodb_url, driver)
    try:
        assert (await app.inject(method="GET", url="/")).json() == {"hello": "world"}
        assert (await app.inject(method="GET", url="/animals")).status_code == 500

        created = await app.inject(method="POST", url="/animals", payload={"animal": "dog"})
        assert created.status_code == 200
        body = created.json()
        assert body["acknowledged"] is True
        assert lesto_mongodb.ObjectId.is_valid(body["insertedId"])
        await app.inject(method="POST", url="/animals", payload={"animal": "cat"})

        listed = await app.inject(method="GET", url="/animals")
        assert listed.status_code == 200
        assert [doc["animal"] for doc in listed.json()] == ["dog", "cat"]
        assert listed.json()[0]["_id"] == body["insertedId"]

        one = await app.inject(method="GET", url="/animals/cat")
        assert one.status_code == 200
        assert one.json()["animal"] == "cat"
        assert (await app.inject(method="GET", url="/animals/cow")).status_code == 500
    finally:
        await app.close()


async def test_animal_body_is_validated(mongodb_url: str, driver: str) -> None:
    app = build(mongodb_url, driver)
    try:
        refused = await app.inject(method="POST", url="/animals", payload={"name": "dog"})
        assert refused.status_code == 400
        assert refused.json()["code"] == "LST_ERR_VALIDATION"
        assert await app.mongo.db.test_collection.count_documents({}) == 0
    finally:
        await app.close()
