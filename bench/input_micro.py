"""Micro-benchmarks of the request-input modules, side by side in one run.

    hatch run python bench/input_micro.py

- ``parse_query`` against ``urllib.parse.parse_qs(..., keep_blank_values=True)``
  on the same query strings (the ASGI ``scope["query_string"]`` bytes, so both
  include the decode from bytes);
- ``ContentTypeParsers.get`` on a cached header value and on a cold lookup;
- ``Headers`` built from a typical browser header list and read once;
- ``read_body`` with a single-message body.

Prints nanoseconds per call (best of several repeats) and the ratios.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import timeit
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import parse_qs

from lesto.body import read_body
from lesto.content_types import ContentTypeParsers
from lesto.headers import Headers
from lesto.querystring import parse_query

QUERIES: dict[str, bytes] = {
    "empty": b"",
    "short": b"page=2&limit=20&sort=name",
    "encoded": b"q=hello+world&tag=caf%C3%A9&tag=cr%C3%A8me&next=%2Fusers%3Fid%3D1",
    "50 params": b"&".join(b"key%d=value%d" % (i, i) for i in range(50)),
}

HEADERS = [
    (b"host", b"localhost:8000"),
    (b"user-agent", b"Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"),
    (b"accept", b"application/json"),
    (b"accept-language", b"en-US,en;q=0.5"),
    (b"accept-encoding", b"gzip, deflate, br"),
    (b"content-type", b"application/json; charset=utf-8"),
    (b"content-length", b"27"),
    (b"connection", b"keep-alive"),
    (b"cookie", b"session=abc123; theme=dark"),
]


def best_ns(fn: Callable[[], Any], number: int) -> float:
    """Nanoseconds per call: the best of 7 repeats of ``number`` calls."""
    return min(timeit.repeat(fn, number=number, repeat=7)) / number * 1e9


def stdlib_parse(qs: bytes) -> dict[str, list[str]]:
    """What an app does with the standard library: decode, then ``parse_qs``."""
    return parse_qs(qs.decode(), keep_blank_values=True)


def bench_querystring() -> None:
    print("parse_query vs urllib.parse.parse_qs (ns per call)")
    print(f"  {'query':<12}{'lesto':>10}{'parse_qs':>10}{'speed-up':>10}")
    for name, qs in QUERIES.items():
        ours = best_ns(partial(parse_query, qs), 20_000)
        theirs = best_ns(partial(stdlib_parse, qs), 20_000)
        print(f"  {name:<12}{ours:>10.0f}{theirs:>10.0f}{theirs / ours:>9.1f}x")


def bench_content_types() -> None:
    parsers = ContentTypeParsers()
    parsers.add(["application/xml", "text/xml"], lambda request, body: body)
    parsers.add(re.compile(r"^image/"), lambda request, body: body)
    header = "application/json; charset=utf-8"
    parsers.get(header)
    cached = best_ns(lambda: parsers.get(header), 200_000)

    def cold() -> Any:
        parsers._cache.clear()
        return parsers.get("image/png; q=1")

    uncached = best_ns(cold, 50_000)
    child = best_ns(parsers.copy, 200_000)
    print("ContentTypeParsers (ns per call)")
    print(f"  get, cached header value      {cached:>8.0f}")
    print(f"  get, cold (regex match)       {uncached:>8.0f}")
    print(f"  copy() for a child context    {child:>8.0f}")


def bench_headers() -> None:
    build_and_read = best_ns(lambda: Headers(HEADERS)["content-type"], 100_000)
    only_build = best_ns(lambda: Headers(HEADERS), 200_000)
    headers = Headers(HEADERS)
    headers.get("host")
    warm = best_ns(lambda: headers["Content-Type"], 200_000)
    print("Headers, 9 browser headers (ns per call)")
    print(f"  construct only                {only_build:>8.0f}")
    print(f"  construct + first lookup      {build_and_read:>8.0f}")
    print(f"  later lookup, mixed case      {warm:>8.0f}")


def bench_body() -> None:
    message = {"type": "http.request", "body": b'{"hello": "world"}', "more_body": False}

    async def receive() -> dict[str, Any]:
        return message

    async def many(n: int) -> None:
        for _ in range(n):
            await read_body(receive, limit=1 << 20, content_length=18)

    n = 200_000
    loop = asyncio.new_event_loop()
    try:
        seconds = min(timeit.repeat(lambda: loop.run_until_complete(many(n)), number=1, repeat=5))
    finally:
        loop.close()
    print("read_body, one http.request message (ns per call)")
    print(f"  read_body                     {seconds / n * 1e9:>8.0f}")


def main() -> None:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"Python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} CPUs, load {load}")
    bench_querystring()
    bench_content_types()
    bench_headers()
    bench_body()


if __name__ == "__main__":
    main()
