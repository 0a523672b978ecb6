"""BSON values in replies: ``ObjectId`` and datetimes become JSON strings.

The plugin adds :func:`bson_to_json` as a ``pre_serialization`` hook, so a
handler can return documents straight from the database. Core serialises
with orjson, which knows neither ``ObjectId`` nor ``Decimal128``, and writes
naive datetimes (what PyMongo returns) with no time zone; this walk turns
them into strings first:

- ``ObjectId`` and ``Decimal128``: ``str()`` (``"65f0c0ffee..."``, ``"1.50"``);
- ``datetime``: ISO 8601 in UTC with a ``Z``, milliseconds when the value has
  no finer part (every BSON date): ``"2024-05-01T12:30:00.250Z"``. A naive
  datetime is taken as UTC, as BSON dates are;
- ``DatetimeMS`` (PyMongo's ``datetime_conversion`` out-of-range dates): its
  milliseconds as an ISO string when representable, else the integer.

Containers (``dict``, ``list``, ``tuple``) are rebuilt only when something in
them changed, so a payload without BSON values is returned as is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bson import Decimal128, ObjectId
from bson.datetime_ms import DatetimeMS
from bson.errors import InvalidBSON

__all__ = ["bson_to_json", "pre_serialization"]


def bson_to_json(value: Any) -> Any:
    """``value`` with its BSON values replaced by JSON-friendly ones (see the module doc)."""
    cls = type(value)
    if cls in _PLAIN:
        return value
    convert = _converters[cls] if cls in _converters else _learn(cls)
    return value if convert is None else convert(value)


def pre_serialization(request: Any, reply: Any, payload: Any) -> Any:
    """The hook the plugin adds: the payload, converted by :func:`bson_to_json`."""
    return bson_to_json(payload)


def _dict(value: dict[Any, Any]) -> dict[Any, Any]:
    converted = None
    for key, item in value.items():
        if type(item) in _PLAIN:
            continue
        new = bson_to_json(item)
        if new is not item:
            if converted is None:
                converted = dict(value)
            converted[key] = new
    return value if converted is None else converted


def _sequence(value: list[Any] | tuple[Any, ...]) -> list[Any] | tuple[Any, ...]:
    converted = None
    for index, item in enumerate(value):
        if type(item) in _PLAIN:
            continue
        new = bson_to_json(item)
        if new is not item:
            if converted is None:
                converted = list(value)
            converted[index] = new
    return value if converted is None else converted


def _datetime(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    if value.microsecond % 1000:
        return value.isoformat(timespec="microseconds") + "Z"
    return value.isoformat(timespec="milliseconds") + "Z"


def _datetime_ms(value: DatetimeMS) -> str | int:
    try:
        return _datetime(value.as_datetime())
    except InvalidBSON:  # outside the years datetime can hold
        return int(value)


_Converter = Callable[[Any], Any]

_BY_BASE: dict[type, _Converter] = {
    dict: _dict,
    list: _sequence,
    tuple: _sequence,
    ObjectId: str,
    Decimal128: str,
    datetime: _datetime,
    DatetimeMS: _datetime_ms,
}

#: Types sent as they are, checked first.
_PLAIN = frozenset({str, int, float, bool, type(None)})

#: Converter of each type met so far (``None``: sent as is); subclasses (such
#: as ``bson.son.SON``) get their base's converter the first time they are seen.
_converters: dict[type, _Converter | None] = dict(_BY_BASE)


def _learn(cls: type) -> _Converter | None:
    convert = next((_BY_BASE[base] for base in cls.__mro__ if base in _BY_BASE), None)
    _converters[cls] = convert
    return convert
