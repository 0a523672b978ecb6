"""``gc_freeze``: the objects alive when a server starts serving are frozen (lesto.gc_freeze)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from typing import Any

import pytest
from lesto import Lesto


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    """Each test starts and ends with nothing frozen (freezing is process-wide)."""
    gc.unfreeze()
    yield
    gc.unfreeze()


async def start_with_lifespan(app: Lesto) -> list[str]:
    messages: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    messages.put_nowait({"type": "lifespan.startup"})
    messages.put_nowait({"type": "lifespan.shutdown"})
    sent: list[str] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message["type"])

    await app({"type": "lifespan", "asgi": {"version": "3.0"}}, messages.get, send)
    return sent


async def test_lifespan_startup_freezes_what_the_app_holds() -> None:
    app = Lesto()
    app.get("/", lambda request, reply: {"ok": True})
    sent = await start_with_lifespan(app)
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert gc.get_freeze_count() > 0
    # the app's own objects are among the frozen ones: collections no longer see them
    assert not any(obj is app for obj in gc.get_objects())


async def test_listen_freezes_too() -> None:
    app = Lesto()
    await app.listen()
    try:
        assert gc.get_freeze_count() > 0
    finally:
        await app.close()


async def test_gc_freeze_false_leaves_the_collector_alone() -> None:
    app = Lesto(gc_freeze=False)
    await start_with_lifespan(app)
    assert gc.get_freeze_count() == 0


async def test_ready_and_inject_do_not_freeze() -> None:
    """Tests and scripts that only inject never start serving."""
    app = Lesto()
    app.get("/", lambda request, reply: {"ok": True})
    assert (await app.inject(url="/")).status_code == 200
    assert gc.get_freeze_count() == 0


async def test_garbage_made_before_serving_is_collected_not_frozen() -> None:
    class Node:
        def __init__(self) -> None:
            self.me = self

    Node()  # a reference cycle: garbage only the collector frees
    app = Lesto()
    await start_with_lifespan(app)
    gc.unfreeze()  # what was frozen is listed again
    assert not any(type(obj) is Node for obj in gc.get_objects())


def test_gc_freeze_must_be_a_bool() -> None:
    from lesto import errors

    with pytest.raises(errors.LST_ERR_INIT_OPTS_INVALID, match="gc_freeze"):
        Lesto(gc_freeze="yes")
