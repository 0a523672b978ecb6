"""FastAPI + asyncpg: the pool made in the lifespan and kept on `app.state`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from fastapi import FastAPI, HTTPException, Request

from apps.postgres import POOL_SIZE, SQL, database_url


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(
        database_url(), min_size=POOL_SIZE, max_size=POOL_SIZE
    )
    yield
    await app.state.pool.close()


app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan)


@app.get("/users/{id}")
async def user(id: int, request: Request) -> dict[str, Any]:
    row = await request.app.state.pool.fetchrow(SQL, id)
    if row is None:
        raise HTTPException(status_code=404)
    return dict(row)
