"""The README's main example runs as written, against the test's Redis."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

README = Path(__file__).parent.parent / "README.md"


def _first_example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)
    return str(blocks[0])


async def test_main_example(redis_url: str) -> None:
    source = _first_example()
    assert 'host="127.0.0.1"' in source
    namespace: dict[str, Any] = {}
    exec(source.replace('host="127.0.0.1"', f"url={redis_url!r}"), namespace)
    app = namespace["app"]
    res = await app.inject(method="POST", url="/foo", payload={"key": "a", "value": "b"})
    assert res.json() == {"status": "ok"}
    res = await app.inject(method="GET", url="/foo?key=a")
    assert res.raw_payload == b"b"
    res = await app.inject(method="GET", url="/foo?key=missing")
    assert res.status_code == 200
    assert res.raw_payload == b""
    await app.close()
