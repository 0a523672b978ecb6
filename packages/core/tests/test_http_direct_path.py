"""Routes without hooks take a shorter path through the lifecycle; it must answer alike.

A route with no hooks, logging or timeout is served by ``lesto.entry.asgi_entry``,
which sends JSON payloads itself; any other route goes through ``Route.handle``
and ``flush``. Each payload below is answered by both and must come out the same.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from lesto import Lesto


class Color(enum.StrEnum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


@dataclasses.dataclass
class Point:
    x: int
    y: int


class Row:
    """Mapping-like, as database rows are (asyncpg Record, sqlite3.Row)."""

    def __init__(self, **values: Any) -> None:
        self._values = values

    def keys(self) -> Iterator[str]:
        return iter(self._values)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]


def _numbers() -> Iterator[str]:
    yield "1"
    yield "2"


PAYLOADS = {
    "dict": lambda: {"a": 1},
    "list": lambda: [1, "two"],
    "row": lambda: Row(id=42, name="Ada"),
    "dataclass": lambda: Point(1, 2),
    "decimal": lambda: Decimal("1.50"),
    "tuple": lambda: (1, 2),
    "set": lambda: {3},
    "int": lambda: 7,
    "int enum": lambda: Level.HIGH,
    "str enum": lambda: Color.RED,
    "str": lambda: "héllo",
    "bytes": lambda: b"\x00",
    "memoryview": lambda: memoryview(b"mv"),
    "none": lambda: None,
    "generator": _numbers,
    "exception": lambda: LookupError("hidden"),
}


def serve(payload: Any, *, with_hook: bool) -> Lesto:
    app = Lesto()
    options: dict[str, Any] = {"on_request": lambda request, reply: None} if with_hook else {}
    app.get("/", lambda request, reply: payload(), **options)
    return app


@pytest.mark.parametrize("name", list(PAYLOADS))
async def test_the_direct_path_answers_like_the_full_lifecycle(name: str) -> None:
    direct = await serve(PAYLOADS[name], with_hook=False).inject(url="/")
    full = await serve(PAYLOADS[name], with_hook=True).inject(url="/")
    assert (direct.status_code, direct.raw_payload) == (full.status_code, full.raw_payload)
    assert direct.headers.get("content-type") == full.headers.get("content-type")
    assert direct.headers.get("content-length") == full.headers.get("content-length")


async def test_rows_and_models_are_sent_as_json() -> None:
    app = Lesto()
    app.get("/row", lambda request, reply: Row(id=42, name="Ada"))
    app.get("/point", lambda request, reply: Point(1, 2))
    row = await app.inject(url="/row")
    assert row.headers["content-type"] == "application/json; charset=utf-8"
    assert row.json() == {"id": 42, "name": "Ada"}
    assert (await app.inject(url="/point")).json() == {"x": 1, "y": 2}


async def test_rows_are_converted_alike_however_often_their_type_was_seen() -> None:
    # A type seen once is converted before orjson runs (no callback into Python):
    # the first answer (through orjson's default) and the later ones must not differ,
    # for a row, a list of rows, a list starting with another type, and a mixed list.
    app = Lesto()
    payloads: dict[str, Any] = {
        "/row": lambda: Row(id=1, name="Ada"),
        "/rows": lambda: [Row(id=1, name="Ada"), Row(id=2, name="Bo")],
        "/later-rows": lambda: [1, Row(id=2, name="Bo")],
        "/mixed": lambda: [Row(id=1, name="Ada"), Decimal("1.5"), (1, 2), {3}, "x"],
        "/nested": lambda: {"rows": [Row(id=1, name="Ada")], "at": Decimal("2")},
        "/empty": list,
    }
    for url, payload in payloads.items():
        app.get(url, lambda request, reply, payload=payload: payload())
    first = {url: (await app.inject(url=url)).json() for url in payloads}
    again = {url: (await app.inject(url=url)).json() for url in payloads}
    assert (
        first
        == again
        == {
            "/row": {"id": 1, "name": "Ada"},
            "/rows": [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bo"}],
            "/later-rows": [1, {"id": 2, "name": "Bo"}],
            "/mixed": [{"id": 1, "name": "Ada"}, "1.5", [1, 2], [3], "x"],
            "/nested": {"rows": [{"id": 1, "name": "Ada"}], "at": "2"},
            "/empty": [],
        }
    )


async def test_a_returned_exception_is_an_error_not_a_payload() -> None:
    response = await serve(PAYLOADS["exception"], with_hook=False).inject(url="/")
    assert response.status_code == 500
    assert response.json()["message"] == "Internal Server Error"


async def test_an_object_json_cannot_encode_is_a_500_with_a_code() -> None:
    app = Lesto()
    app.get("/", lambda request, reply: object())
    for _ in range(2):  # the second time, the type's (failing) conversion is known
        response = await app.inject(url="/")
        assert response.status_code == 500
        assert response.json()["code"] == "LST_ERR_FAILED_SERIALIZATION"


async def test_static_and_parametric_routes_answer_after_close_begins_with_503() -> None:
    app = Lesto()
    app.get("/static", lambda request, reply: {"ok": True})
    app.get("/items/:id", lambda request, reply: {"id": request.params["id"]})
    await app.ready()
    assert (await app.inject(url="/static")).status_code == 200
    assert (await app.inject(url="/items/1")).json() == {"id": "1"}
    app._routing.begin_closing()  # what close() does first
    for url in ("/static", "/items/1", "/missing"):
        response = await app.inject(url=url)
        assert response.status_code == 503
        assert response.json()["code"] == "LST_ERR_SERVICE_UNAVAILABLE"
