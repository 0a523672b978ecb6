"""Lesto: `@app.get("/")` returning a dict, served on the direct path."""

import os
from typing import Any

from lesto import Lesto

# BENCH_GC_FREEZE=0: the diagnostic row without the GC freeze at server start.
app = Lesto(gc_freeze=os.environ.get("BENCH_GC_FREEZE", "1") == "1")


@app.get("/")
async def hello(request: Any, reply: Any) -> dict[str, str]:
    return {"hello": "world"}
