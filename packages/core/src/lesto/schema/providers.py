"""Python type providers: pydantic models, msgspec Structs, TypedDicts, dataclasses.

A route schema part may be one of these types instead of a JSON Schema. It
is validated and serialised through its library's own fast path (pydantic's
``TypeAdapter``, msgspec's ``convert``/``encode``); its JSON Schema is kept
for tooling; a failure is still ``LST_ERR_VALIDATION`` with the same
details shape. TypedDicts and dataclasses use msgspec when it is installed,
pydantic otherwise. Neither library is a dependency of lesto.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import typing
from collections.abc import Callable
from typing import Any

from lesto import errors

from .messages import ValidationDetail, escape_pointer, validation_error

__all__ = ["TypeProvider", "provider_for"]

_JSON_TYPES = {
    "int": "integer",
    "float": "number",
    "str": "string",
    "string": "string",
    "bool": "boolean",
    "dict": "object",
    "object": "object",
    "model": "object",
    "list": "array",
    "array": "array",
    "none": "null",
    "null": "null",
}


class TypeProvider:
    """A Python type used as a schema part: validates and serialises through its library."""

    kind: str = ""

    def __init__(self, tp: Any) -> None:
        self.type = tp
        self.json_schema: dict[str, Any] = self._json_schema()

    def _json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def validator(self, http_part: str) -> Callable[[Any], Any]:
        """``(data) -> parsed value`` raising ``LST_ERR_VALIDATION`` named after ``http_part``."""
        raise NotImplementedError

    def serializer(self) -> Callable[[Any], bytes]:
        """``(value) -> JSON bytes`` holding only the type's fields."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{self.kind} provider {getattr(self.type, '__name__', self.type)!r}>"


class PydanticProvider(TypeProvider):
    """pydantic ``BaseModel`` (or a TypedDict/dataclass without msgspec)."""

    kind = "pydantic"

    def __init__(self, tp: Any) -> None:
        import pydantic

        self._adapter = pydantic.TypeAdapter(tp)
        self._error = pydantic.ValidationError
        super().__init__(tp)

    def _json_schema(self) -> dict[str, Any]:
        return dict(self._adapter.json_schema())

    def validator(self, http_part: str) -> Callable[[Any], Any]:
        validate_python = self._adapter.validate_python
        error_type = self._error

        def validate(data: Any) -> Any:
            try:
                return validate_python(data)
            except error_type as exc:
                raise validation_error(_pydantic_details(exc), http_part) from None

        return validate

    def serializer(self) -> Callable[[Any], bytes]:
        adapter, tp, error_type = self._adapter, self.type, self._error
        exact = isinstance(tp, type) and hasattr(tp, "model_fields")

        def serialize(value: Any) -> bytes:
            try:
                if not (exact and isinstance(value, tp)):
                    value = adapter.validate_python(value, from_attributes=True)
                return bytes(adapter.dump_json(value))
            except error_type as exc:
                raise errors.LST_ERR_FAILED_SERIALIZATION(str(exc)) from None

        return serialize


