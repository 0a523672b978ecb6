"""Lesto + lesto-redis: `app.register(lesto_redis.plugin, url=...)`, `app.redis.get`."""

from typing import Any

import lesto_redis
from lesto import Lesto

from apps.redis import redis_url

SCHEMA = {
    "querystring": {
        "type": "object",
        "properties": {"key": {"type": "string"}},
        "required": ["key"],
    }
}

app = Lesto()
app.register(lesto_redis.plugin, url=redis_url(), decode_responses=True)


@app.get("/foo", schema=SCHEMA)
async def read(request: Any, reply: Any) -> dict[str, Any]:
    key = request.query["key"]
    return {"key": key, "value": await app.redis.get(key)}
