"""BSON values in replies: documents straight from the database become JSON with no extra code."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import lesto_mongodb
import orjson
from bson import Decimal128, ObjectId
from bson.binary import Binary
from bson.datetime_ms import DatetimeMS
from bson.dbref import DBRef
from bson.max_key import MaxKey
from bson.min_key import MinKey
from bson.regex import Regex
from bson.timestamp import Timestamp
from lesto import Lesto, register_json_encoder
from lesto.schema.encoders import encode_registered
from lesto_mongodb._json import ENCODERS, register_encoders

WHEN = datetime(2024, 5, 1, 12, 30, 0, 250000, tzinfo=UTC)
WHEN_JSON = "2024-05-01T12:30:00.250000+00:00"
AN_UUID = uuid.UUID("12345678-1234-5678-1234-567812345678")

DOCUMENT_SCHEMA = {
    "type": "object",
    "properties": {
        "_id": {"type": "string"},
        "at": {"type": "string"},
        "price": {"type": "number"},
        "nested": {
            "type": "array",
            "items": {"type": "object", "properties": {"ref": {"type": "string"}}},
        },
        "extra": {"type": "object", "additionalProperties": True},
    },
}


def test_encoders() -> None:
    register_encoders()
    oid = ObjectId()
    encode = encode_registered
    assert encode(oid) == str(oid)
    assert encode(Decimal128("1.50")) == "1.50"
    assert encode(DatetimeMS(WHEN)) == WHEN_JSON
    assert encode(DatetimeMS(2**62)) == 2**62  # beyond the years datetime can hold
    assert encode(Binary.from_uuid(AN_UUID)) == str(AN_UUID)
    assert encode(Binary(b"\x00\xff", 0x80)) == "AP8="
    assert encode(Regex("^a.b", re.IGNORECASE | re.MULTILINE)) == {
        "pattern": "^a.b",
        "options": "im",
    }
    assert encode(Timestamp(1714566600, 7)) == {"t": 1714566600, "i": 7}
    assert encode(DBRef("things", oid, "db")) == {"$ref": "things", "$id": oid, "$db": "db"}
    assert encode(MinKey()) == {"$minKey": 1}
    assert encode(MaxKey()) == {"$maxKey": 1}


def test_registering_again_keeps_later_encoders() -> None:
    oid = ObjectId("65f0c0ffee0123456789abcd")
    register_encoders()
    register_json_encoder(ObjectId, lambda value: {"$oid": str(value)})
    try:
        register_encoders()  # a second plugin registration: changes nothing
        assert encode_registered(oid) == {"$oid": str(oid)}
    finally:
        register_json_encoder(ObjectId, ENCODERS[ObjectId])
    assert encode_registered(oid) == str(oid)


def test_datetimes_are_left_to_orjson() -> None:
    two_hours_east = timezone(timedelta(hours=2))
    assert orjson.dumps(WHEN) == f'"{WHEN_JSON}"'.encode()
    assert orjson.dumps(WHEN.astimezone(two_hours_east)) == b'"2024-05-01T14:30:00.250000+02:00"'


async def test_documents_in_replies(mongodb_url: str, driver: str) -> None:
    app = Lesto()
    app.register(lesto_mongodb.plugin, url=mongodb_url, driver=driver)

    @app.get("/doc")
    async def doc(request: Any, reply: Any) -> Any:
        return await request.server.mongo.db.things.find_one({})

    @app.get("/typed", schema={"response": {200: DOCUMENT_SCHEMA}})
    async def typed(request: Any, reply: Any) -> Any:
        return await request.server.mongo.db.things.find_one()

    try:
        await app.ready()
        oid = ObjectId()
        await app.mongo.db.things.insert_one(
            {
                "_id": oid,
                "at": WHEN,
                "price": Decimal128("2.5"),
                "nested": [{"ref": oid, "when": WHEN}],
                "extra": {"ref": oid, "when": WHEN, "uuid": Binary.from_uuid(AN_UUID)},
            }
        )
        plain = await app.inject(method="GET", url="/doc")
        assert plain.status_code == 200
        assert plain.json() == {
            "_id": str(oid),
            "at": WHEN_JSON,
            "price": "2.5",
            "nested": [{"ref": str(oid), "when": WHEN_JSON}],
            "extra": {"ref": str(oid), "when": WHEN_JSON, "uuid": str(AN_UUID)},
        }
        typed_reply = await app.inject(method="GET", url="/typed")
        assert typed_reply.status_code == 200
        assert typed_reply.json() == {
            "_id": str(oid),
            "at": WHEN_JSON,
            "price": 2.5,
            "nested": [{"ref": str(oid)}],
            "extra": {"ref": str(oid), "when": WHEN_JSON, "uuid": str(AN_UUID)},
        }
    finally:
        await app.close()


async def test_other_bson_values_from_the_database(app: Lesto) -> None:
    oid = ObjectId()

    @app.get("/doc")
    async def doc(request: Any, reply: Any) -> Any:
        return await request.server.mongo.db.things.find_one({"_id": oid}, {"_id": 0})

    await app.ready()
    await app.mongo.db.things.insert_one(
        {
            "_id": oid,
            "blob": Binary(b"\x00\xff", 0x80),
            "pattern": Regex("^a", re.IGNORECASE),
            "ref": DBRef("things", oid),
            "low": MinKey(),
            "high": MaxKey(),
        }
    )
    reply = await app.inject(method="GET", url="/doc")
    assert reply.status_code == 200
    assert reply.json() == {
        "blob": "AP8=",
        "pattern": {"pattern": "^a", "options": "i"},
        "ref": {"$ref": "things", "$id": str(oid)},
        "low": {"$minKey": 1},
        "high": {"$maxKey": 1},
    }


async def test_clients_are_tz_aware_unless_told_otherwise(mongodb_url: str, driver: str) -> None:
    default, naive = Lesto(), Lesto()
    default.register(lesto_mongodb.plugin, url=mongodb_url, driver=driver)
    naive.register(lesto_mongodb.plugin, url=mongodb_url, driver=driver, tz_aware=False)
    try:
        await default.ready()
        await naive.ready()
        assert default.mongo.client.codec_options.tz_aware is True
        assert naive.mongo.client.codec_options.tz_aware is False
        await default.mongo.db.things.insert_one({"at": WHEN})
        found = await naive.mongo.db.things.find_one()
        assert found["at"] == WHEN.replace(tzinfo=None)  # naive: orjson writes no offset
    finally:
        await default.close()
        await naive.close()


async def test_encoders_are_process_wide(mongodb_url: str) -> None:
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
        assert (await app.inject(method="GET", url="/elsewhere")).json() == {"id": str(oid)}
        assert not app.has_decorator("mongo")
    finally:
        await app.close()