class MsgspecProvider(TypeProvider):
    """msgspec ``Struct`` (and TypedDicts/dataclasses when msgspec is installed)."""

    kind = "msgspec"

    def __init__(self, tp: Any) -> None:
        import msgspec

        self._msgspec = msgspec
        super().__init__(tp)

    def _json_schema(self) -> dict[str, Any]:
        return dict(self._msgspec.json.schema(self.type))

    def validator(self, http_part: str) -> Callable[[Any], Any]:
        convert, tp = self._msgspec.convert, self.type
        error_type = self._msgspec.ValidationError
        strict = http_part == "body"

        def validate(data: Any) -> Any:
            try:
                return convert(data, tp, strict=strict)
            except error_type as exc:
                raise validation_error([_msgspec_detail(str(exc))], http_part) from None

        return validate

    def serializer(self) -> Callable[[Any], bytes]:
        msgspec, tp = self._msgspec, self.type
        encode = msgspec.json.Encoder(decimal_format="number").encode
        exact = isinstance(tp, type) and issubclass(tp, msgspec.Struct)

        def serialize(value: Any) -> bytes:
            try:
                if not (exact and type(value) is tp):
                    value = msgspec.convert(value, tp, from_attributes=True, strict=False)
                return bytes(encode(value))
            except msgspec.ValidationError as exc:
                raise errors.LST_ERR_FAILED_SERIALIZATION(str(exc)) from None

        return serialize


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def provider_for(obj: Any) -> TypeProvider | None:
    """The provider for ``obj`` if it is a supported Python type, else ``None``.

    Raises:
        LST_ERR_SCH_INVALID: a TypedDict or dataclass, but neither msgspec nor
            pydantic is installed.
    """
    if not isinstance(obj, type):
        return None
    if _is_subclass_of(obj, "pydantic", "BaseModel"):
        return PydanticProvider(obj)
    if _is_subclass_of(obj, "msgspec", "Struct"):
        return MsgspecProvider(obj)
    if typing.is_typeddict(obj) or dataclasses.is_dataclass(obj):
        if _installed("msgspec"):
            return MsgspecProvider(obj)
        if _installed("pydantic"):
            return PydanticProvider(obj)
        raise errors.LST_ERR_SCH_INVALID(
            "type",
            obj.__name__,
            "TypedDict and dataclass schemas need msgspec or pydantic installed",
        )
    return None


def _is_subclass_of(obj: type, module: str, name: str) -> bool:
    for base in obj.__mro__:
        if base.__name__ == name and base.__module__.split(".")[0] == module:
            return True
    return False


def _pointer(loc: typing.Sequence[Any]) -> str:
    return "".join("/" + escape_pointer(part) for part in loc)


def _pydantic_details(exc: Any) -> list[ValidationDetail]:
    details: list[ValidationDetail] = []
    for item in exc.errors(include_url=False):
        loc, kind = tuple(item["loc"]), str(item["type"])
        if kind == "missing" and loc:
            name = str(loc[-1])
            message = f"must have required property '{name}'"
            details.append(
                _detail(_pointer(loc[:-1]), "required", {"missingProperty": name}, message)
            )
            continue
        json_type = _JSON_TYPES.get(kind.rsplit("_", 1)[0].split("_")[0])
        if json_type and kind.endswith(("_type", "_parsing")):
            details.append(
                _detail(_pointer(loc), "type", {"type": json_type}, f"must be {json_type}")
            )
            continue
        params = {
            k: v if isinstance(v, str | int | float | bool) else str(v)
            for k, v in (item.get("ctx") or {}).items()
        }
        details.append(_detail(_pointer(loc), kind, params, str(item["msg"])))
    return details


_MSGSPEC_PATH = re.compile(r"\.([^.\[]+)|\[(\d+)\]|\[\"?([^\]\"]*)\"?\]")
_MSGSPEC_MISSING = re.compile(r"Object missing required field `([^`]*)`")
_MSGSPEC_TYPE = re.compile(r"Expected `([^`|]*)[^`]*`, got `[^`]*`")


def _msgspec_detail(text: str) -> ValidationDetail:
    message, _, where = text.partition(" - at `")
    tokens = [a or b or c for a, b, c in _MSGSPEC_PATH.findall(where.rstrip("`")[1:])]
    path = _pointer(tokens)
    missing = _MSGSPEC_MISSING.fullmatch(message)
    if missing:
        name = missing.group(1)
        return _detail(
            path, "required", {"missingProperty": name}, f"must have required property '{name}'"
        )
    expected = _MSGSPEC_TYPE.fullmatch(message)
    if expected and expected.group(1) in _JSON_TYPES:
        json_type = _JSON_TYPES[expected.group(1)]
        return _detail(path, "type", {"type": json_type}, f"must be {json_type}")
    return _detail(path, "msgspec", {}, message)


def _detail(path: str, keyword: str, params: dict[str, Any], message: str) -> ValidationDetail:
    return {
        "instance_path": path,
        "schema_path": "",
        "keyword": keyword,
        "params": params,
        "message": message,
    }
