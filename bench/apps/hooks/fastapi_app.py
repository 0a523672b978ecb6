"""FastAPI has no hooks: 10 app-level dependencies, each counting on `request.state`."""

from typing import Any

from fastapi import Depends, FastAPI, Request

from apps.hooks import HOOKS


def make_count() -> Any:
    async def count(request: Request) -> None:
        request.state.hits = getattr(request.state, "hits", 0) + 1

    return count


# Distinct functions: FastAPI caches a dependency used twice in one request.
app = FastAPI(
    openapi_url=None,
    docs_url=None,
    redoc_url=None,
    dependencies=[Depends(make_count()) for _ in range(2 * HOOKS)],
)


@app.get("/")
async def hello(request: Request) -> dict[str, int]:
    return {"hits": request.state.hits}
