"""Lesto + lesto-mysql: `app.register(lesto_mysql.plugin, url=...)`, `app.mysql.query`."""

import os
from typing import Any

import lesto_mysql
from lesto import Lesto

from apps.mysql import POOL_SIZE, SQL, mysql_url

SCHEMA = {
    "params": {
        "type": "object",
        "properties": {"id": {"type": "integer"}},
        "required": ["id"],
    }
}

# BENCH_GC_FREEZE=0: the diagnostic row without the GC freeze at server start.
app = Lesto(gc_freeze=os.environ.get("BENCH_GC_FREEZE", "1") == "1")
app.register(lesto_mysql.plugin, url=mysql_url(), minsize=POOL_SIZE, maxsize=POOL_SIZE)


@app.get("/users/:id", schema=SCHEMA)
async def user(request: Any, reply: Any) -> Any:
    rows = await app.mysql.query(SQL, [request.params["id"]])
    if not rows:
        reply.code(404)
        return {"error": "Not Found"}
    return rows[0]
