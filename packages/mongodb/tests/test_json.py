"""BSON values in replies: documents straight from the database become JSON with no extra code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import lesto_mongodb
from bson import Decimal128, ObjectId
from bson.datetime_ms import DatetimeMS
from bson.son import SON
from lesto import Lesto
from lesto_mongodb import bson_to_json

WHEN = datetime(2024, 5, 1, 12, 30, 0, 250000)


def test_object_ids_and_decimals_become_strings() -> None:
    oid = ObjectId()
    converted = bson_to_json({"_id": oid, "price": Decimal128("1.50"), "tags": (oid,)})
    assert converted == {"_id": str(oid), "price": "1.50", "tags": [str(oid)]}


def test_datetimes_become_utc_iso_strings() -> None:
    two_hours_east = timezone(timedelta(hours=2))
    assert bson_to_json(WHEN) == "2024-05-01T12:30:00.250Z"  # naive: UTC, as BSON stores it
    assert bson_to_json(WHEN.replace(tzinfo=UTC)) == "2024-05-01T12:30:00.250Z"
    assert bson_to_json(datetime(2024, 5, 1, 14, 30, tzinfo=two_hours_east)) == (
        "2024-05-01T12:30:00.000Z"
    )
    assert bson_to_json(WHEN.replace(microsecond=250001)) == "2024-05-01T12:30:00.250001Z"


def test_datetime_ms_values() -> None:
    assert bson_to_json(DatetimeMS(WHEN.replace(tzinfo=UTC))) == "2024-05-01T12:30:00.250Z"
    far_future = DatetimeMS(2**62)
    assert bson_to_json(far_future) == 2**62


def test_unchanged_payloads_are_returned_as_they_are() -> None:
    payload = {"rows": [{"name": "Ada", "n": 1, "ok": True, "none": None}], "total": 1.5}
    assert bson_to_json(payload) is payload


def test_subclasses_of_containers_and_values() -> None:
    oid = ObjectId()
    converted = bson_to_json(SON([("_id", oid), ("b", 1)]))
    assert converted == {"_id": str(oid), "b": 1}
    assert list(converted) == ["_id", "b"]


async def test_documents_in_replies(mongodb_url: str, driver: str) -> None:
    app = Lesto()
    app.register(lesto_mongodb.plugin, url=mongodb_url, driver=driver)

    @app.get("/doc")
    async def doc(request: Any, reply: Any) -> Any:
        return await request.server.mongo.db.things.find_one({}, {"_id": 1, "at": 1, "nested": 1})

    @app.get(
        "/typed",
        schema={
            "response": {
                200: {
                    "type": "object",
                    "properties": {"_id": {"type": "string"}, "at": {"type": "string"}},
                }
            }
        },
    )
    async def typed(request: Any, reply: Any) -> Any:
        return await request.server.mongo.db.things.find_one()

    try:
        await app.ready()
        oid = ObjectId()
        await app.mongo.db.things.insert_one(
            {"_id": oid, "at": WHEN, "nested": [{"ref": oid, "price": Decimal128("2.5")}]}
        )
        plain = await app.inject(method="GET", url="/doc")
        assert plain.status_code == 200
        assert plain.json() == {
            "_id": str(oid),
            "at": "2024-05-01T12:30:00.250Z",
            "nested": [{"ref": str(oid), "price": "2.5"}],
        }
        typed_reply = await app.inject(method="GET", url="/typed")
        assert typed_reply.json() == {"_id": str(oid), "at": "2024-05-01T12:30:00.250Z"}
    finally:
        await app.close()


async def test_only_contexts_that_see_the_plugin_convert(mongodb_url: str) -> None:
    app = Lesto()
    oid = ObjectId()

    async def without_mongo(child: Lesto, opts: dict[str, Any]) -> None:
        child.get("/elsewhere", lambda request, reply: {"id": oid})

    async def with_mongo(child: Lesto, opts: dict[str, Any]) -> None:
        child.register(lesto_mongodb.plugin, url=mongodb_url)
        child.get("/here", lambda request, reply: {"id": oid})

    app.register(without_mongo)
    app.register(with_mongo)
    try:
        assert (await app.inject(method="GET", url="/here")).json() == {"id": str(oid)}
        assert (await app.inject(method="GET", url="/elsewhere")).status_code == 500
        assert not app.has_decorator("mongo")
    finally:
        await app.close()
