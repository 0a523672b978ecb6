"""The serializer compiler: a response schema -> a function returning JSON bytes.

Like fast-json-stringify, the output holds only what the schema declares:
undeclared properties never leak, however deeply nested. Values are coerced
to the declared types, a missing required property fails with
``LST_ERR_FAILED_SERIALIZATION`` naming it, and ``default`` fills a missing
property. The generated code builds plain Python values and orjson dumps
them (measured faster than generating the JSON text in Python: see
docs/schema.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import orjson

from lesto import errors

from . import _convert as cv
from ._codegen import Names, SchemaBuildError, schema_types, source_lines
from .encoders import DEFAULT_CONVERTERS
from .store import Resolver, SchemaStore, UnresolvedRefError, join_uri, strip_fragment
from .validator import compile_check

__all__ = ["Serializer", "compile_serializer", "default_serializer"]

Serializer = Callable[[Any], bytes]
"""A compiled serializer: ``(value) -> JSON bytes``."""

_SCALAR_EXPR = {
    "string": "{x} if type({x}) is str else _str({x}, {fmt})",
    "integer": "{x} if type({x}) is int else _int({x})",
    "number": "{x} if type({x}) is float or type({x}) is int else _num({x})",
    "boolean": "{x} if {x} is True or {x} is False else _bool({x})",
    "null": "None",
}
_MATCHES = {
    "string": "isinstance({x}, (str, _dt.date, _dt.time, _UUID))",
    "integer": "(isinstance({x}, int) and not isinstance({x}, bool))",
    "number": "(isinstance({x}, (int, float, _Decimal)) and not isinstance({x}, bool))",
    "boolean": "isinstance({x}, bool)",
    "null": "{x} is None",
    "object": "(isinstance({x}, dict) or not isinstance({x}, (str, int, float, list, tuple)))",
    "array": "isinstance({x}, (list, tuple, set, frozenset))",
}


def compile_serializer(
    schema: Any,
    *,
    store: SchemaStore | None = None,
    method: str = "",
    url: str = "",
) -> Serializer:
    """Compile a response ``schema`` into ``(value) -> bytes``.

    Raises:
        LST_ERR_SCH_SERIALIZATION_BUILD: a ``$ref`` does not resolve or the
            schema is invalid; names ``method`` and ``url``.
    """
    store = store or SchemaStore()
    resolver = store.resolver(schema)
    try:
        builder = _Builder(resolver, store)
        root = builder.build(schema, resolver.root_base)
    except (SchemaBuildError, UnresolvedRefError) as exc:
        raise errors.LST_ERR_SCH_SERIALIZATION_BUILD(method, url, str(exc)) from None
    dumps = orjson.dumps
    default = cv.json_default

    def serialize(value: Any) -> bytes:
        try:
            return dumps(root(value), default=default)
        except TypeError as exc:
            raise errors.LST_ERR_FAILED_SERIALIZATION(str(exc)) from exc

    return serialize


class _Builder:
    def __init__(self, resolver: Resolver, store: SchemaStore) -> None:
        self.resolver = resolver
        self.store = store
        self.names = Names(_namespace())
        self.blocks: list[list[str]] = []
        self.pending: list[tuple[str, Any, str]] = []
        self.by_key: dict[str, str] = {}

    def build(self, schema: Any, base: str) -> Callable[[Any], Any]:
        root = self._function(schema, base)
        while self.pending:
            name, sub, sub_base = self.pending.pop()
            lines = [f"def {name}(v):"]
            self._assign(lines, 1, sub, "v", "r", sub_base)
            lines.append("    return r")
            self.blocks.append(lines)
        namespace = self.names.namespace
        exec(compile(source_lines(self.blocks), "<lesto.schema serializer>", "exec"), namespace)
        fn: Callable[[Any], Any] = namespace[root]
        return fn

    def _function(self, schema: Any, base: str) -> str:
        key = f"{base}|{id(schema)}"
        name = self.by_key.get(key)
        if name is None:
            name = self.names.new("s")
            self.by_key[key] = name
            self.pending.append((name, schema, base))
        return name

    def _resolve(self, schema: Any, base: str) -> tuple[Any, str]:
        """Follow ``$ref`` chains and merge ``allOf``; returns the effective schema."""
        seen = 0
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            resolved = self.resolver.resolve(schema["$ref"], base)
            siblings = {k: v for k, v in schema.items() if k != "$ref"}
            schema, base = resolved.schema, resolved.base
            if siblings and isinstance(schema, dict):
                schema = _merge([schema, siblings])
            seen += 1
            if seen > 64:
                raise SchemaBuildError("$ref chain too deep")
        if isinstance(schema, dict) and isinstance(schema.get("allOf"), list):
            parts = [self._resolve(part, base)[0] for part in schema["allOf"]]
            rest = {k: v for k, v in schema.items() if k != "allOf"}
            schema = _merge([rest, *parts])
        node_id = schema.get("$id") if isinstance(schema, dict) else None
        if isinstance(node_id, str) and not node_id.startswith("#"):
            base = strip_fragment(join_uri(base, node_id))
        return schema, base

    def _assign(self, out: list[str], ind: int, schema: Any, x: str, r: str, base: str) -> None:
        """Emit ``r = <x serialized by schema>``."""
        pad = "    " * ind
        if isinstance(schema, dict) and "$ref" in schema:
            out.append(f"{pad}{r} = {self._ref_call(schema, base)}({x})")
            return
        schema, base = self._resolve(schema, base)
        if not isinstance(schema, dict):
            out.append(f"{pad}{r} = {x}")
            return
        for keyword in ("anyOf", "oneOf"):
            if isinstance(schema.get(keyword), list):
                self._pick(out, ind, schema, keyword, x, r, base)
                return
        types = schema_types(schema) or _implied_types(schema)
        if len(types) == 1:
            self._single(out, ind, schema, types[0], x, r, base)
        elif types:
            variants = [{**schema, "type": t} for t in types]
            self._choose(out, ind, types, variants, x, r, base)
        else:
            out.append(f"{pad}{r} = {x}")

    def _ref_call(self, schema: dict[str, Any], base: str) -> str:
        resolved = self.resolver.resolve(schema["$ref"], base)
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        key = resolved.key if not siblings else f"{resolved.key}|{id(schema)}"
        name = self.by_key.get(key)
        if name is None:
            name = self.names.new("s")
            self.by_key[key] = name
            target = _merge([resolved.schema, siblings]) if siblings else resolved.schema
            self.pending.append((name, target, resolved.base))
        return name

    def _single(
        self, out: list[str], ind: int, schema: dict[str, Any], kind: str, x: str, r: str, base: str
    ) -> None:
        pad = "    " * ind
        if kind in _SCALAR_EXPR:
            fmt = schema.get("format")
            expr = _SCALAR_EXPR[kind].format(x=x, fmt=repr(fmt) if isinstance(fmt, str) else "None")
            out.append(f"{pad}{r} = {expr}")
        elif kind == "object":
            self._object(out, ind, schema, x, r, base)
        else:
            self._array(out, ind, schema, x, r, base)

    def _choose(
        self,
        out: list[str],
        ind: int,
        types: tuple[str, ...],
        variants: list[dict[str, Any]],
        x: str,
        r: str,
        base: str,
    ) -> None:
        """A type list: the first type the value already has, else coerce to the first."""
        pad = "    " * ind
        for index, (kind, variant) in enumerate(zip(types, variants, strict=True)):
            keyword = "if" if index == 0 else "elif"
            out.append(f"{pad}{keyword} {_MATCHES[kind].format(x=x)}:")
            self._single(out, ind + 1, variant, kind, x, r, base)
        first = next((i for i, t in enumerate(types) if t != "null"), 0)
        out.append(f"{pad}else:")
        self._single(out, ind + 1, variants[first], types[first], x, r, base)

    def _pick(
        self,
        out: list[str],
        ind: int,
        schema: dict[str, Any],
        keyword: str,
        x: str,
        r: str,
        base: str,
    ) -> None:
        """``anyOf``/``oneOf``: the first branch the value validates against."""
        branches = schema[keyword]
        rest = {k: v for k, v in schema.items() if k != keyword}
        merged = [_merge([rest, b]) if rest and isinstance(b, dict) else b for b in branches]
        checks = tuple(compile_check(b, store=self.store) for b in self._check_roots(merged, base))
        fns = [self._function(b, base) for b in merged]
        checks_name = self.names.const(checks, "chk")
        out.append("    " * ind + f"{r} = _pick({x}, {checks_name}, ({', '.join(fns)},))")

    def _check_roots(self, branches: list[Any], base: str) -> list[Any]:
        roots = []
        for branch in branches:
            resolved, _ = self._resolve(branch, base)
            roots.append(resolved)
        return roots

    def _object(
        self, out: list[str], ind: int, schema: dict[str, Any], x: str, r: str, base: str
    ) -> None:
        pad = "    " * ind
        src = self.names.new("o")
        out.append(f"{pad}{src} = {x} if type({x}) is dict else _mapping({x})")
        out.append(f"{pad}{r} = {{}}")
        props = schema.get("properties")
        props = props if isinstance(props, dict) else {}
        required = schema.get("required")
        required = set(required) if isinstance(required, list) else set()
        for name, sub in props.items():
            item, value = self.names.new("x"), self.names.new("y")
            out.append(f"{pad}if {name!r} in {src}:")
            out.append(f"{pad}    {item} = {src}[{name!r}]")
            self._assign(out, ind + 1, sub, item, value, base)
            out.append(f"{pad}    {r}[{name!r}] = {value}")
            if isinstance(sub, dict) and "default" in sub:
                default = self.names.const(sub["default"], "dft")
                out.append(f"{pad}else:")
                out.append(f"{pad}    {r}[{name!r}] = {default}")
            elif name in required:
                out.append(f"{pad}else:")
                out.append(f"{pad}    raise _missing({name!r})")
        for name in sorted(required - set(props)):
            out.append(f"{pad}if {name!r} not in {src}:")
            out.append(f"{pad}    raise _missing({name!r})")
        self._extra(out, ind, schema, props, src, r, base)

    def _extra(
        self,
        out: list[str],
        ind: int,
        schema: dict[str, Any],
        props: dict[str, Any],
        src: str,
        r: str,
        base: str,
    ) -> None:
        """``patternProperties`` and ``additionalProperties`` (true or a schema)."""
        patterns = schema.get("patternProperties")
        patterns = patterns if isinstance(patterns, dict) else {}
        extra = schema.get("additionalProperties")
        if not patterns and (extra is None or extra is False):
            return
        pad = "    " * ind
        known = self.names.const(frozenset(props), "known")
        key, item = self.names.new("k"), self.names.new("x")
        out.append(f"{pad}for {key}, {item} in {src}.items():")
        out.append(f"{pad}    if {key} in {known}:")
        out.append(f"{pad}        continue")
        for pattern, sub in patterns.items():
            regex = self.names.const(re.compile(pattern), "re")
            out.append(f"{pad}    if {regex}.search({key}) is not None:")
            out.append(f"{pad}        {r}[{key}] = {self._function(sub, base)}({item})")
            out.append(f"{pad}        continue")
        if extra is True or (isinstance(extra, dict) and not extra):
            out.append(f"{pad}    {r}[{key}] = {item}")
        elif isinstance(extra, dict):
            out.append(f"{pad}    {r}[{key}] = {self._function(extra, base)}({item})")

    def _array(
        self, out: list[str], ind: int, schema: dict[str, Any], x: str, r: str, base: str
    ) -> None:
        pad = "    " * ind
        src = self.names.new("a")
        out.append(f"{pad}{src} = {x} if type({x}) is list else _array({x})")
        items = schema.get("items")
        prefix = schema.get("prefixItems")
        if isinstance(items, list):
            prefix, items = items, schema.get("additionalItems")
        if isinstance(prefix, list):
            fns = ", ".join(self._function(sub, base) for sub in prefix)
            rest = (
                "None"
                if items is None or items is True
                else ("False" if items is False else self._function(items, base))
            )
            out.append(f"{pad}{r} = _tuple({src}, ({fns},), {rest})")
            return
        if not isinstance(items, dict) or not items:
            out.append(f"{pad}{r} = list({src})")
            return
        resolved, _ = self._resolve(items, base)
        kinds = schema_types(resolved) if isinstance(resolved, dict) else ()
        plain = isinstance(resolved, dict) and not any(
            k in resolved for k in ("anyOf", "oneOf", "$ref")
        )
        if plain and len(kinds) == 1 and kinds[0] in _SCALAR_EXPR:
            fmt = resolved.get("format")
            expr = _SCALAR_EXPR[kinds[0]].format(
                x="i", fmt=repr(fmt) if isinstance(fmt, str) else "None"
            )
            out.append(f"{pad}{r} = [{expr} for i in {src}]")
        else:
            out.append(f"{pad}{r} = [{self._function(items, base)}(i) for i in {src}]")


def _implied_types(schema: dict[str, Any]) -> tuple[str, ...]:
    if "properties" in schema or "additionalProperties" in schema or "patternProperties" in schema:
        return ("object",)
    if "items" in schema or "prefixItems" in schema:
        return ("array",)
    return ()


def _merge(parts: list[Any]) -> dict[str, Any]:
    """Merge ``allOf`` parts (properties and required are combined)."""
    merged: dict[str, Any] = {}
    for part in parts:
        if not isinstance(part, dict):
            continue
        for key, value in part.items():
            if key == "properties" and isinstance(value, dict):
                merged["properties"] = {**merged.get("properties", {}), **value}
            elif key == "required" and isinstance(value, list):
                merged["required"] = [*merged.get("required", []), *value]
            elif key not in merged:
                merged[key] = value
    return merged


def _missing(name: str) -> errors.LestoError:
    return errors.LST_ERR_FAILED_SERIALIZATION(f'"{name}" is required!')


def _pick(
    value: Any, checks: tuple[Callable[[Any], bool], ...], fns: tuple[Callable[[Any], Any], ...]
) -> Any:
    for check, fn in zip(checks, fns, strict=True):
        if check(value):
            return fn(value)
    for fn in fns:
        try:
            return fn(value)
        except (errors.LestoError, TypeError, ValueError):
            continue
    raise errors.LST_ERR_FAILED_SERIALIZATION(
        f'The value "{value!r}" does not match any schema of anyOf/oneOf.'
    )


def _tuple(items: list[Any], fns: tuple[Callable[[Any], Any], ...], rest: Any) -> list[Any]:
    out = [fn(item) for fn, item in zip(fns, items, strict=False)]
    if len(items) > len(fns) and rest is not False:
        tail = items[len(fns) :]
        out += tail if rest is None else [rest(item) for item in tail]
    return out


def _namespace() -> dict[str, Any]:
    import datetime
    import decimal
    import uuid

    return {
        "__builtins__": __builtins__,
        "_str": cv.to_str,
        "_int": cv.to_int,
        "_num": cv.to_num,
        "_bool": cv.to_bool,
        "_mapping": cv.to_mapping,
        "_array": cv.to_array,
        "_missing": _missing,
        "_pick": _pick,
        "_tuple": _tuple,
        "_dt": datetime,
        "_UUID": uuid.UUID,
        "_Decimal": decimal.Decimal,
    }


def default_serializer(value: Any) -> bytes:
    """Serialise a reply without a schema: orjson with the same type support.

    datetime/date/time (ISO 8601), UUID, Enum and dataclasses natively;
    Decimal as a string, sets and tuples as arrays, pydantic models and
    msgspec Structs through their own JSON form.

    Raises:
        LST_ERR_FAILED_SERIALIZATION: a value orjson cannot encode.
    """
    # A value (or the items of a list) whose type orjson would hand to json_default, a
    # database row say, is converted here first: the same result without orjson calling
    # back into Python, which cost the bare ASGI app about 3% of a PostgreSQL request's
    # CPU (bench/paired.py, 2026-12-08).
    kind = type(value)
    try:
        if kind is list:
            if value:
                first = type(value[0])
                convert = _converter_of(first)
                if convert is not None:
                    value = [convert(item) if type(item) is first else item for item in value]
        elif kind is not dict:
            convert = _converter_of(kind)
            if convert is not None:
                value = convert(value)
        return orjson.dumps(value, default=cv.json_default)
    except TypeError as exc:
        raise errors.LST_ERR_FAILED_SERIALIZATION(str(exc)) from exc


_converter_of = DEFAULT_CONVERTERS.get
