"""The README's examples run as written, against a real server instead of localhost."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).parent.parent / "README.md"
EXAMPLES = [
    block
    for block in re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    if "import lesto_mongodb" in block
]


@pytest.mark.parametrize("source", EXAMPLES, ids=lambda s: s.split("\n")[0][:30])
async def test_readme_example_starts_and_closes(source: str, mongodb_url: str) -> None:
    namespace: dict[str, Any] = {}
    exec(re.sub(r'"mongodb://[^"]+"', repr(mongodb_url), source), namespace)
    app = namespace["app"]
    try:
        await app.ready()
        assert app.mongo.database_name == mongodb_url.rsplit("/", 1)[1]
    finally:
        await app.close()


def test_every_example_is_collected() -> None:
    assert len(EXAMPLES) == 3
