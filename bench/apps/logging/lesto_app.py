"""Lesto with `logger=True` (JSON lines on stdout) when BENCH_LOG=1, else no logger."""

from typing import Any

from lesto import Lesto

from apps.logging import LOG

app = Lesto(logger=LOG)


@app.get("/")
async def hello(request: Any, reply: Any) -> dict[str, str]:
    return {"hello": "world"}
