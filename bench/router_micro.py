"""Micro-benchmark of ``Router.find`` over a tree of about 1,000 routes.

    hatch run python bench/router_micro.py

The tree mixes the shapes a real API has: 500 static routes, 250 with one
parameter, 150 with three, 50 multi-parameter/regex segments and 50
wildcards, spread over 50 resources. Each case looks up one URL many times
and prints nanoseconds per call (best of several repeats). No peers.
"""

from __future__ import annotations

import sys
import timeit

from lesto.router import Router

RESOURCES = [f"res{i}" for i in range(50)]

CASES = {
    "static": "/api/res25/list5",
    "static, not found": "/api/res25/missing/x/y",
    "1 param": "/api/res25/items/12345",
    "3 params": "/api/res25/12/sub1/34/leaf/56",
    "regex + multi param": "/api/res25/geo/12.5-7.25",
    "wildcard": "/files/res25/some/deep/file.txt",
    "percent-encoded param": "/api/res25/items/caf%C3%A9%2F1",
}


def build() -> Router[str]:
    router: Router[str] = Router()
    for name in RESOURCES:
        for index in range(10):
            router.on("GET", f"/api/{name}/list{index}", "static")
        for index in range(5):
            router.on("GET", f"/api/{name}/items{index or ''}/:id", "1 param")
        for index in range(3):
            router.on("GET", f"/api/{name}/:a/sub{index}/:b/leaf/:c", "3 params")
        router.on("GET", f"/api/{name}/geo/:lat(^[\\d.]+)-:lng", "multi")
        router.on("GET", f"/files/{name}/*", "wildcard")
    return router


def per_call_ns(router: Router[str], path: str, number: int = 200_000) -> float:
    timer = timeit.Timer(lambda: router.find("GET", path))
    best = min(timer.repeat(repeat=5, number=number))
    return best / number * 1e9


def main() -> int:
    router = build()
    count = sum(1 for _ in router.routes())
    print(f"Router.find over {count} routes (Python {sys.version.split()[0]})")
    print(f"{'case':<24} {'ns/call':>8}  result")
    for case, path in CASES.items():
        result = router.find("GET", path)
        print(f"{case:<24} {per_call_ns(router, path):8.0f}  {result}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
