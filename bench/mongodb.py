"""lesto-mongodb timings: failing on an unreachable server, closing after a crash, JSON replies.

    hatch run python bench/mongodb.py

Starts its own MongoDB-wire server through lesto-testing (mongod if on
PATH, else SecantusDB), so it needs nothing running. Prints one line per
measurement; see bench/README.md for recorded results.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
import timeit
from datetime import UTC, datetime
from typing import Any

import bson
import lesto_mongodb
import lesto_testing
import orjson
from bson import ObjectId
from bson.codec_options import CodecOptions
from lesto import Lesto
from lesto.schema import compile_serializer, default_serializer
from lesto_mongodb._json import register_encoders

DRIVERS = ("pymongo", "motor")


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def time_to_fail(driver: str, plugin_timeout: float) -> tuple[float, str]:
    app = Lesto(plugin_timeout=plugin_timeout)
    app.register(lesto_mongodb.plugin, url=f"mongodb://127.0.0.1:{unused_port()}/x", driver=driver)
    started = time.perf_counter()
    try:
        await app.ready()
    except Exception as exc:
        return time.perf_counter() - started, getattr(exc, "code", type(exc).__name__)
    finally:
        await app.close()
    raise AssertionError("ready() should have failed")


async def close_after_kill(service: Any, driver: str, force_close: bool) -> float:
    app = Lesto()
    app.register(
        lesto_mongodb.plugin,
        url=service.url.rstrip("/") + "/bench",
        driver=driver,
        force_close=force_close,
        server_selection_timeout_ms=2000,
    )
    await app.ready()
    await app.mongo.db.things.insert_one({"at": datetime.now(UTC)})
    service.kill()
    await asyncio.sleep(1)  # the driver's monitor notices, as it would after a real crash
    started = time.perf_counter()
    await app.close()
    elapsed = time.perf_counter() - started
    service.restart()
    return elapsed


DOC_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "_id": {"type": "string"},
            "name": {"type": "string"},
            "created": {"type": "string"},
            "visits": {"type": "array", "items": {"type": "string"}},
        },
    },
}


def json_encoder_costs() -> None:
    """Core's reply serializers on 100 documents, with the plugin's encoders registered."""
    register_encoders()
    oid, now = ObjectId(), datetime.now(UTC)  # tz-aware, as the plugin's clients return them
    docs = [
        {"_id": oid, "name": f"user {n}", "created": now, "visits": [now] * 3} for n in range(100)
    ]
    plain = [{"_id": str(oid), "name": f"user {n}", "n": n, "tags": ["a", "b"]} for n in range(100)]
    with_schema = compile_serializer(DOC_SCHEMA)
    runs = 200
    for label, payload in (("100 BSON documents", docs), ("100 plain documents", plain)):
        for name, serialize in (("no schema", default_serializer), ("schema", with_schema)):
            seconds = min(timeit.repeat(lambda s=serialize, p=payload: s(p), number=runs, repeat=5))
            print(f"reply serializer ({name}), {label}: {seconds / runs * 1e6:.0f} us per reply")
        dumped = min(
            timeit.repeat(lambda p=payload: orjson.dumps(p, default=str), number=runs, repeat=5)
        )
        print(f"  orjson.dumps(default=str) of the same, for scale: {dumped / runs * 1e6:.0f} us")
    # What tz_aware=True (the plugin's default) costs PyMongo when it reads the same documents.
    raw = [bson.encode(doc) for doc in docs]
    for name, options in (("naive", CodecOptions()), ("tz_aware", CodecOptions(tz_aware=True))):
        seconds = min(
            timeit.repeat(lambda o=options: [bson.decode(r, o) for r in raw], number=runs, repeat=5)
        )
        print(f"decoding 100 BSON documents, {name}: {seconds / runs * 1e6:.0f} us")


async def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f}")
    for driver in DRIVERS:
        for plugin_timeout in (10.0, 2.0):
            elapsed, code = await time_to_fail(driver, plugin_timeout)
            label = f"unreachable, {driver}, plugin_timeout={plugin_timeout:g}"
            print(f"{label}: {code} after {elapsed:.2f} s")
    with lesto_testing.start("mongodb") as service:
        print(f"server: {service.backend} {service.version}")
        for driver in DRIVERS:
            for force_close in (False, True):
                elapsed = await close_after_kill(service, driver, force_close)
                label = f"close after a server crash, {driver}, force_close={force_close}"
                print(f"{label}: {elapsed:.2f} s")
    json_encoder_costs()


if __name__ == "__main__":
    asyncio.run(main())
