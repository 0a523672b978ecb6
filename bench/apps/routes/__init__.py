"""Scenario `routes`: BENCH_ROUTES routes (default 1,000) `GET /r<i>/items/:id`; the measured
route `GET /target/items/:id` is registered tenth from the end."""

import os

COUNT = int(os.environ.get("BENCH_ROUTES", "1000"))
# Route indexes in registration order; the measured route takes index TARGET_INDEX.
TARGET_INDEX = max(COUNT - 10, 0)


def paths(style: str) -> list[tuple[str, str]]:
    """(label, path) of every route in registration order; `style` is the parameter syntax:
    `:` (`:id`), `{}` (`{id}`), `{int}` (`{id:int}`: Starlette, Litestar) or `<int>`
    (`{int:id}`: BlackSheep)."""
    param = {":": ":id", "{}": "{id}", "{int}": "{id:int}", "<int>": "{int:id}"}[style]
    routes = [(str(i), f"/r{i}/items/{param}") for i in range(COUNT - 1)]
    routes.insert(TARGET_INDEX, ("target", f"/target/items/{param}"))
    return routes
