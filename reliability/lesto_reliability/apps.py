"""Small Lesto applications the reliability tests run against.

``fuzz_app`` exercises every request-input module at once: a mixed route
tree (static, parametric, multi-parameter, regex, optional, wildcard,
constraints), JSON and text bodies, custom content-type parsers (string,
list, regex, catch-all), schema coercion of every part, and the headers and
proxy-aware request properties.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from lesto import Lesto

__all__ = ["ROUTE_PATHS", "fuzz_app"]

#: The route tree of :func:`fuzz_app` (GET unless noted), for the router fuzzing.
ROUTE_PATHS = (
    "/",
    "/static/a",
    "/static/a/b",
    "/static/:id",
    "/static/:id/edit",
    "/geo/:lat-:lng",
    "/files/*",
    "/img/:name(^\\d+).png",
    "/opt/:maybe?",
    "/colon/a::b",
    "/users/{user}/posts/{post}",
    "/deep/:a/:b/:c/:d/:e",
    "/encoded/caf%C3%A9",
)

_COERCED = {
    "type": "object",
    "properties": {
        "n": {"type": "integer"},
        "x": {"type": "number", "minimum": -1e300},
        "flag": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 50},
        "nested": {
            "type": "object",
            "properties": {"deep": {"type": "array", "items": {"type": "integer"}}},
        },
        "either": {"oneOf": [{"type": "integer"}, {"type": "string", "maxLength": 5}]},
        "nullable": {"type": ["null", "string"]},
        "when": {"type": "string", "format": "date-time"},
        "email": {"type": "string", "format": "email"},
        "pattern": {"type": "string", "pattern": "^[a-z]+$"},
    },
    "additionalProperties": False,
}


def _echo(request: Any, reply: Any) -> dict[str, Any]:
    return {"params": request.params, "query": request.query}


def _body(request: Any, reply: Any) -> dict[str, Any]:
    return {"body": request.body}


def _who(request: Any, reply: Any) -> dict[str, Any]:
    return {
        "ip": request.ip,
        "ips": request.ips,
        "host": request.host,
        "hostname": request.hostname,
        "port": request.port,
        "protocol": request.protocol,
        "headers": dict(request.headers),
        "agents": request.headers.getlist("user-agent"),
    }


def _reflect(request: Any, reply: Any) -> str:
    """Sets reply headers from user input (CR/LF must be refused, never sent)."""
    for key, value in request.query.items():
        reply.header(f"x-{key}", value)
    return "ok"


def fuzz_app(**options: Any) -> Lesto:
    """The application every fuzz test targets."""
    app = Lesto(body_limit=4096, **options)
    for path in ROUTE_PATHS:
        app.get(path, _echo)
    app.get("/v", lambda request, reply: "v1", constraints={"version": "1.2.0"})
    app.get("/v", lambda request, reply: "v2", constraints={"version": "2.0.0"})
    app.get("/site", lambda request, reply: "api", constraints={"host": re.compile(r"^api\.")})
    app.get("/site", lambda request, reply: "www")
    app.get("/who", _who)
    app.get("/reflect", _reflect)
    app.post("/body", _body)
    app.put("/body/:id", _body)
    app.post("/coerce/:n", _body, schema={"body": _COERCED, "params": _params_schema()})
    app.get("/coerce", lambda r, p: {"query": r.query}, schema={"querystring": _COERCED})
    app.get(
        "/coerce-headers",
        lambda r, p: {"ok": True},
        schema={"headers": {"type": "object", "properties": {"x-n": {"type": "integer"}}}},
    )
    app.post(
        "/typed",
        _body,
        schema={"response": {200: {"type": "object", "properties": {"body": {}}}}},
    )
    app.add_content_type_parser(
        "application/x-www-form-urlencoded", lambda request, body: body, parse_as="str"
    )
    app.add_content_type_parser(
        ["application/vnd.a+json; version=1", "text/csv"], lambda r, b: len(b)
    )
    app.add_content_type_parser(re.compile(r"^image/(png|jpeg)$"), lambda r, b: len(b))

    def scoped(instance: Any, opts: Any) -> None:
        instance.add_content_type_parser("*", lambda r, b: {"raw": len(b)})
        instance.post("/any", _body)

    app.register(scoped, prefix="/scoped")
    return app


def _params_schema() -> dict[str, Any]:
    return {"type": "object", "properties": {"n": {"type": "integer"}}}


def abuse_app() -> Lesto:
    """The application behind the socket-level abuse tests (``/stats`` tells what is in flight)."""

    app = Lesto(body_limit=64 * 1024)
    state = {"streams_open": 0, "aborted": 0}

    @app.add_hook("on_request_abort")
    def aborted(request: Any) -> None:
        state["aborted"] += 1

    def stats(request: Any, reply: Any) -> dict[str, int]:
        """What is left in the server: tasks alive (a stuck request keeps one), open streams."""
        return dict(state, tasks=len(asyncio.all_tasks()))

    app.get("/health", lambda request, reply: {"ok": True})
    app.get("/stats", stats)
    app.post("/echo", lambda request, reply: {"length": len(request.body or b"")})
    app.add_content_type_parser("application/octet-stream", lambda request, body: body)
    app.get("/reflect", _reflect)
    app.get("/query", lambda request, reply: {"keys": len(request.query)})

    async def slow(request: Any, reply: Any) -> dict[str, bool]:
        await asyncio.sleep(float(request.query.get("s", "0.5")))
        return {"slow": True}

    app.get("/slow", slow)

    async def chunks(count: int) -> Any:
        state["streams_open"] += 1
        try:
            for _ in range(count):
                yield b"x" * 65536
                await asyncio.sleep(0.001)
        finally:
            state["streams_open"] -= 1

    app.get("/stream", lambda request, reply: chunks(int(request.query.get("n", "200"))))
    return app
