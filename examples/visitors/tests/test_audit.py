"""The audit log of visitor writes, in MariaDB: written by PUT, read by GET /api/audit.

MariaDB is registered in the ``/api`` branch only, with its migrations applied
through lesto-mysql's pool; every test runs on a fresh MariaDB database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import aiomysql
import pytest
from lesto import Lesto
from visitors import AppConfig


async def put_visitor(app: Lesto, user_id: str, body: Any = None) -> Any:
    return await app.inject(method="PUT", url=f"/api/users/{user_id}", payload=body or {})


async def rows_in(mysql_url: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows read on a connection of the test's own (what is committed)."""
    parts = urlsplit(mysql_url)
    conn = await aiomysql.connect(
        host=parts.hostname,
        port=parts.port or 3306,
        user=parts.username,
        password=parts.password or "",
        db=parts.path.strip("/"),
        autocommit=True,
    )
    try:
        async with conn.cursor() as cursor:
            await cursor.execute(sql)
            return list(await cursor.fetchall())
    finally:
        conn.close()


async def test_the_audit_table_is_migrated_at_start(app: Lesto, config: AppConfig) -> None:
    assert await rows_in(config.mysql_url, "SELECT version FROM schemaversion") == [(1,)]
    assert await rows_in(config.mysql_url, "SELECT COUNT(*) FROM audit") == [(0,)]
    answer = (await app.inject(method="GET", url="/api/audit")).json()
    assert answer == {"rows": [], "total": 0}


async def test_every_visitor_write_is_audited_before_the_reply(
    app: Lesto, config: AppConfig
) -> None:
    before = datetime.now(UTC)
    assert (await put_visitor(app, "ada", {"message": "hello"})).status_code == 200
    # committed before the reply was sent: another connection sees it at once
    assert await rows_in(config.mysql_url, "SELECT user_id, action FROM audit") == [
        ("ada", "create")
    ]
    await put_visitor(app, "ada")
    await put_visitor(app, "grace", {"message": "hi"})

    answer = (await app.inject(method="GET", url="/api/audit")).json()
    assert answer["total"] == 3
    assert [(r["user_id"], r["action"], r.get("message")) for r in answer["rows"]] == [
        ("grace", "create", "hi"),  # newest first
        ("ada", "update", None),
        ("ada", "create", "hello"),
    ]
    assert set(answer["rows"][0]) == {"user_id", "action", "message", "at"}  # no id
    at = datetime.fromisoformat(answer["rows"][0]["at"])
    assert at.tzinfo is not None
    assert before.replace(microsecond=0) <= at <= datetime.now(UTC)


async def test_audit_pages_and_filters(app: Lesto) -> None:
    for user_id in ("a", "b", "a", "c", "a"):
        await put_visitor(app, user_id)
    page = (await app.inject(method="GET", url="/api/audit?offset=1&limit=2")).json()
    assert page["total"] == 5
    assert [row["user_id"] for row in page["rows"]] == ["c", "a"]
    only_a = (await app.inject(method="GET", url="/api/audit?user_id=a")).json()
    assert only_a["total"] == 3
    assert [row["action"] for row in only_a["rows"]] == ["update", "update", "create"]
    past_the_end = (await app.inject(method="GET", url="/api/audit?offset=10")).json()
    assert past_the_end == {"rows": [], "total": 5}


@pytest.mark.parametrize("query", ["limit=0", "limit=51", "offset=-1", "limit=x", "user_id=a%20b"])
async def test_audit_refuses_bad_queries_with_json_400(app: Lesto, query: str) -> None:
    response = await app.inject(method="GET", url=f"/api/audit?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "LST_ERR_VALIDATION"


async def test_a_refused_write_is_not_audited(app: Lesto, config: AppConfig) -> None:
    response = await put_visitor(app, "ada", {"message": "x" * 141})
    assert response.status_code == 400
    assert await rows_in(config.mysql_url, "SELECT COUNT(*) FROM audit") == [(0,)]
