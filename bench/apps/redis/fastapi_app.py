"""FastAPI + redis.asyncio: one client made in the lifespan, kept on `app.state`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import redis.asyncio
from fastapi import FastAPI, Request

from apps.redis import redis_url


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.redis = redis.asyncio.Redis.from_url(redis_url(), decode_responses=True)
    yield
    await app.state.redis.aclose()


app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan)


@app.get("/foo")
async def read(key: str, request: Request) -> dict[str, Any]:
    return {"key": key, "value": await request.app.state.redis.get(key)}
