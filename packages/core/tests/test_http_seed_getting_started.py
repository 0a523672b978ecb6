"""The seed's Getting Started guide, ported: the first server, routes in a plugin, the
animals routes on a database plugin, validation and serialization.

The guide keeps its animals in MongoDB through @fastify/mongodb; core's tests
do not depend on a database package, so the database plugin here decorates
the instance with a small in-process collection offering the two calls the
routes make (``find``/``find_one``/``insert_one``). The routes are the guide's.
"""

import httpx
from lesto import Lesto, plugin


async def test_first_server_with_send():
    app = Lesto(logger=False)

    @app.get("/")
    def index(request, reply):
        reply.send({"hello": "world"})

    response = await app.inject(method="GET", url="/")
    assert response.status_code == 200
    assert response.json() == {"hello": "world"}
    assert response.headers["content-type"] == "application/json; charset=utf-8"


async def test_first_server_async_returning_over_a_real_socket():
    app = Lesto()

    @app.get("/")
    async def index(request, reply):
        return {"hello": "world"}

    address = await app.listen(port=0)
    try:
        async with httpx.AsyncClient() as client:
            response = await client.get(address + "/")
        assert response.status_code == 200
        assert response.json() == {"hello": "world"}
    finally:
        await app.close()


async def our_first_route(instance, options):
    @instance.get("/")
    async def index(request, reply):
        return {"hello": "world"}


async def test_routes_in_their_own_plugin():
    app = Lesto()
    app.register(our_first_route)
    assert (await app.inject(url="/")).json() == {"hello": "world"}


class Collection:
    """An in-process stand-in for the guide's ``test_collection``."""

    def __init__(self):
        self.documents = []

    async def find(self):
        return [dict(document) for document in self.documents]

    async def find_one(self, query):
        for document in self.documents:
            if all(document.get(key) == value for key, value in query.items()):
                return dict(document)
        return None

    async def insert_one(self, document):
        self.documents.append(dict(document))
        return {"acknowledged": True, "inserted": len(self.documents)}


@plugin
async def db_connector(instance, options):
    """Like the guide's connector: not encapsulated, so the routes plugin sees ``db``."""
    instance.decorate("db", {"test_collection": Collection()})


async def animal_routes(instance, options):
    collection = instance.db["test_collection"]

    @instance.get("/")
    async def index(request, reply):
        return {"hello": "world"}

    @instance.get("/animals")
    async def animals(request, reply):
        result = await collection.find()
        if not result:
            raise LookupError("No documents found")
        return result

    @instance.get("/animals/:animal")
    async def animal(request, reply):
        result = await collection.find_one({"animal": request.params["animal"]})
        if not result:
            raise LookupError("Invalid value")
        return result

    animal_body_json_schema = {
        "type": "object",
        "required": ["animal"],
        "properties": {"animal": {"type": "string"}},
    }
    schema = {"body": animal_body_json_schema}

    @instance.post("/animals", schema=schema)
    async def add_animal(request, reply):
        return await collection.insert_one({"animal": request.body["animal"]})


def animals_app():
    app = Lesto()
    app.register(db_connector)
    app.register(animal_routes)
    return app


async def test_animals_routes():
    app = animals_app()
    assert (await app.inject(url="/")).json() == {"hello": "world"}

    empty = await app.inject(url="/animals")
    assert empty.status_code == 500  # "No documents found" is not exposed
    assert empty.json()["message"] == "Internal Server Error"

    added = await app.inject(method="POST", url="/animals", payload={"animal": "dog"})
    assert added.status_code == 200
    assert added.json() == {"acknowledged": True, "inserted": 1}
    await app.inject(method="POST", url="/animals", payload={"animal": "cat"})

    assert (await app.inject(url="/animals")).json() == [{"animal": "dog"}, {"animal": "cat"}]
    assert (await app.inject(url="/animals/cat")).json() == {"animal": "cat"}
    assert (await app.inject(url="/animals/cow")).status_code == 500


async def test_animals_body_is_validated():
    app = animals_app()
    missing = await app.inject(method="POST", url="/animals", payload={"name": "dog"})
    assert missing.status_code == 400
    assert missing.json()["code"] == "LST_ERR_VALIDATION"
    wrong_type = await app.inject(
        method="POST", url="/animals", payload={"animal": {"kind": "dog"}}
    )
    assert wrong_type.status_code == 400
    assert (await app.inject(url="/animals")).status_code == 500  # nothing was inserted


async def test_validate_your_data():
    app = Lesto()
    opts = {
        "schema": {
            "body": {
                "type": "object",
                "properties": {
                    "someKey": {"type": "string"},
                    "someOtherKey": {"type": "number"},
                },
            }
        }
    }

    @app.post("/", **opts)
    async def index(request, reply):
        return {"hello": "world"}

    good = await app.inject(method="POST", url="/", payload={"someKey": "a", "someOtherKey": 1})
    assert good.json() == {"hello": "world"}
    bad = await app.inject(method="POST", url="/", payload={"someOtherKey": "not a number"})
    assert bad.status_code == 400


async def test_serialize_your_data():
    app = Lesto()
    opts = {
        "schema": {
            "response": {200: {"type": "object", "properties": {"hello": {"type": "string"}}}}
        }
    }

    @app.get("/", **opts)
    async def index(request, reply):
        return {"hello": "world", "password": "not in the schema"}

    assert (await app.inject(url="/")).json() == {"hello": "world"}
