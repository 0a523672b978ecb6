"""The pluggable compiler interface and the default compilers.

A *validator compiler* and a *serializer compiler* take a
:class:`RouteSchemaDef` (``{"schema", "method", "url", "http_part"}``, plus
``"http_status"`` for responses, like Fastify) and return the compiled
function. ``set_validator_compiler``/``set_serializer_compiler`` swap them per
context or per route; the defaults are made per context from its
:class:`~lesto.schema.store.SchemaStore`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

from .providers import TypeProvider
from .route_schema import HTTP_PARTS, RouteSchema
from .serializer import Serializer, compile_serializer
from .store import SchemaStore
from .validator import Validator, compile_validator

__all__ = [
    "ResponseSerializers",
    "RouteSchemaDef",
    "RouteValidators",
    "SerializerCompiler",
    "ValidatorCompiler",
    "compile_response_serializers",
    "compile_route_validators",
    "default_serializer_compiler",
    "default_validator_compiler",
]


class RouteSchemaDef(TypedDict):
    """What a compiler is given: one schema part of one route."""

    schema: Any
    method: str
    url: str
    http_part: str
    http_status: NotRequired[str]
    content_type: NotRequired[str | None]


ValidatorCompiler = Callable[[RouteSchemaDef], Validator]
SerializerCompiler = Callable[[RouteSchemaDef], Serializer]


def default_validator_compiler(
    store: SchemaStore, *, all_errors: bool = False
) -> ValidatorCompiler:
    """The default validator compiler of a context whose shared schemas are ``store``."""

    def compiler(definition: RouteSchemaDef) -> Validator:
        schema = definition["schema"]
        if isinstance(schema, TypeProvider):
            return schema.validator(definition["http_part"])
        return compile_validator(
            schema,
            store=store,
            http_part=definition["http_part"],
            method=definition["method"],
            url=definition["url"],
            all_errors=all_errors,
        )

    return compiler


def default_serializer_compiler(store: SchemaStore) -> SerializerCompiler:
    """The default serializer compiler of a context whose shared schemas are ``store``."""

    def compiler(definition: RouteSchemaDef) -> Serializer:
        schema = definition["schema"]
        if isinstance(schema, TypeProvider):
            return schema.serializer()
        return compile_serializer(
            schema, store=store, method=definition["method"], url=definition["url"]
        )

    return compiler


@dataclass(frozen=True, slots=True)
class RouteValidators:
    """The compiled validators of one route; ``None`` where a part has no schema."""

    body: Validator | None = None
    querystring: Validator | None = None
    params: Validator | None = None
    headers: Validator | None = None


def compile_route_validators(
    route: RouteSchema, compiler: ValidatorCompiler, *, method: str, url: str
) -> RouteValidators:
    """Compile every request part of ``route`` with ``compiler`` (at ready time)."""
    compiled: dict[str, Validator | None] = {}
    for part in HTTP_PARTS:
        schema = getattr(route, part)
        if schema is not None:
            definition: RouteSchemaDef = {
                "schema": schema,
                "method": method,
                "url": url,
                "http_part": part,
            }
            compiled[part] = compiler(definition)
    return RouteValidators(**compiled)


class ResponseSerializers:
    """The compiled response serializers of one route, looked up like Fastify.

    Lookup order: the exact status, then its ``"Nxx"`` range, then
    ``"default"``; within one, the reply's content type (without
    parameters; ``application/json`` when the handler set none), then
    ``"*/*"``, when the schema was split by content type.
    """

    __slots__ = ("_cache", "_table")

    def __init__(self, table: dict[str, dict[str | None, Serializer]]) -> None:
        self._table = table
        self._cache: dict[tuple[int, str | None], Serializer | None] = {}

    def get(self, status: int, content_type: str | None = None) -> Serializer | None:
        """The serializer for a reply, or ``None`` (use the default serializer)."""
        key = (status, content_type)
        try:
            return self._cache[key]
        except KeyError:
            found = self._cache[key] = self._lookup(status, content_type)
            return found

    def _lookup(self, status: int, content_type: str | None) -> Serializer | None:
        code = str(status)
        entry = (
            self._table.get(code) or self._table.get(code[0] + "xx") or self._table.get("default")
        )
        if entry is None:
            return None
        if None in entry:
            return entry[None]
        media = (content_type or "").split(";")[0].strip().lower()
        found = entry.get(media)
        return found if found is not None else entry.get("*/*")


def compile_response_serializers(
    route: RouteSchema, compiler: SerializerCompiler, *, method: str, url: str
) -> ResponseSerializers | None:
    """Compile every response schema of ``route`` (at ready time); ``None`` if there are none."""
    if not route.response:
        return None
    table: dict[str, dict[str | None, Serializer]] = {}
    for status, by_type in route.response.items():
        table[status] = {}
        for media_type, schema in by_type.items():
            definition: RouteSchemaDef = {
                "schema": schema,
                "method": method,
                "url": url,
                "http_part": "response",
                "http_status": status,
                "content_type": media_type,
            }
            table[status][media_type] = compiler(definition)
    return ResponseSerializers(table)
