"""Hand-written ASGI app; with BENCH_LOG=1 it writes two pino-like JSON lines per request
(incoming request, request completed) to stdout with orjson, as the frameworks do."""

import itertools
import os
import socket
import sys
import time
from typing import Any

import orjson

from apps.bare import json_start
from apps.logging import LOG

BASE = {"pid": os.getpid(), "hostname": socket.gethostname()}
ids = itertools.count(1)
out = sys.stdout


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    if LOG:
        start = time.perf_counter()
        req_id = f"req-{next(ids)}"
        client = scope.get("client") or ("", 0)
        line = {
            "level": 30, "time": int(time.time() * 1000), **BASE, "reqId": req_id,
            "req": {"method": scope["method"], "url": scope["path"],
                    "remoteAddress": client[0], "remotePort": client[1]},
            "msg": "incoming request",
        }  # fmt: skip
        out.write(orjson.dumps(line).decode() + "\n")
    status = 200 if scope["path"] == "/" and scope["method"] == "GET" else 404
    body = orjson.dumps({"hello": "world"}) if status == 200 else b""
    await send(json_start(status, body))
    await send({"type": "http.response.body", "body": body})
    if LOG:
        line = {
            "level": 30, "time": int(time.time() * 1000), **BASE, "reqId": req_id,
            "res": {"statusCode": status},
            "responseTime": (time.perf_counter() - start) * 1000,
            "msg": "request completed",
        }  # fmt: skip
        out.write(orjson.dumps(line).decode() + "\n")
