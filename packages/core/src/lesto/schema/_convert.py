"""Value conversions that generated serializers call (fast-json-stringify's rules)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from lesto import errors

from .coerce import NO, coerce
from .encoders import DEFAULT_CONVERTERS, NOT_REGISTERED, encode_registered, registered_encoder

__all__ = ["json_default", "to_array", "to_bool", "to_int", "to_mapping", "to_num", "to_str"]


def _fail(value: Any, kind: str) -> errors.LestoError:
    return errors.LST_ERR_FAILED_SERIALIZATION(
        f'The value "{value!r}" cannot be converted to {kind}.'
    )


def to_str(value: Any, fmt: str | None = None) -> str:
    """A string property's JSON value; dates become ISO 8601 (``format`` picks the part)."""
    if isinstance(value, str):
        return value.value if isinstance(value, enum.Enum) else str(value)
    if isinstance(value, dt.datetime):
        if fmt == "date":
            return value.date().isoformat()
        if fmt == "time":
            return value.timetz().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return to_str(value.value, fmt)
    encoded = encode_registered(value)  # before bytes: a registered bytes subclass wins
    if encoded is not NOT_REGISTERED:
        return to_str(encoded, fmt)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    coerced = coerce(value, ("string",), _never)
    return str(value) if coerced is NO else str(coerced)


def to_int(value: Any) -> int:
    """An integer property's JSON value (floats truncate, numeric strings parse)."""
    if isinstance(value, enum.Enum):
        return to_int(value.value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float | Decimal):
        if not math.isfinite(value):
            raise _fail(value, "an integer")
        return int(value)
    encoded = encode_registered(value)
    if encoded is not NOT_REGISTERED:
        return to_int(encoded)
    number = coerce(value, ("number",), _never)
    if number is NO:
        raise _fail(value, "an integer")
    return int(number)


def to_num(value: Any) -> int | float:
    """A number property's JSON value."""
    if isinstance(value, enum.Enum):
        return to_num(value.value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    encoded = encode_registered(value)
    if encoded is not NOT_REGISTERED:
        return to_num(encoded)
    number = coerce(value, ("number",), _never)
    if number is NO:
        raise _fail(value, "a number")
    return number  # type: ignore[no-any-return]


def to_bool(value: Any) -> bool:
    """A boolean property's JSON value (truthiness, as JavaScript's ``!!value``)."""
    if isinstance(value, enum.Enum):
        return bool(value.value)
    return bool(value)


def to_mapping(value: Any) -> Mapping[str, Any]:
    """Read an object property's source as a mapping: dicts, dataclasses, models, objects."""
    if isinstance(value, Mapping):
        return value
    if value is None:
        return {}
    encoded = encode_registered(value)
    if encoded is not NOT_REGISTERED:
        return to_mapping(encoded)
    if _is_keyed(value):
        return dict(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    fields = getattr(type(value), "__struct_fields__", None)
    if fields is not None:
        return {name: getattr(value, name) for name in fields}
    model_fields = getattr(type(value), "model_fields", None)
    if isinstance(model_fields, dict):
        return {name: getattr(value, name) for name in model_fields}
    if hasattr(value, "__dict__"):
        return {k: v for k, v in vars(value).items() if not k.startswith("_")}
    raise _fail(value, "an object")


def to_array(value: Any) -> list[Any]:
    """Read an array property's source as a list (tuples, sets, iterables)."""
    if isinstance(value, list):
        return value
    if value is None:
        return []
    encoded = encode_registered(value)
    if encoded is not NOT_REGISTERED:
        return to_array(encoded)
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        return list(value)
    raise _fail(value, "an array")


def json_default(value: Any) -> Any:
    """orjson ``default=``: registered encoders, then Decimal, sets, mapping-like rows,
    pydantic models, msgspec Structs, Enums.

    The conversion is chosen once per type (and kept until an encoder is registered).

    Raises:
        TypeError: no conversion applies (orjson reports it as its own error).
    """
    cls = type(value)
    convert = DEFAULT_CONVERTERS.get(cls)
    if convert is None:
        convert = _default_conversion(value)
        if len(DEFAULT_CONVERTERS) < _CONVERTERS_LIMIT:
            DEFAULT_CONVERTERS[cls] = convert
    return convert(value)


# Classes made at run time (one per request, say) must not grow the cache without end.
_CONVERTERS_LIMIT = 4096


def _default_conversion(value: Any) -> Callable[[Any], Any]:
    encoder = registered_encoder(type(value))
    if encoder is not None:
        return encoder
    if isinstance(value, Decimal):
        return str
    if isinstance(value, set | frozenset | tuple):
        return list
    if _is_keyed(value):
        return dict
    if callable(getattr(value, "model_dump", None)):
        return _model_dump
    if hasattr(type(value), "__struct_fields__"):
        return _struct_builtins
    if isinstance(value, enum.Enum):
        return _enum_value
    return _not_serializable


def _model_dump(value: Any) -> Any:
    return value.model_dump(mode="json")


def _struct_builtins(value: Any) -> Any:
    import msgspec

    return msgspec.to_builtins(value)


def _enum_value(value: enum.Enum) -> Any:
    return value.value


def _not_serializable(value: Any) -> Any:
    raise TypeError(f"Type is not JSON serializable: {type(value).__name__}")


def _is_keyed(value: Any) -> bool:
    """Whether ``dict(value)`` reads ``value`` as a mapping: it has ``keys()`` and
    ``value[key]``, as database rows do (asyncpg ``Record``, ``sqlite3.Row``)."""
    return callable(getattr(value, "keys", None)) and hasattr(value, "__getitem__")


def _never(_: Any) -> bool:
    return False
