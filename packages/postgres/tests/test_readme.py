"""Every Python example in the README runs as written, against a fresh database."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
#: The URL the examples show (the seed's); each run gets its own database instead.
SHOWN_URL = "postgresql://postgres@localhost/postgres"


def test_the_readme_has_examples():
    assert len(EXAMPLES) >= 7


@pytest.mark.parametrize("source", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
async def test_readme_example_runs(source: str, postgres_url: str):
    code = compile(source.replace(SHOWN_URL, postgres_url), str(README), "exec")
    # Examples call asyncio.run(), which needs a thread without a running loop.
    await asyncio.to_thread(exec, code, {"__name__": "readme_example"})
