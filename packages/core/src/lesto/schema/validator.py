"""The validator compiler: JSON Schema -> generated Python source, compiled once.

Like Ajv, each schema becomes straight-line code (one function per schema
resource, ``$ref`` target and combinator branch). The compiled validator
validates *and* returns the data, mutated in place as Fastify's Ajv options
ask: types coerced (``coerceTypes: "array"``), defaults filled
(``useDefaults``), undeclared properties removed where
``additionalProperties`` is false (``removeAdditional``). It stops at the
first error unless ``all_errors=True``; a failure raises ``LST_ERR_VALIDATION``
whose message reads like Fastify's.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from lesto import errors

from . import _runtime as rt
from ._codegen import Names, Path, SchemaBuildError, js_number, schema_types, source_lines
from .coerce import NO, coerce
from .formats import FORMATS
from .messages import detail, escape_pointer, type_message, validation_error
from .store import SchemaStore, UnresolvedRefError, join_uri, strip_fragment

__all__ = ["Validator", "compile_validator"]

Validator = Callable[[Any], Any]
"""A compiled validator: ``(data) -> data`` (mutated), raising ``LST_ERR_VALIDATION``."""

_CHECKS = {
    "string": "isinstance({v}, str)",
    # A string is never a number: skipping the call matters for params and query strings.
    "integer": "(type({v}) is int or (type({v}) is not str and _isint({v})))",
    "number": (
        "(type({v}) is int or (type({v}) is float and {v} - {v} == 0)"
        " or (type({v}) is not str and _isnum({v})))"
    ),
    "boolean": "({v} is True or {v} is False)",
    "null": "({v} is None)",
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
}
_GROUP_CHECKS = {
    "number": "_isnum({v})",
    "string": "isinstance({v}, str)",
    "array": "isinstance({v}, list)",
    "object": "isinstance({v}, dict)",
}
_GROUP_KEYWORDS = {
    "number": ("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "multipleOf"),
    "string": ("maxLength", "minLength", "pattern", "format"),
    "array": ("maxItems", "minItems", "uniqueItems", "items", "prefixItems", "contains"),
    "object": (
        "maxProperties",
        "minProperties",
        "required",
        "dependentRequired",
        "propertyNames",
        "additionalProperties",
        "properties",
        "patternProperties",
    ),
}
_IMMUTABLE = (str, int, float, bool, type(None))


def compile_validator(
    schema: Any,
    *,
    store: SchemaStore | None = None,
    http_part: str = "body",
    method: str = "",
    url: str = "",
    all_errors: bool = False,
    coerce_types: bool = True,
    use_defaults: bool = True,
    remove_additional: bool = True,
) -> Validator:
    """Compile ``schema`` into a validator for one HTTP part of one route.

    ``store`` holds the shared schemas that ``$ref`` may name; ``http_part``
    names the part in error messages (``body``, ``querystring``, ...);
    ``method`` and ``url`` name the route in build errors.

    Raises:
        LST_ERR_SCH_VALIDATION_BUILD: a ``$ref`` does not resolve, or the
            schema uses an unknown type, format or an invalid pattern.
    """
    options = _Options(all_errors, coerce_types, use_defaults, remove_additional)
    resolver = (store or SchemaStore()).resolver(schema)
    try:
        builder = _Builder(resolver, options)
        return builder.build(schema, resolver.root_base, http_part)
    except (SchemaBuildError, UnresolvedRefError) as exc:
        raise errors.LST_ERR_SCH_VALIDATION_BUILD(method, url, str(exc)) from None


def compile_check(schema: Any, *, store: SchemaStore | None = None) -> Callable[[Any], bool]:
    """A non-mutating ``(value) -> bool`` test of ``schema`` (no coercion, no defaults)."""
    options = _Options(False, False, False, False)
    resolver = (store or SchemaStore()).resolver(schema)
    builder = _Builder(resolver, options)
    root = builder.build_function(schema, resolver.root_base)

    def check(value: Any) -> bool:
        return rt.run(root, value, "")[1] is None

    return check


def _set_value(
    out: list[str], pad: str, v: str, value: str, target: str | None, flag: str | None
) -> None:
    """Emit ``v = value``, its store back into ``target`` and, with all_errors, the mark
    that the value passed its type check."""
    out.append(f"{pad}{v} = {value}")
    if target is not None:
        out.append(f"{pad}{target} = {v}")
    if flag:
        out.append(f"{pad}{flag} = True")


class _Options:
    __slots__ = ("all_errors", "coerce", "defaults", "remove")

    def __init__(self, all_errors: bool, coerce_types: bool, defaults: bool, remove: bool) -> None:
        self.all_errors = all_errors
        self.coerce = coerce_types
        self.defaults = defaults
        self.remove = remove


class _Builder:
    """Generates the source of one validator and everything it references."""

    def __init__(self, resolver: Any, options: _Options) -> None:
        self.resolver = resolver
        self.opts = options
        self.names = Names(_namespace())
        self.blocks: list[list[str]] = []
        self.pending: list[tuple[str, Any, str, str, bool]] = []
        self.by_ref: dict[str, str] = {}
        self.type_checks: dict[tuple[str, ...], str] = {}

    # --- functions ----------------------------------------------------------------------

    def build(self, schema: Any, base: str, http_part: str) -> Validator:
        root = self._function(schema, base, "#", resource=True)
        self._drain()
        context = self.names.const(http_part, "ctx")
        if self.opts.all_errors:
            wrapper = [
                "def validate(data):",
                "    e = []",
                f"    data = {root}(data, '', e)",
                "    if e:",
                f"        raise _error(e, {context})",
                "    return data",
            ]
        else:
            wrapper = [
                "def validate(data):",
                "    try:",
                f"        return {root}(data, '', None)",
                "    except _Fail as failure:",
                f"        raise _error(failure.errors, {context}) from None",
            ]
        self.blocks.append(wrapper)
        namespace = self._exec()
        validate: Validator = namespace["validate"]
        return validate

    def build_function(self, schema: Any, base: str) -> rt.Compiled:
        root = self._function(schema, base, "#", resource=True)
        self._drain()
        compiled: rt.Compiled = self._exec()[root]
        return compiled

    def _exec(self) -> dict[str, Any]:
        namespace = self.names.namespace
        code = compile(source_lines(self.blocks), "<lesto.schema validator>", "exec")
        exec(code, namespace)
        return namespace

    def _function(self, schema: Any, base: str, schema_path: str, resource: bool = False) -> str:
        name = self.names.new("f")
        self.pending.append((name, schema, base, schema_path, resource))
        return name

    def _ref_function(self, ref: str, base: str) -> str:
        resolved = self.resolver.resolve(ref, base)
        name = self.by_ref.get(resolved.key)
        if name is None:
            name = self._function(resolved.schema, resolved.base, resolved.key, resource=True)
            self.by_ref[resolved.key] = name
        return name

    def _drain(self) -> None:
        while self.pending:
            name, schema, base, schema_path, resource = self.pending.pop()
            lines = [f"def {name}(v, p, e):"]
            self._node(lines, 1, schema, "v", None, Path("p"), schema_path, base, resource)
            lines.append("    return v")
            self.blocks.append(lines)

    # --- emitting -------------------------------------------------------------------------

    def _fail(
        self,
        out: list[str],
        ind: int,
        path: Path,
        schema_path: str,
        keyword: str,
        params: str,
        message: str,
    ) -> None:
        """Emit the code that reports one failed keyword."""
        call = f"_d({path.render()}, {schema_path!r}, {keyword!r}, {params}, {message})"
        if self.opts.all_errors:
            out.append("    " * ind + f"e.append({call})")
        else:
            out.append("    " * ind + f"raise _Fail([{call}])")

    def _fail_const(
        self,
        out: list[str],
        ind: int,
        path: Path,
        schema_path: str,
        keyword: str,
        params: dict[str, Any],
        message: str,
    ) -> None:
        params_name = self.names.const(params, "prm")
        self._fail(out, ind, path, schema_path, keyword, f"dict({params_name})", repr(message))

    def _node(
        self,
        out: list[str],
        ind: int,
        schema: Any,
        v: str,
        target: str | None,
        path: Path,
        sp: str,
        base: str,
        resource: bool = False,
    ) -> None:
        """Emit the checks of ``schema`` for the value in variable ``v``.

        ``resource`` is true for the root of a generated function, whose base
        URI already accounts for its ``$id``.
        """
        if schema is False:
            self._fail_const(out, ind, path, sp, "false schema", {}, "boolean schema is false")
            return
        if not isinstance(schema, dict):
            return
        node_id = schema.get("$id")
        if isinstance(node_id, str) and node_id and not node_id.startswith("#") and not resource:
            base = _join_base(base, node_id)
        pad = "    " * ind
        ref = schema.get("$ref")
        if isinstance(ref, str):
            fn = self._ref_function(ref, base)
            out.append(f"{pad}{v} = {fn}({v}, {path.render()}, e)")
            if target is not None:
                out.append(f"{pad}{target} = {v}")
        types = schema_types(schema)
        if types:
            ind = self._type(out, ind, schema, types, v, target, path, sp)
        self._untyped(out, ind, schema, v, target, path, sp, base)
        for group, keywords in _GROUP_KEYWORDS.items():
            if not any(keyword in schema for keyword in keywords):
                continue
            group_ind = self._group_guard(out, ind, group, types, v)
            if group_ind is None:
                continue
            emit = getattr(self, f"_{group}")
            emit(out, group_ind, schema, v, path, sp, base)

    def _group_guard(
        self, out: list[str], ind: int, group: str, types: tuple[str, ...], v: str
    ) -> int | None:
        """Indent for a keyword group, emitting a type guard when the type is not known."""
        members = ("number", "integer") if group == "number" else (group,)
        if types and not any(t in types for t in members):
            return None
        if len(types) == 1:
            return ind
        out.append("    " * ind + f"if {_GROUP_CHECKS[group].format(v=v)}:")
        return ind + 1

    def _check_fn(self, types: tuple[str, ...]) -> str:
        name = self.type_checks.get(types)
        if name is None:
            name = self.names.new("t")
            self.type_checks[types] = name
            self.blocks.append([f"def {name}(v):", f"    return {_type_expr(types, 'v')}"])
        return name

    def _type(
        self,
        out: list[str],
        ind: int,
        schema: dict[str, Any],
        types: tuple[str, ...],
        v: str,
        target: str | None,
        path: Path,
        sp: str,
    ) -> int:
        pad = "    " * ind
        check = _type_expr(types, v)
        declared = schema.get("type")
        params = {"type": declared if isinstance(declared, str) else list(types)}
        message = type_message(types)
        coercible = self.opts.coerce and any(t != "object" for t in types)
        flag = self.names.new("ok") if self.opts.all_errors else None
        # The common case of a numeric type (an id in a path or query string) first,
        # without the calls; the general check then runs only for other values.
        digits = coercible and types in (("integer",), ("number",))
        block = pad
        if digits:
            out.append(f"{pad}if type({v}) is str and {v}.isdigit() and {v}.isascii():")
            _set_value(out, pad + "    ", v, f"int({v})", target, flag)
            out.append(f"{pad}else:")
            block = pad + "    "
        if flag:
            out.append(f"{block}{flag} = {check}")
            out.append(f"{block}if not {flag}:")
        else:
            out.append(f"{block}if not {check}:")
        inner = ind + 2 if digits else ind + 1
        if coercible:
            tuple_name = self.names.const(types, "ty")
            coerced = self.names.new("c")
            ipad = "    " * inner
            call = f"_coerce({v}, {tuple_name}, {self._check_fn(types)})"
            out.append(f"{ipad}{coerced} = {call}")
            out.append(f"{ipad}if {coerced} is _NO:")
            self._fail_const(out, inner + 1, path, sp + "/type", "type", params, message)
            out.append(f"{ipad}else:")
            _set_value(out, ipad + "    ", v, coerced, target, flag)
        else:
            self._fail_const(out, inner, path, sp + "/type", "type", params, message)
        if flag:
            out.append(f"{pad}if {flag}:")
            out.append(f"{pad}    pass")
            return ind + 1
        return ind

    # --- keywords for every type ----------------------------------------------------------

    def _untyped(
        self,
        out: list[str],
        ind: int,
        schema: dict[str, Any],
        v: str,
        target: str | None,
        path: Path,
        sp: str,
        base: str,
    ) -> None:
        pad = "    " * ind
        if "const" in schema:
            value = self.names.const(schema["const"], "cst")
            out.append(f"{pad}if not _eq({v}, {value}):")
            params = {"allowedValue": schema["const"]}
            self._fail_const(
                out, ind + 1, path, sp + "/const", "const", params, "must be equal to constant"
            )
        if isinstance(schema.get("enum"), list):
            self._enum(out, ind, schema["enum"], v, path, sp)
        for index, sub in enumerate(schema.get("allOf") or ()):
            self._node(out, ind, sub, v, target, path, f"{sp}/allOf/{index}", base)
        for keyword, helper in (("anyOf", "_any_of"), ("oneOf", "_one_of")):
            subs = schema.get(keyword)
            if isinstance(subs, list) and subs:
                names = [self._function(s, base, f"{sp}/{keyword}/{i}") for i, s in enumerate(subs)]
                branches = f"({', '.join(names)},)"
                self._combinator(out, ind, helper, branches, v, target, path, f"{sp}/{keyword}")
        if "not" in schema:
            branch = self._function(schema["not"], base, f"{sp}/not")
            self._combinator(out, ind, "_not", branch, v, None, path, f"{sp}/not")
        if "if" in schema and ("then" in schema or "else" in schema):
            parts = [self._function(schema["if"], base, f"{sp}/if")]
            for keyword in ("then", "else"):
                sub = schema.get(keyword)
                parts.append(
                    self._function(sub, base, f"{sp}/{keyword}") if sub is not None else "None"
                )
            branches = f"({', '.join(parts)})"
            self._combinator(out, ind, "_if", branches, v, target, path, sp)

    def _combinator(
        self,
        out: list[str],
        ind: int,
        helper: str,
        branches: str,
        v: str,
        target: str | None,
        path: Path,
        sp: str,
    ) -> None:
        pad = "    " * ind
        out.append(f"{pad}{v} = {helper}({v}, {path.render()}, {branches}, {sp!r}, e)")
        if target is not None:
            out.append(f"{pad}{target} = {v}")

    def _enum(
        self, out: list[str], ind: int, allowed: list[Any], v: str, path: Path, sp: str
    ) -> None:
        pad = "    " * ind
        if all(isinstance(item, str) for item in allowed):
            values = self.names.const(frozenset(allowed), "enm")
            out.append(f"{pad}if not (isinstance({v}, str) and {v} in {values}):")
        else:
            values = self.names.const(tuple(allowed), "enm")
            out.append(f"{pad}if not _in_enum({v}, {values}):")
        params = {"allowedValues": list(allowed)}
        message = "must be equal to one of the allowed values"
        self._fail_const(out, ind + 1, path, sp + "/enum", "enum", params, message)

    # --- keyword groups -------------------------------------------------------------------

    def _number(
        self,
        out: list[str],
        ind: int,
        schema: dict[str, Any],
        v: str,
        path: Path,
        sp: str,
        base: str,
    ) -> None:
        pad = "    " * ind
        limits = (
            ("maximum", ">", "<="),
            ("minimum", "<", ">="),
            ("exclusiveMaximum", ">=", "<"),
            ("exclusiveMinimum", "<=", ">"),
        )
        for keyword, failing, comparison in limits:
            limit = schema.get(keyword)
            if isinstance(limit, int | float) and not isinstance(limit, bool):
                out.append(f"{pad}if {v} {failing} {limit!r}:")
                params = {"comparison": comparison, "limit": limit}
                message = f"must be {comparison} {js_number(limit)}"
                self._fail_const(out, ind + 1, path, f"{sp}/{keyword}", keyword, params, message)
        factor = schema.get("multipleOf")
        if isinstance(factor, int | float) and not isinstance(factor, bool):
            if factor <= 0:
                raise SchemaBuildError("multipleOf must be a positive number")
            out.append(f"{pad}if _notmult({v}, {factor!r}):")
            params = {"multipleOf": factor}
            message = f"must be multiple of {js_number(factor)}"
            self._fail_const(out, ind + 1, path, f"{sp}/multipleOf", "multipleOf", params, message)

    def _length_limits(
        self,
        out: list[str],
        ind: int,
        schema: dict[str, Any],
        v: str,
        path: Path,
        sp: str,
        keywords: tuple[str, str],
        unit: str,
    ) -> None:
        """``maxLength``/``minLength`` and their twins for items and properties."""
        pad = "    " * ind
        for keyword, failing, word in zip(keywords, (">", "<"), ("more", "fewer"), strict=True):
            limit = schema.get(keyword)
            if isinstance(limit, int):
                out.append(f"{pad}if len({v}) {failing} {limit}:")
                message = f"must NOT have {word} than {limit} {unit}"
                self._fail_const(
                    out, ind + 1, path, f"{sp}/{keyword}", keyword, {"limit": limit}, message
                )

    def _string(
        self,
        out: list[str],
        ind: int,
        schema: dict[str, Any],
        v: str,
        path: Path,
        sp: str,
        base: str,
    ) -> None:
        pad = "    " * ind
        self._length_limits(out, ind, schema, v, path, sp, ("maxLength", "minLength"), "characters")
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            regex = self.names.const(_regex(pattern), "re")
            out.append(f"{pad}if {regex}.search({v}) is None:")
            message = f'must match pattern "{pattern}"'
            self._fail_const(
                out, ind + 1, path, f"{sp}/pattern", "pattern", {"pattern": pattern}, message
            )
        name = schema.get("format")
        if isinstance(name, str):
            check = FORMATS.get(name)
            if check is None:
                raise SchemaBuildError(f'unknown format "{name}"')
            fmt = self.names.const(check, "fmt")
            out.append(f"{pad}if not {fmt}({v}):")
            message = f'must match format "{name}"'
            self._fail_const(
                out, ind + 1, path, f"{sp}/format", "format", {"format": name}, message
            )

    def _array(
        self,
        out: list[str],
        ind: int,
        schema: dict[str, Any],
        v: str,
        path: Path,
        sp: str,
        base: str,
    ) -> None:
        pad = "    " * ind
        self._length_limits(out, ind, schema, v, path, sp, ("maxItems", "minItems"), "items")
        if schema.get("uniqueItems") is True:
            pair = self.names.new("dup")
            out.append(f"{pad}{pair} = _dup({v})")
            out.append(f"{pad}if {pair} is not None:")
            params = f'{{"i": {pair}[1], "j": {pair}[0]}}'
            message = (
                f'"must NOT have duplicate items (items ## " + str({pair}[0]) + " and " '
                f'+ str({pair}[1]) + " are identical)"'
            )
            self._fail(out, ind + 1, path, f"{sp}/uniqueItems", "uniqueItems", params, message)
        items = schema.get("items")
        prefix = schema.get("prefixItems")
        if isinstance(items, list):
            prefix, items = items, schema.get("additionalItems")
            rest_keyword = "additionalItems"
        else:
            rest_keyword = "items"
        start = 0
        if isinstance(prefix, list):
            start = len(prefix)
            for index, sub in enumerate(prefix):
                item = self.names.new("x")
                out.append(f"{pad}if len({v}) > {index}:")
                out.append(f"{pad}    {item} = {v}[{index}]")
                tuple_keyword = "items" if rest_keyword == "additionalItems" else "prefixItems"
                key_sp = f"{sp}/{tuple_keyword}/{index}"
                self._node(
                    out, ind + 1, sub, item, f"{v}[{index}]", path.key(str(index)), key_sp, base
                )
        if items is False and start:
            out.append(f"{pad}if len({v}) > {start}:")
            message = f"must NOT have more than {start} items"
            self._fail_const(
                out, ind + 1, path, f"{sp}/{rest_keyword}", rest_keyword, {"limit": start}, message
            )
        elif isinstance(items, dict) and items:
            index_var, item = self.names.new("i"), self.names.new("x")
            rng = f"range({start}, len({v}))" if start else f"range(len({v}))"
            out.append(f"{pad}for {index_var} in {rng}:")
            out.append(f"{pad}    {item} = {v}[{index_var}]")
            target = f"{v}[{index_var}]"
            item_path = path.dynamic(index_var, escape=False)
            self._node(out, ind + 1, items, item, target, item_path, f"{sp}/{rest_keyword}", base)
        if "contains" in schema:
            branch = self._function(schema["contains"], base, f"{sp}/contains")
            self._combinator(out, ind, "_contains", branch, v, None, path, f"{sp}/contains")

    def _object(
        self,
        out: list[str],
        ind: int,
        schema: dict[str, Any],
        v: str,
        path: Path,
        sp: str,
        base: str,
    ) -> None:
        pad = "    " * ind
        props = schema.get("properties")
        props = props if isinstance(props, dict) else {}
        if self.opts.defaults:
            self._defaults(out, ind, props, v)
        self._length_limits(
            out, ind, schema, v, path, sp, ("maxProperties", "minProperties"), "properties"
        )
        required = schema.get("required")
        if isinstance(required, list) and required:
            self._required(out, ind, tuple(required), v, path, sp)
        dependent = schema.get("dependentRequired")
        if isinstance(dependent, dict):
            self._dependent(out, ind, dependent, v, path, sp)
        if "propertyNames" in schema:
            branch = self._function(schema["propertyNames"], base, f"{sp}/propertyNames")
            self._combinator(out, ind, "_propnames", branch, v, None, path, f"{sp}/propertyNames")
        patterns = schema.get("patternProperties")
        patterns = patterns if isinstance(patterns, dict) else {}
        self._additional(out, ind, schema, props, patterns, v, path, sp, base)
        # Without all_errors, a missing required property has raised already.
        present = set(required) if isinstance(required, list) and not self.opts.all_errors else ()
        for name, sub in props.items():
            if sub is True or sub == {}:
                continue
            item = self.names.new("x")
            key_sp = f"{sp}/properties/{escape_pointer(name)}"
            if name in present:
                out.append(f"{pad}{item} = {v}[{name!r}]")
                self._node(out, ind, sub, item, f"{v}[{name!r}]", path.key(name), key_sp, base)
                continue
            out.append(f"{pad}if {name!r} in {v}:")
            out.append(f"{pad}    {item} = {v}[{name!r}]")
            self._node(out, ind + 1, sub, item, f"{v}[{name!r}]", path.key(name), key_sp, base)
        for pattern, sub in patterns.items():
            regex = self.names.const(_regex(pattern), "re")
            key, item = self.names.new("k"), self.names.new("x")
            out.append(f"{pad}for {key}, {item} in list({v}.items()):")
            out.append(f"{pad}    if {regex}.search({key}) is not None:")
            key_sp = f"{sp}/patternProperties/{escape_pointer(pattern)}"
            item_path = path.dynamic(key, escape=True)
            self._node(out, ind + 2, sub, item, f"{v}[{key}]", item_path, key_sp, base)

    def _defaults(self, out: list[str], ind: int, props: dict[str, Any], v: str) -> None:
        pad = "    " * ind
        for name, sub in props.items():
            if isinstance(sub, dict) and "default" in sub:
                value = sub["default"]
                if isinstance(value, _IMMUTABLE):
                    expr = repr(value)
                else:
                    expr = f"_copy({self.names.const(value, 'dft')})"
                out.append(f"{pad}if {name!r} not in {v}:")
                out.append(f"{pad}    {v}[{name!r}] = {expr}")

    def _required(
        self, out: list[str], ind: int, required: tuple[str, ...], v: str, path: Path, sp: str
    ) -> None:
        pad = "    " * ind
        names = self.names.const(required, "req")
        if len(required) == 1:
            out.append(f"{pad}if {required[0]!r} not in {v}:")
        else:
            keys = self.names.const(frozenset(required), "reqs")
            out.append(f"{pad}if not {v}.keys() >= {keys}:")
        absent = self.names.new("m")
        inner = "    " * (ind + 1)
        out.append(f"{inner}{absent} = _missing({v}, {names})")
        call_params = '{"missingProperty": name}'
        call_message = '"must have required property \'" + name + "\'"'
        row = (
            f"_d({path.render()}, {sp + '/required'!r}, 'required', {call_params}, {call_message})"
        )
        if self.opts.all_errors:
            out.append(f"{inner}e.extend([{row} for name in {absent}])")
        else:
            out.append(f"{inner}name = {absent}[0]")
            out.append(f"{inner}raise _Fail([{row}])")

    def _dependent(
        self, out: list[str], ind: int, dependent: dict[str, Any], v: str, path: Path, sp: str
    ) -> None:
        pad = "    " * ind
        for prop, deps in dependent.items():
            for dep in deps:
                out.append(f"{pad}if {prop!r} in {v} and {dep!r} not in {v}:")
                params = {
                    "property": prop,
                    "missingProperty": dep,
                    "depsCount": len(deps),
                    "deps": ", ".join(deps),
                }
                message = f"must have property {', '.join(deps)} when property {prop} is present"
                self._fail_const(
                    out,
                    ind + 1,
                    path,
                    f"{sp}/dependentRequired",
                    "dependentRequired",
                    params,
                    message,
                )

    def _additional(
        self,
        out: list[str],
        ind: int,
        schema: dict[str, Any],
        props: dict[str, Any],
        patterns: dict[str, Any],
        v: str,
        path: Path,
        sp: str,
        base: str,
    ) -> None:
        extra = schema.get("additionalProperties")
        if extra is None or extra is True:
            return
        pad = "    " * ind
        known = self.names.const(frozenset(props), "known")
        regexes = self.names.const(tuple(_regex(p) for p in patterns), "pats")
        key = self.names.new("k")
        test = f"{key} not in {known}"
        if patterns:
            test += f" and not any(r.search({key}) for r in {regexes})"
        out.append(f"{pad}if not {known}.issuperset({v}):")
        out.append(f"{pad}    for {key} in [{key} for {key} in {v} if {test}]:")
        inner = ind + 2
        if extra is False and self.opts.remove:
            out.append("    " * inner + f"del {v}[{key}]")
        elif extra is False:
            params = f'{{"additionalProperty": {key}}}'
            message = repr("must NOT have additional properties")
            self._fail(
                out,
                inner,
                path,
                f"{sp}/additionalProperties",
                "additionalProperties",
                params,
                message,
            )
        else:
            item = self.names.new("x")
            out.append("    " * inner + f"{item} = {v}[{key}]")
            item_path = path.dynamic(key, escape=True)
            self._node(
                out,
                inner,
                extra,
                item,
                f"{v}[{key}]",
                item_path,
                f"{sp}/additionalProperties",
                base,
            )


def _type_expr(types: tuple[str, ...], v: str) -> str:
    if len(types) == 1:
        return _CHECKS[types[0]].format(v=v)
    return "(" + " or ".join(_CHECKS[t].format(v=v) for t in types) + ")"


def _regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise SchemaBuildError(f"invalid pattern {pattern!r}: {exc}") from None


def _join_base(base: str, node_id: str) -> str:
    return strip_fragment(join_uri(base, node_id))


def _error(found: list[Any], context: str) -> Exception:
    return validation_error(found, context)


def _namespace() -> dict[str, Any]:
    return {
        "__builtins__": __builtins__,
        "_Fail": rt.Fail,
        "_d": detail,
        "_NO": NO,
        "_coerce": coerce,
        "_esc": escape_pointer,
        "_isint": rt.is_integer,
        "_isnum": rt.is_number,
        "_eq": rt.json_equal,
        "_in_enum": rt.in_enum,
        "_dup": rt.duplicate,
        "_missing": rt.missing,
        "_notmult": rt.not_multiple,
        "_any_of": rt.any_of,
        "_one_of": rt.one_of,
        "_not": rt.not_,
        "_if": rt.if_then_else,
        "_contains": rt.contains,
        "_propnames": rt.property_names,
        "_copy": copy.deepcopy,
        "_error": _error,
    }
