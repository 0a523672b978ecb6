"""BSON values in replies: JSON encoders registered with Lesto core.

Core serialises replies with orjson, which knows neither ``ObjectId`` nor the
other BSON types PyMongo decodes. :func:`register_encoders` (called by the
plugin the first time it is registered) gives core an encoder for each, with
``lesto.register_json_encoder``; core calls them only for values orjson cannot
encode itself, wherever they are nested, with or without a response schema:

- ``ObjectId`` and ``Decimal128``: ``str()`` (``"65f0c0ffee..."``, ``"1.50"``);
- ``DatetimeMS`` (PyMongo's ``datetime_conversion`` for out-of-range dates):
  the ISO 8601 string in UTC when ``datetime`` can hold it, else the integer
  milliseconds;
- ``Binary``: the UUID string for subtype 4 (a UUID), base64 otherwise;
- ``Regex``: ``{"pattern": ..., "options": "imsx"}``;
- ``Timestamp``: ``{"t": seconds, "i": increment}``;
- ``DBRef``: ``{"$ref": ..., "$id": ..., "$db": ...}`` (its document);
- ``MinKey`` / ``MaxKey``: ``{"$minKey": 1}`` / ``{"$maxKey": 1}``.

``datetime`` is not among them: orjson writes datetimes itself (an encoder
would never run), as ISO 8601 with the offset when the datetime has a time
zone, which is why the plugin makes its clients with ``tz_aware=True``.
``Int64`` and ``Code`` are ``int`` and ``str`` subclasses, written as such.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC
from typing import Any

from bson import Decimal128, ObjectId
from bson.binary import UUID_SUBTYPE, Binary
from bson.datetime_ms import DatetimeMS
from bson.dbref import DBRef
from bson.errors import InvalidBSON
from bson.max_key import MaxKey
from bson.min_key import MinKey
from bson.regex import Regex
from bson.timestamp import Timestamp
from lesto import register_json_encoder

__all__ = ["ENCODERS", "register_encoders"]

# Regex flags in the order MongoDB writes their letters.
_REGEX_FLAGS = (
    (re.IGNORECASE, "i"),
    (re.LOCALE, "l"),
    (re.MULTILINE, "m"),
    (re.DOTALL, "s"),
    (re.UNICODE, "u"),
    (re.VERBOSE, "x"),
)


def _datetime_ms(value: DatetimeMS) -> str | int:
    try:
        return value.as_datetime().astimezone(UTC).isoformat()
    except InvalidBSON:  # outside the years datetime can hold
        return int(value)


def _binary(value: Binary) -> str:
    if value.subtype == UUID_SUBTYPE and len(value) == 16:
        return str(value.as_uuid())
    return base64.b64encode(value).decode("ascii")


def _regex(value: Regex[Any]) -> dict[str, str]:
    pattern = value.pattern
    text = pattern.decode("utf-8", "replace") if isinstance(pattern, bytes) else pattern
    options = "".join(letter for flag, letter in _REGEX_FLAGS if value.flags & flag)
    return {"pattern": text, "options": options}


def _timestamp(value: Timestamp) -> dict[str, int]:
    return {"t": value.time, "i": value.inc}


def _dbref(value: DBRef) -> dict[str, Any]:
    return dict(value.as_doc())


#: The encoders :func:`register_encoders` registers, by type.
ENCODERS: dict[type, Any] = {
    ObjectId: str,
    Decimal128: str,
    DatetimeMS: _datetime_ms,
    Binary: _binary,
    Regex: _regex,
    Timestamp: _timestamp,
    DBRef: _dbref,
    MinKey: lambda _: {"$minKey": 1},
    MaxKey: lambda _: {"$maxKey": 1},
}

_registered = False


def register_encoders() -> None:
    """Register :data:`ENCODERS` with Lesto core, once per process (later calls do nothing)."""
    global _registered
    if _registered:
        return
    for tp, encoder in ENCODERS.items():
        register_json_encoder(tp, encoder)
    _registered = True
