"""BlackSheep: typed path param and `FromQuery`; no response schema, so filtering is by hand."""

from typing import Any

from blacksheep import Application, FromQuery

app = Application()

PUBLIC_FIELDS = ("id", "name", "email", "fields")


def load_user(user_id: int, fields: str) -> dict[str, Any]:
    return {
        "id": user_id,
        "name": f"User {user_id}",
        "email": f"user{user_id}@example.com",
        "fields": fields,
        "password": "s3cret",
    }


@app.router.get("/users/{id}")
async def get_user(id: int, fields: FromQuery[str]) -> dict[str, Any]:
    user = load_user(id, fields.value)
    return {key: user[key] for key in PUBLIC_FIELDS}
