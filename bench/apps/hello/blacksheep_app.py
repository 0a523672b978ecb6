from typing import Any

from blacksheep import Application

app = Application()


@app.router.get("/")
async def hello() -> dict[str, Any]:
    return {"hello": "world"}
