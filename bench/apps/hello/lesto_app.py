"""Written against Lesto's planned API (shared/design.md); it serves once core routing lands."""

from typing import Any

from lesto import Lesto

app = Lesto()


@app.get("/")
async def hello(request: Any, reply: Any) -> dict[str, str]:
    return {"hello": "world"}
