"""Parsing ObjectIds from path params: an invalid id answers 400, not 500."""

from __future__ import annotations

from typing import Any

import lesto_mongodb
import pytest
from bson import ObjectId
from lesto import Lesto
from lesto_mongodb import errors, object_id


def test_valid_values() -> None:
    oid = ObjectId()
    assert object_id(str(oid)) == oid
    assert object_id(oid) is oid


@pytest.mark.parametrize("value", ["", "123", "z" * 24, None, 42, b"123456789012"])
def test_invalid_values(value: object) -> None:
    with pytest.raises(errors.LST_MONGO_ERR_INVALID_OBJECT_ID) as info:
        object_id(value, "userId")
    assert info.value.status_code == 400
    assert info.value.args == ("userId", value)


async def test_invalid_id_answers_400(mongodb_url: str, driver: str) -> None:
    app = Lesto()
    app.register(lesto_mongodb.plugin, url=mongodb_url, driver=driver)

    @app.get("/animals/:id")
    async def by_id(request: Any, reply: Any) -> Any:
        mongo = request.server.mongo
        found = await mongo.db.animals.find_one({"_id": mongo.object_id(request.params["id"])})
        if found is None:
            reply.code(404)
            return {"message": "not found"}
        return found

    try:
        await app.ready()
        inserted = await app.mongo.db.animals.insert_one({"animal": "fox"})
        oid = str(inserted.inserted_id)

        ok = await app.inject(method="GET", url=f"/animals/{oid}")
        assert ok.status_code == 200
        assert ok.json() == {"_id": oid, "animal": "fox"}

        assert (await app.inject(method="GET", url=f"/animals/{ObjectId()}")).status_code == 404

        bad = await app.inject(method="GET", url="/animals/not-an-id")
        assert bad.status_code == 400
        assert bad.json()["code"] == "LST_MONGO_ERR_INVALID_OBJECT_ID"
    finally:
        await app.close()
