from typing import Any

from lesto import Lesto

from apps.hooks import HOOKS

app = Lesto()
app.decorate_request("hits", 0)


async def count(request: Any, reply: Any) -> None:
    request.hits += 1


for _ in range(HOOKS):
    app.add_hook("on_request", count)
    app.add_hook("pre_handler", count)


@app.get("/")
async def hello(request: Any, reply: Any) -> dict[str, int]:
    return {"hits": request.hits}
