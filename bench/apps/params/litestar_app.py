"""Litestar: typed path and query params, a msgspec Struct with a DTO that drops `password`."""

import msgspec
from litestar import Litestar, get
from litestar.dto import DTOConfig, MsgspecDTO


class User(msgspec.Struct):
    id: int
    name: str
    email: str
    fields: str
    password: str


class UserOut(MsgspecDTO[User]):
    config = DTOConfig(exclude={"password"})


def load_user(user_id: int, fields: str) -> User:
    return User(
        id=user_id,
        name=f"User {user_id}",
        email=f"user{user_id}@example.com",
        fields=fields,
        password="s3cret",
    )


@get("/users/{id:int}", return_dto=UserOut)
async def get_user(id: int, fields: str) -> User:
    return load_user(id, fields)


app = Litestar(route_handlers=[get_user], openapi_config=None)
