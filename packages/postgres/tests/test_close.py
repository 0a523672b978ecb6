"""Closing: the pool closes gracefully within close_timeout, then is terminated."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

import asyncpg
import lesto_postgres
import pytest
from lesto import Lesto


async def test_close_closes_the_pool(new_app: Callable[..., Lesto], postgres_url: str):
    app = new_app()
    await app.register(lesto_postgres.plugin, url=postgres_url, min_size=1, max_size=1)
    pool = app.pg.pool
    await app.close()
    with pytest.raises(asyncpg.InterfaceError):
        await pool.fetchval("SELECT 1")


async def test_close_waits_for_borrowed_connections(
    new_app: Callable[..., Lesto], postgres_url: str, caplog: pytest.LogCaptureFixture
):
    app = new_app()
    await app.register(lesto_postgres.plugin, url=postgres_url, min_size=1, max_size=1)
    finished: list[int] = []

    async def work() -> None:
        async with app.pg.connect() as conn:
            await asyncio.sleep(0.2)
            finished.append(await conn.fetchval("SELECT 1"))

    task = asyncio.create_task(work())
    await asyncio.sleep(0.05)
    started = time.monotonic()
    await app.close()
    await task
    assert finished == [1]  # the borrower finished its work before the pool closed
    assert 0.1 < time.monotonic() - started < 2
    assert "terminated" not in caplog.text


async def test_close_terminates_after_close_timeout(
    new_app: Callable[..., Lesto], postgres_url: str, caplog: pytest.LogCaptureFixture
):
    app = new_app()
    await app.register(
        lesto_postgres.plugin, url=postgres_url, min_size=1, max_size=1, close_timeout=0.3
    )
    async with app.pg.connect() as conn:
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="lesto_postgres"):
            await app.close()
        assert 0.25 < time.monotonic() - started < 2
        with pytest.raises(asyncpg.InterfaceError):  # taken back from the borrower
            await conn.fetchval("SELECT 1")
    assert "close_timeout" in caplog.text
    assert "terminated" in caplog.text
