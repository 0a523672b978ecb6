"""BlackSheep: the body is bound with `FromJSON` and validated by the pydantic model `UserIn`."""

from typing import Any

from blacksheep import Application, FromJSON

from apps.body.models import UserIn

app = Application()


@app.router.post("/users")
async def create_user(user: FromJSON[UserIn]) -> dict[str, Any]:
    return {"ok": True, "id": user.value.id}
