"""Raw ASGI requests with arbitrary bytes, and the checks every answer must pass.

:func:`call` drives the application exactly as a server would (any path,
header or body bytes, bodies in chunks), with no client library normalising
the input. :func:`check_response` asserts the properties of the fuzzing
suite: one well-formed HTTP response, and for client-caused input a 4xx
whose JSON body carries a code from Lesto's error catalogue.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import orjson
from lesto import errors

__all__ = ["CATALOGUE", "Answer", "Probe", "check_response"]

#: Every error code core declares (``lesto.errors``).
CATALOGUE = frozenset(name for name in dir(errors) if name.startswith("LST_ERR_"))

_FORBIDDEN_IN_HEADERS = (b"\r", b"\n", b"\x00")


@dataclass
class Answer:
    """What the application sent for one request."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    messages: list[Mapping[str, Any]] = field(repr=False)

    def header(self, name: bytes) -> bytes | None:
        """The first value of header ``name`` (lower-case), or None."""
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None

    def json(self) -> Any:
        """The body parsed as JSON."""
        return orjson.loads(self.body)


def _scope(
    method: str, raw_path: bytes, headers: Sequence[tuple[bytes, bytes]], client: str
) -> dict[str, Any]:
    path_bytes, _, query = raw_path.partition(b"?")
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path_bytes.decode("latin-1"),
        "raw_path": raw_path,
        "query_string": query,
        "root_path": "",
        "headers": list(headers),
        "client": (client, 50000),
        "server": ("127.0.0.1", 3000),
    }


class Probe:
    """Runs raw ASGI requests against one readied application on a private event loop."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._runner = asyncio.Runner()
        self._runner.run(app.ready())

    def close(self) -> None:
        """Close the application and the loop."""
        self._runner.run(self.app.close())
        self._runner.close()

    def call(
        self,
        method: str,
        raw_path: bytes,
        headers: Iterable[tuple[bytes, bytes]] = (),
        chunks: Sequence[bytes] = (),
        client: str = "127.0.0.1",
    ) -> Answer:
        """Serve one request and return what was sent (at most 10 s)."""
        scope = _scope(method, raw_path, list(headers), client)
        return self._runner.run(asyncio.wait_for(self._serve(scope, chunks), 10))

    async def _serve(self, scope: dict[str, Any], chunks: Sequence[bytes]) -> Answer:
        pending = [
            {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
            for index, chunk in enumerate(chunks)
        ] or [{"type": "http.request", "body": b"", "more_body": False}]
        sent: list[Mapping[str, Any]] = []
        done = asyncio.Event()

        async def receive() -> Mapping[str, Any]:
            if pending:
                return pending.pop(0)
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message: Mapping[str, Any]) -> None:
            sent.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                done.set()

        await self.app(scope, receive, send)
        return _answer(sent)


def _answer(sent: list[Mapping[str, Any]]) -> Answer:
    """Check the ASGI message sequence and assemble the response."""
    assert sent, "the application sent nothing"
    start, *bodies = sent
    assert start["type"] == "http.response.start", sent
    assert bodies, "no http.response.body message"
    for index, message in enumerate(bodies):
        assert message["type"] == "http.response.body", message
        last = index == len(bodies) - 1
        assert bool(message.get("more_body", False)) is not last, "body not terminated once"
    headers = [(bytes(k), bytes(v)) for k, v in start.get("headers", [])]
    body = b"".join(bytes(m.get("body", b"")) for m in bodies)
    return Answer(int(start["status"]), headers, body, sent)


def check_response(answer: Answer, *, method: str = "GET", client_input: bool = True) -> None:
    """Assert the suite's properties for one answer.

    - a valid status and header block (token names, no CR/LF/NUL in values);
    - a ``Content-Length`` that matches the body, no body for HEAD;
    - for client-caused input (``client_input``): never 5xx;
    - every error (4xx/5xx) is Lesto's JSON error with a catalogued code,
      whose ``statusCode`` matches the status.
    """
    assert 100 <= answer.status <= 599, answer.status
    for name, value in answer.headers:
        assert name, name
        assert name == name.strip(), name
        assert b":" not in name, name
        assert not any(bad in name or bad in value for bad in _FORBIDDEN_IN_HEADERS), (name, value)
    length = answer.header(b"content-length")
    if method == "HEAD":
        assert answer.body == b""
    elif length is not None:
        assert int(length) == len(answer.body), (length, len(answer.body))
    if client_input:
        assert answer.status < 500, (answer.status, answer.body[:500])
    if answer.status >= 400:
        check_error_body(answer, method)


def check_error_body(answer: Answer, method: str) -> None:
    """An error answer is ``{"statusCode", "code", "error", "message"}`` with a known code."""
    if method == "HEAD":
        return
    payload = answer.json()
    assert payload["statusCode"] == answer.status, payload
    assert payload["error"] == HTTPStatus(answer.status).phrase, payload
    assert isinstance(payload["message"], str), payload
    if answer.status < 500:
        assert payload.get("code") in CATALOGUE, payload
