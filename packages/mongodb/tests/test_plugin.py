"""The plugin against a real server, for both drivers: decoration, databases, named instances."""

from __future__ import annotations

from typing import Any

import lesto_mongodb
import pytest
from bson import ObjectId
from lesto import Lesto
from lesto_errors import LestoError
from lesto_mongodb import errors
from pymongo import AsyncMongoClient


def server_of(url: str) -> str:
    """``mongodb://host:port`` without the database path."""
    return url.rsplit("/", 1)[0]


def database_of(url: str) -> str:
    return url.rsplit("/", 1)[1].split("?")[0]


async def test_decorates_client_db_and_object_id(app: Lesto, mongodb_url: str, driver: str) -> None:
    await app.ready()
    mongo = app.mongo
    assert isinstance(mongo, lesto_mongodb.Mongo)
    assert mongo.driver == driver
    assert mongo.ObjectId is ObjectId
    assert mongo.database_name == database_of(mongodb_url)
    result = await mongo.db.animals.insert_one({"animal": "dog"})
    found = await mongo.client[database_of(mongodb_url)].animals.find_one(
        {"_id": result.inserted_id}
    )
    assert found["animal"] == "dog"


async def test_pymongo_is_the_default_driver(mongodb_url: str) -> None:
    app = Lesto()
    app.register(lesto_mongodb.plugin, url=mongodb_url)
    await app.ready()
    assert isinstance(app.mongo.client, AsyncMongoClient)
    await app.close()


async def test_motor_driver_makes_a_motor_client(mongodb_url: str) -> None:
    from motor.motor_asyncio import AsyncIOMotorClient

    app = Lesto()
    app.register(lesto_mongodb.plugin, url=mongodb_url, driver="motor")
    await app.ready()
    assert isinstance(app.mongo.client, AsyncIOMotorClient)
    await app.close()


async def test_database_option_wins_over_the_url(mongodb_url: str, driver: str) -> None:
    app = Lesto()
    app.register(lesto_mongodb.plugin, url=mongodb_url, database="elsewhere", driver=driver)
    await app.ready()
    assert app.mongo.db.name == "elsewhere"
    await app.close()


async def test_no_database_gives_a_clear_error(mongodb_url: str, driver: str) -> None:
    app = Lesto()
    app.register(lesto_mongodb.plugin, url=server_of(mongodb_url) + "/", driver=driver)
    await app.ready()
    assert app.mongo.database_name is None
    with pytest.raises(errors.LST_MONGO_ERR_NO_DATABASE):
        app.mongo.db  # noqa: B018
    assert await app.mongo.client[database_of(mongodb_url)].command("ping")
    await app.close()


async def test_plugin_is_not_encapsulated(app: Lesto) -> None:
    seen: dict[str, Any] = {}

    async def routes(child: Lesto, opts: dict[str, Any]) -> None:
        seen["db"] = child.mongo.db

    app.register(routes)
    await app.ready()
    assert seen["db"] is app.mongo.db
    assert app.has_plugin("lesto-mongodb")


async def test_named_instances(mongodb_url: str, driver: str) -> None:
    server = server_of(mongodb_url)
    app = Lesto()
    app.register(lesto_mongodb.plugin, url=mongodb_url, driver=driver)
    app.register(lesto_mongodb.plugin, url=server + "/reports", name="reports", driver=driver)
    app.register(lesto_mongodb.plugin, url=server, name="archive", database="old", driver=driver)
    await app.ready()
    assert app.mongo.reports.db.name == "reports"
    assert app.mongo.reports.name == "reports"
    assert app.mongo.archive.db.name == "old"
    assert app.mongo.db.name == database_of(mongodb_url)
    assert "reports" in app.mongo
    assert "missing" not in app.mongo
    assert app.mongo.reports.client is not app.mongo.client
    with pytest.raises(errors.LST_MONGO_ERR_NAME_UNKNOWN):
        app.mongo.missing  # noqa: B018
    assert not hasattr(app.mongo, "missing")  # the error is an AttributeError
    await app.close()


async def test_named_first_is_also_the_default(mongodb_url: str, driver: str) -> None:
    app = Lesto()
    app.register(lesto_mongodb.plugin, url=mongodb_url, name="main", driver=driver)
    await app.ready()
    assert app.mongo.main is app.mongo
    assert app.mongo.db.name == database_of(mongodb_url)
    await app.close()


@pytest.mark.parametrize(
    ("first", "second", "code"),
    [
        ({}, {}, "LST_MONGO_ERR_ALREADY_REGISTERED"),
        ({"name": "main"}, {}, "LST_MONGO_ERR_ALREADY_REGISTERED"),
        ({"name": "main"}, {"name": "main"}, "LST_MONGO_ERR_NAME_DUPLICATE"),
        ({}, {"name": "db"}, "LST_MONGO_ERR_NAME_INVALID"),
        ({}, {"name": "not-an-identifier"}, "LST_MONGO_ERR_NAME_INVALID"),
    ],
)
async def test_registration_errors(
    mongodb_url: str, first: dict[str, str], second: dict[str, str], code: str
) -> None:
    app = Lesto()
    app.register(lesto_mongodb.plugin, url=mongodb_url, **first)
    app.register(lesto_mongodb.plugin, url=mongodb_url, **second)
    with pytest.raises(LestoError) as info:
        await app.ready()
    assert info.value.code == code
    await app.close()


async def test_a_foreign_mongo_decorator_is_not_taken_over(mongodb_url: str) -> None:
    app = Lesto()
    app.decorate("mongo", "something else")
    app.register(lesto_mongodb.plugin, url=mongodb_url, name="main")
    with pytest.raises(errors.LST_MONGO_ERR_ALREADY_REGISTERED):
        await app.ready()
    await app.close()


async def test_object_id_helper_on_the_decorator(app: Lesto) -> None:
    await app.ready()
    oid = ObjectId()
    assert app.mongo.object_id(str(oid)) == oid
    with pytest.raises(errors.LST_MONGO_ERR_INVALID_OBJECT_ID):
        app.mongo.object_id("nope")
