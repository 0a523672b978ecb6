"""The seed article's visitors API: PUT upsert with $set/$push/$setOnInsert, GET with pagination."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import lesto_mongodb
from lesto import Lesto

USER_BODY = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"name": {"type": "string", "maxLength": 50}},
}
SEARCH_QUERY = {
    "type": "object",
    "properties": {
        "offset": {"type": "integer", "minimum": 0, "default": 0},
        "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
    },
}
SEARCH_RESPONSE = {
    "type": "object",
    "properties": {
        "total": {"type": "integer"},
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "created": {"type": "string", "format": "date-time"},
                    "visits": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


async def api(app: Lesto, opts: dict[str, Any]) -> None:
    """The visitors API context."""
    users = app.mongo.db.Users

    @app.put("/users/:userId", schema={"body": USER_BODY})
    async def create_user(request: Any, reply: Any) -> dict[str, str]:
        user_id = request.params["userId"]
        now = datetime.now(UTC)
        await users.update_one(
            {"id": user_id},
            {"$set": request.body, "$push": {"visits": now}, "$setOnInsert": {"created": now}},
            upsert=True,
        )
        return {"userId": user_id}

    @app.get("/users", schema={"querystring": SEARCH_QUERY, "response": {200: SEARCH_RESPONSE}})
    async def search_users(request: Any, reply: Any) -> dict[str, Any]:
        offset, limit = request.query["offset"], request.query["limit"]
        rows = (
            await users.find({}, {"_id": 0, "visits": {"$slice": -1}})
            .sort("created", 1)
            .skip(offset)
            .limit(limit)
            .to_list(None)
        )
        return {"rows": rows, "total": await users.count_documents({})}


def build(url: str, driver: str) -> Lesto:
    app = Lesto()
    app.register(lesto_mongodb.plugin, url=url, driver=driver)
    app.register(api, prefix="/api")
    return app


async def put_user(app: Lesto, user_id: str, name: str) -> Any:
    return await app.inject(method="PUT", url=f"/api/users/{user_id}", payload={"name": name})


async def test_put_upserts_and_tracks_visits(mongodb_url: str, driver: str) -> None:
    app = build(mongodb_url, driver)
    try:
        first = await put_user(app, "u1", "Ada")
        assert first.status_code == 200
        assert first.json() == {"userId": "u1"}
        stored = await app.mongo.db.Users.find_one({"id": "u1"})
        await put_user(app, "u1", "Ada Lovelace")

        again = await app.mongo.db.Users.find_one({"id": "u1"})
        assert again["name"] == "Ada Lovelace"  # $set
        assert len(again["visits"]) == 2  # $push
        assert again["created"] == stored["created"]  # $setOnInsert: only on insert
        assert await app.mongo.db.Users.count_documents({}) == 1

        refused = await app.inject(method="PUT", url="/api/users/u2", payload={"name": "x" * 51})
        assert refused.status_code == 400
    finally:
        await app.close()


async def test_get_paginates_with_total(mongodb_url: str, driver: str) -> None:
    app = build(mongodb_url, driver)
    try:
        for user_id, name in (("u1", "Ada"), ("u2", "Grace"), ("u3", "Edsger"), ("u1", "Ada")):
            await put_user(app, user_id, name)

        everything = (await app.inject(method="GET", url="/api/users")).json()
        assert everything["total"] == 3
        assert [row["id"] for row in everything["rows"]] == ["u1", "u2", "u3"]
        first = everything["rows"][0]
        assert set(first) == {"id", "name", "created", "visits"}  # no _id: projected out
        assert len(first["visits"]) == 1  # $slice: -1 keeps the last visit
        assert first["created"].endswith("+00:00")  # tz_aware client: UTC with its offset
        assert datetime.fromisoformat(first["visits"][0]) >= datetime.fromisoformat(
            first["created"]
        )

        page = await app.inject(method="GET", url="/api/users?offset=1&limit=1")
        assert page.status_code == 200
        assert page.json()["total"] == 3
        assert [row["id"] for row in page.json()["rows"]] == ["u2"]

        bad = await app.inject(method="GET", url="/api/users?limit=0")
        assert bad.status_code == 400
    finally:
        await app.close()
