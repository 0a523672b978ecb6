"""Boot one framework's app in this fresh process and print the timings as JSON.

    python bench/apps/boot/measure.py lesto

Phases, each in ms: `import_ms` (the framework and the app module), `build_ms` (100
plugins or routers of 10 routes each), `ready_ms` (the ASGI lifespan startup: Lesto's
`ready()`), `first_ms` (the first request, `GET /p99/r9`, through the ASGI callable).
"""

import time

STARTED = time.perf_counter()

import asyncio  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

PLUGINS = 100
ROUTES = 10
FIRST_PATH = f"/p{PLUGINS - 1}/r{ROUTES - 1}"
EXPECTED = {"p": PLUGINS - 1, "r": ROUTES - 1}


async def lifespan_startup(app: Any) -> Any:
    """Send `lifespan.startup`; returns the task running the lifespan (left waiting)."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    done: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def receive() -> dict[str, Any]:
        return await inbox.get()

    async def send(message: dict[str, Any]) -> None:
        if message["type"].startswith("lifespan.startup") and not done.done():
            done.set_result(message["type"] + " " + str(message.get("message", "")))

    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    task = asyncio.create_task(app(scope, receive, send))
    await inbox.put({"type": "lifespan.startup"})
    outcome = await done
    if not outcome.startswith("lifespan.startup.complete"):
        raise RuntimeError(outcome)
    return task


async def get(app: Any, path: str) -> tuple[int, bytes]:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
        "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
        "query_string": b"", "root_path": "", "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000), "state": {},
    }  # fmt: skip
    status = 0
    body = b""

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, body
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body += message.get("body", b"")

    await app(scope, receive, send)
    return status, body


async def boot(framework: str) -> dict[str, float]:
    begin = time.perf_counter()
    module = importlib.import_module(f"apps.boot.{framework}_app")
    imported = time.perf_counter()
    app = module.build(PLUGINS, ROUTES)
    built = time.perf_counter()
    await lifespan_startup(app)
    ready = time.perf_counter()
    status, body = await get(app, FIRST_PATH)
    first = time.perf_counter()
    if status != 200 or json.loads(body) != EXPECTED:
        raise RuntimeError(f"GET {FIRST_PATH} -> {status} {body[:120]!r}, expected {EXPECTED}")
    return {
        "import_ms": (imported - begin) * 1000,
        "build_ms": (built - imported) * 1000,
        "ready_ms": (ready - built) * 1000,
        "first_ms": (first - ready) * 1000,
        "app_ms": (first - imported) * 1000,
        "in_process_ms": (first - STARTED) * 1000,
    }


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    print(json.dumps(asyncio.run(boot(sys.argv[1]))))


if __name__ == "__main__":
    main()
