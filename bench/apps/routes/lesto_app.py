from typing import Any

from lesto import Lesto

from apps.routes import paths

SCHEMA = {
    "params": {
        "type": "object",
        "properties": {"id": {"type": "integer"}},
        "required": ["id"],
    }
}

app = Lesto()


def handler_of(label: str) -> Any:
    async def handler(request: Any, reply: Any) -> dict[str, Any]:
        return {"route": label, "id": request.params["id"]}

    return handler


for label, path in paths(":"):
    app.get(path, handler_of(label), schema=SCHEMA)
