"""The body scenario's JSON Schema and payload, shared with the harness and Fastify."""

import json
from pathlib import Path
from typing import Any

SPEC: dict[str, Any] = json.loads((Path(__file__).parent / "spec.json").read_text())
BODY_SCHEMA: dict[str, Any] = SPEC["body_schema"]
PAYLOAD: dict[str, Any] = SPEC["payload"]
RESPONSE: dict[str, Any] = SPEC["response"]
