from typing import Any

from blacksheep import Application, json

from apps.routes import paths

app = Application()


def handler_of(label: str) -> Any:
    async def handler(id: int) -> Any:
        return json({"route": label, "id": id})

    return handler


for label, path in paths("<int>"):
    app.router.add_get(path, handler_of(label))
