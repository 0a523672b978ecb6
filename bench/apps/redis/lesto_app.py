"""Lesto + lesto-redis: `app.register(lesto_redis.plugin, url=...)`, `app.redis.get`."""

import os
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

# BENCH_GC_FREEZE=0: the diagnostic row without the GC freeze at server start.
app = Lesto(gc_freeze=os.environ.get("BENCH_GC_FREEZE", "1") == "1")
app.register(lesto_redis.plugin, url=redis_url(), decode_responses=True)


@app.get("/foo", schema=SCHEMA)
async def read(request: Any, reply: Any) -> dict[str, Any]:
    key = request.query["key"]
    return {"key": key, "value": await app.redis.get(key)}
