"""Lesto + lesto-postgres: `app.register(lesto_postgres.plugin, url=...)`, `app.pg.fetchrow`."""

import os
from typing import Any

import lesto_postgres
from lesto import Lesto

from apps.postgres import POOL_SIZE, SQL, database_url

SCHEMA = {
    "params": {
        "type": "object",
        "properties": {"id": {"type": "integer"}},
        "required": ["id"],
    }
}

# BENCH_GC_FREEZE=0: the diagnostic row without the GC freeze at server start.
app = Lesto(gc_freeze=os.environ.get("BENCH_GC_FREEZE", "1") == "1")
app.register(lesto_postgres.plugin, url=database_url(), min_size=POOL_SIZE, max_size=POOL_SIZE)


@app.get("/users/:id", schema=SCHEMA)
async def user(request: Any, reply: Any) -> Any:
    return await app.pg.fetchrow(SQL, request.params["id"])
