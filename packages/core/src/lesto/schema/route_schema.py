"""Normalising and checking a route's ``schema`` option when the route is added.

Parts are ``body``, ``querystring`` (alias ``query``), ``params``, ``headers``
and ``response``. Each must be a full JSON Schema (Fastify v5 dropped the
shorthand): it declares ``type``, or is a ``$ref`` or an ``anyOf``/``oneOf``/
``allOf``. A part may also be a pydantic model, msgspec Struct, TypedDict or
dataclass (see :mod:`lesto.schema.providers`). ``response`` is keyed by
status code, ``"2xx"``-style range or ``"default"``, each optionally split by
content type: ``{200: {"content": {"application/json": {"schema": ...}}}}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lesto import errors

from .providers import TypeProvider, provider_for

__all__ = ["HTTP_PARTS", "RouteSchema", "SchemaPart", "normalize_route_schema"]

HTTP_PARTS = ("body", "querystring", "params", "headers")
"""The request parts a route schema can validate, in Fastify's validation order."""

SchemaPart = dict[str, Any] | TypeProvider
"""A JSON Schema (dict) or a Python type provider."""

_FULL_SCHEMA_KEYS = ("type", "$ref", "anyOf", "oneOf", "allOf")
_TYPES = frozenset({"string", "number", "integer", "boolean", "null", "object", "array"})
_STATUS = re.compile(r"[1-5](?:\d\d|xx)")
_SCHEMA_KEYWORDS = frozenset({"type", "properties", "items", "$ref", "anyOf", "oneOf", "allOf"})


@dataclass(frozen=True, slots=True)
class RouteSchema:
    """A route's schema, normalised: parts by name, responses by status and content type.

    ``response`` maps a status key (``"200"``, ``"2xx"``, ``"default"``) to a
    mapping of content type to schema; the content type ``None`` stands for
    "any" (the status had no ``content`` split).
    """

    body: SchemaPart | None = None
    querystring: SchemaPart | None = None
    params: SchemaPart | None = None
    headers: SchemaPart | None = None
    response: dict[str, dict[str | None, SchemaPart]] = field(default_factory=dict)

    def parts(self) -> dict[str, SchemaPart]:
        """The request parts that have a schema, by name."""
        found = {name: getattr(self, name) for name in HTTP_PARTS}
        return {name: part for name, part in found.items() if part is not None}

    def json_schema(self, part: SchemaPart) -> dict[str, Any]:
        """The JSON Schema of ``part`` (a provider's generated one), for tooling."""
        return part.json_schema if isinstance(part, TypeProvider) else part


def normalize_route_schema(
    schema: Mapping[str, Any] | None, *, method: str, url: str
) -> RouteSchema:
    """Check and normalise a route's ``schema`` option.

    Raises:
        LST_ERR_SCH_DUPLICATE: both ``query`` and ``querystring`` are given.
        LST_ERR_SCH_INVALID: a part is not a full JSON Schema or supported type.
        LST_ERR_SCH_RESPONSE_SCHEMA_NOT_NESTED_2XX: ``response`` is a bare schema.
        LST_ERR_SCH_CONTENT_MISSING_SCHEMA: a ``content`` entry has no ``schema``.
    """
    route = f"{method} {url}"
    if schema is None:
        return RouteSchema()
    if not isinstance(schema, Mapping):
        raise errors.LST_ERR_SCH_INVALID("route", route, "the schema option must be a mapping")
    if "query" in schema and "querystring" in schema:
        raise errors.LST_ERR_SCH_DUPLICATE("querystring")
    parts: dict[str, SchemaPart | None] = {}
    for name in HTTP_PARTS:
        raw = schema.get(name)
        if raw is None and name == "querystring":
            raw = schema.get("query")
        parts[name] = None if raw is None else _part(raw, name, route)
    if isinstance(parts["headers"], dict):
        parts["headers"] = _lowercase_names(parts["headers"])
    response = _responses(schema.get("response"), route)
    return RouteSchema(response=response, **parts)


def _part(raw: Any, name: str, route: str) -> SchemaPart:
    provider = provider_for(raw)
    if provider is not None:
        return provider
    if not isinstance(raw, Mapping):
        raise errors.LST_ERR_SCH_INVALID(
            name, route, f"expected a JSON Schema or a model type, got {raw!r}"
        )
    if not any(key in raw for key in _FULL_SCHEMA_KEYS):
        raise errors.LST_ERR_SCH_INVALID(
            name,
            route,
            "a full JSON Schema with a 'type' is required (shorthand schemas are not supported)",
        )
    declared = raw.get("type")
    names = [declared] if isinstance(declared, str) else declared
    if declared is not None and (
        not isinstance(names, list) or not all(t in _TYPES for t in names)
    ):
        raise errors.LST_ERR_SCH_INVALID(name, route, f"invalid type {declared!r}")
    return dict(raw)


def _lowercase_names(schema: dict[str, Any]) -> dict[str, Any]:
    """A headers schema with its property and required names lower-cased.

    Header names are case-insensitive and ``request.headers`` reads them
    lower-cased, so ``"X-Token"`` in the schema matches an ``x-token`` header
    (as in Fastify).
    """
    props = schema.get("properties")
    if isinstance(props, Mapping):
        schema["properties"] = {str(key).lower(): value for key, value in props.items()}
    required = schema.get("required")
    if isinstance(required, list):
        schema["required"] = [str(key).lower() for key in required]
    return schema


def _responses(raw: Any, route: str) -> dict[str, dict[str | None, SchemaPart]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise errors.LST_ERR_SCH_INVALID("response", route, "expected a mapping of status codes")
    if any(isinstance(key, str) and key in _SCHEMA_KEYWORDS for key in raw):
        raise errors.LST_ERR_SCH_RESPONSE_SCHEMA_NOT_NESTED_2XX()
    table: dict[str, dict[str | None, SchemaPart]] = {}
    for key, value in raw.items():
        status = _status_key(key, route)
        label = f"response[{status}]"
        content = value.get("content") if isinstance(value, Mapping) else None
        if isinstance(content, Mapping):
            table[status] = {}
            for media_type, entry in content.items():
                if not isinstance(entry, Mapping) or entry.get("schema") is None:
                    raise errors.LST_ERR_SCH_CONTENT_MISSING_SCHEMA(media_type)
                table[status][str(media_type).strip().lower()] = _part(
                    entry["schema"], label, route
                )
        else:
            table[status] = {None: _part(value, label, route)}
    return table


def _status_key(key: Any, route: str) -> str:
    text = str(key).lower() if isinstance(key, int | str) and not isinstance(key, bool) else ""
    if text == "default" or _STATUS.fullmatch(text):
        return text
    raise errors.LST_ERR_SCH_INVALID("response", route, f"invalid status code key {key!r}")
