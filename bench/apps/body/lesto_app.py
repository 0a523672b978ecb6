"""Lesto: the 20-property body is validated by the route's JSON Schema."""

from typing import Any

from lesto import Lesto

from apps.body.spec import BODY_SCHEMA

app = Lesto()


@app.post("/users", schema={"body": BODY_SCHEMA})
async def create_user(request: Any, reply: Any) -> dict[str, Any]:
    return {"ok": True, "id": request.body["id"]}
