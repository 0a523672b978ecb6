"""The server restarts under a running app: later requests succeed, with no app restart."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import lesto_postgres
import pytest
from lesto import Lesto

from .conftest import names, seed


async def test_requests_succeed_after_the_server_restarts(
    postgres_service: Any, new_app: Callable[..., Lesto], postgres_url: str
):
    if postgres_service.backend == "env":
        pytest.skip("LESTO_TEST_POSTGRES_URL names a server this test cannot restart")
    await seed(postgres_url)
    app = new_app()
    await app.register(lesto_postgres.plugin, url=postgres_url, min_size=2, max_size=2)

    @app.get("/users/:id")
    async def user(request: Any, reply: Any) -> Any:
        return await app.pg.fetchrow("SELECT * FROM users WHERE id = $1", int(request.params["id"]))

    @app.post("/users", config={"pg": {"transact": True}})
    async def add(request: Any, reply: Any) -> None:
        await request.pg.execute("INSERT INTO users VALUES ($1, $2)", *request.body)

    async def both(n: int) -> set[int]:
        read = await app.inject(method="GET", url="/users/1")
        write = await app.inject(method="POST", url="/users", payload=[n, f"user{n}"])
        return {read.status_code, write.status_code}

    assert await both(10) == {200}
    # The app's event loop keeps running while the server goes down and comes back.
    await asyncio.to_thread(postgres_service.restart)
    for n in range(11, 16):
        assert await both(n) == {200}
    assert await names(postgres_url) == ["Ada", "Grace"] + [f"user{n}" for n in range(10, 16)]
