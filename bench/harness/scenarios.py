"""What each scenario requests and the exact answer a server must give before it is measured."""

from dataclasses import dataclass, field
from typing import Any

import orjson
from apps.body.spec import PAYLOAD, RESPONSE


@dataclass(frozen=True)
class Probe:
    """One request, and for the measured one the exact JSON it must answer with."""

    method: str
    path: str
    body: bytes | None = None
    json: Any = None


@dataclass(frozen=True)
class Scenario:
    name: str
    summary: str
    method: str
    path: str
    expected: Any
    body: bytes | None = None
    # Requests that must get a 4xx: a server that skips validation cannot post a number.
    rejects: tuple[Probe, ...] = field(default_factory=tuple)

    @property
    def probe(self) -> Probe:
        return Probe(self.method, self.path, self.body, self.expected)


def _with(payload: dict[str, Any], **changes: Any) -> bytes:
    return orjson.dumps({**payload, **changes})


HELLO = Scenario(
    name="hello",
    summary='GET / answers {"hello": "world"}',
    method="GET",
    path="/",
    expected={"hello": "world"},
)

PARAMS = Scenario(
    name="params",
    summary=(
        "GET /users/42?fields=name,email: integer path param, required query string, "
        "response schema that drops `password`"
    ),
    method="GET",
    path="/users/42?fields=name,email",
    expected={"id": 42, "name": "User 42", "email": "user42@example.com", "fields": "name,email"},
    rejects=(
        Probe("GET", "/users/abc?fields=name"),
        Probe("GET", "/users/42"),
    ),
)

BODY = Scenario(
    name="body",
    summary="POST /users with a 20-property JSON body checked against a schema",
    method="POST",
    path="/users",
    body=orjson.dumps(PAYLOAD),
    expected=RESPONSE,
    rejects=(
        Probe("POST", "/users", body=_with(PAYLOAD, age="old")),
        Probe("POST", "/users", body=orjson.dumps({"id": 1})),
    ),
)

SCENARIOS: dict[str, Scenario] = {s.name: s for s in (HELLO, PARAMS, BODY)}
