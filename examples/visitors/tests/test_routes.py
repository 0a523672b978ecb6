"""Every route through inject, against real MongoDB, PostgreSQL, Redis and MariaDB servers.

The audit log (MariaDB) has tests of its own in ``test_audit.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from lesto import Lesto
from visitors.usernames import fake_username

JSON = "application/json; charset=utf-8"


async def put_visitor(app: Lesto, user_id: str, body: Any = None) -> Any:
    return await app.inject(method="PUT", url=f"/api/users/{user_id}", payload=body or {})


def assert_json_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == JSON
    body = response.json()
    assert body["statusCode"] == status
    assert body["code"] == code
    assert set(body) == {"statusCode", "code", "error", "message"}


async def test_index_answers_from_a_context_without_databases(app: Lesto) -> None:
    response = await app.inject(method="GET", url="/")
    assert response.json() == {"hello": "world"}
    assert not app.has_decorator("mongo")
    assert not app.has_decorator("pg")
    assert not app.has_decorator("redis")
    assert not app.has_decorator("mysql")


async def test_migrations_ran_at_start(app: Lesto) -> None:
    # The visits table is there: a visit can be recorded straight after ready().
    response = await put_visitor(app, "ada")
    assert response.status_code == 200
    stats = (await app.inject(method="GET", url="/api/stats")).json()
    assert stats["visits"] == 1


async def test_put_creates_then_updates_a_visitor(app: Lesto, mongodb_url: str) -> None:
    first = await put_visitor(app, "ada", {"message": "hello"})
    assert first.status_code == 200
    assert first.json() == {"user_id": "ada", "username": fake_username("ada")}
    second = await put_visitor(app, "ada", {"message": "again", "admin": True})
    assert second.status_code == 200

    page = (await app.inject(method="GET", url="/api/users")).json()
    assert page["total"] == 1
    (row,) = page["rows"]
    assert set(row) == {"user_id", "username", "message", "created", "visits"}  # no _id
    assert row["message"] == "again"  # $set; the unknown "admin" field was dropped
    assert row["username"] == fake_username("ada")
    assert len(row["visits"]) == 1  # only the last visit
    last_visit = datetime.fromisoformat(row["visits"][0])
    assert last_visit > datetime.fromisoformat(row["created"])  # $setOnInsert kept the first

    from pymongo import AsyncMongoClient

    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_url)
    try:
        stored = await client.get_default_database().Users.find_one({"user_id": "ada"})
    finally:
        await client.close()
    assert stored is not None
    assert len(stored["visits"]) == 2  # $push kept both
    assert "admin" not in stored


@pytest.mark.parametrize(
    ("user_id", "payload"),
    [
        ("ada", {"message": {"text": "hi"}}),  # numbers would be coerced, as in Fastify
        ("ada", {"message": "x" * 141}),
        ("ada", ["message"]),
        ("ada", "{not json"),
        ("bad id!", {}),
        ("x" * 41, {}),
    ],
)
async def test_put_refuses_bad_input_with_json_400(app: Lesto, user_id: str, payload: Any) -> None:
    headers = {"content-type": "application/json"}
    response = await app.inject(
        method="PUT", url=f"/api/users/{user_id}", payload=payload, headers=headers
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == JSON
    assert response.json()["statusCode"] == 400
    assert (await app.inject(method="GET", url="/api/users")).json()["total"] == 0


async def test_pagination_pages_and_bounds(app: Lesto) -> None:
    for user_id in ("u1", "u2", "u3"):
        await put_visitor(app, user_id)

    async def page(query: str) -> Any:
        return await app.inject(method="GET", url=f"/api/users{query}")

    everyone = (await page("")).json()
    assert [row["user_id"] for row in everyone["rows"]] == ["u1", "u2", "u3"]
    middle = (await page("?offset=1&limit=1")).json()
    assert middle == {"rows": [everyone["rows"][1]], "total": 3}
    assert (await page("?offset=3")).json() == {"rows": [], "total": 3}
    assert len((await page("?limit=50")).json()["rows"]) == 3
    for bad in ("?limit=0", "?limit=51", "?offset=-1", "?limit=ten"):
        assert_json_error(await page(bad), 400, "LST_ERR_VALIDATION")


async def test_unknown_api_path_is_a_json_404(app: Lesto) -> None:
    assert_json_error(await app.inject(method="GET", url="/api/nothing"), 404, "VISITORS_NOT_FOUND")
    assert_json_error(
        await app.inject(method="DELETE", url="/api/users/ada"), 404, "VISITORS_NOT_FOUND"
    )


async def test_stats_are_cached_in_redis_until_the_next_visit(app: Lesto) -> None:
    await put_visitor(app, "ada")
    await put_visitor(app, "ada")
    await put_visitor(app, "bob")
    miss = await app.inject(method="GET", url="/api/stats")
    assert miss.headers["x-cache"] == "miss"
    body = miss.json()
    assert (body["visits"], body["visitors"]) == (3, 2)
    assert [day["visits"] for day in body["days"]] == [3]
    hit = await app.inject(method="GET", url="/api/stats")
    assert (hit.headers["x-cache"], hit.json()) == ("hit", body)
    await put_visitor(app, "cy")
    fresh = await app.inject(method="GET", url="/api/stats")
    assert fresh.headers["x-cache"] == "miss"
    assert fresh.json()["visits"] == 4


async def test_animals_list_get_and_add(app: Lesto) -> None:
    assert (await app.inject(method="GET", url="/animals")).json() == []
    added = await app.inject(method="POST", url="/animals", payload={"animal": "cat"})
    assert added.status_code == 201
    assert added.json()["animal"] == "cat"
    assert len(added.json()["id"]) == 24  # the ObjectId as a string
    await app.inject(method="POST", url="/animals", payload={"animal": "ant"})
    listed = await app.inject(method="GET", url="/animals")
    assert listed.json() == [{"animal": "ant"}, {"animal": "cat"}]  # no _id
    one = await app.inject(method="GET", url="/animals/cat")
    assert one.json() == {"animal": "cat"}
    missing = await app.inject(method="GET", url="/animals/dog")
    assert_json_error(missing, 404, "VISITORS_ANIMAL_NOT_FOUND")


@pytest.mark.parametrize("payload", [{}, {"animal": ["a", "b"]}, {"animal": ""}, {"name": "cat"}])
async def test_add_animal_refuses_bad_bodies(app: Lesto, payload: Any) -> None:
    response = await app.inject(method="POST", url="/animals", payload=payload)
    assert response.status_code == 400
    assert response.json()["code"] == "LST_ERR_VALIDATION"
    assert (await app.inject(method="GET", url="/animals")).json() == []


async def test_health_is_ok_when_every_database_answers(app: Lesto) -> None:
    response = await app.inject(method="GET", url="/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"mongodb": "up", "postgres": "up", "redis": "up", "mysql": "up"},
    }
