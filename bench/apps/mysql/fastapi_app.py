"""FastAPI + aiomysql: the pool made in the lifespan and kept on `app.state`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiomysql
from fastapi import FastAPI, HTTPException, Request

from apps.mysql import POOL_SIZE, SQL, connect_args, mysql_url


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.pool = await aiomysql.create_pool(
        minsize=POOL_SIZE, maxsize=POOL_SIZE, **connect_args(mysql_url())
    )
    yield
    app.state.pool.close()
    await app.state.pool.wait_closed()


app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan)


@app.get("/users/{id}")
async def user(id: int, request: Request) -> dict[str, Any]:
    async with (
        request.app.state.pool.acquire() as conn,
        conn.cursor(aiomysql.DictCursor) as cur,
    ):
        await cur.execute(SQL, (id,))
        row = await cur.fetchone()
    if row is None:
        raise HTTPException(status_code=404)
    return row
