"""Extra JSON types: ``register_json_encoder(type, fn)``.

Replies are encoded with orjson, which knows the JSON types, dataclasses,
``datetime``/``date``/``time``, ``UUID`` and ``Enum``; Lesto adds ``Decimal``,
sets, tuples, mapping-like rows, pydantic models and msgspec Structs. A
plugin makes another type JSON-serialisable (bson's ``ObjectId``, a money
type) by registering an encoder: a function from the value to something
JSON-serialisable (usually a ``str`` or a number), used

- by the schema-less default serializer, wherever the value is nested;
- by response-schema serializers, when a property declared as ``string``,
  ``number``, ``integer``, ``object`` or ``array`` holds such a value, or
  when it is passed through untyped (``additionalProperties: true``, ``{}``).

Encoders are process-wide, like the types they describe; registering a type
again replaces its encoder. A subclass of a registered type uses its
nearest registered base.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import uuid
from collections.abc import Callable
from typing import Any, Final, TypeVar

__all__ = [
    "DEFAULT_CONVERTERS",
    "NOT_REGISTERED",
    "encode_registered",
    "register_json_encoder",
    "registered_encoder",
]

_T = TypeVar("_T")

# Types orjson serialises itself: it never asks an encoder about them.
_NATIVE: Final = (str, int, float, dict, list, tuple, dt.date, dt.time, uuid.UUID, enum.Enum)

_encoders: dict[type, Callable[[Any], Any]] = {}
_resolved: dict[type, Callable[[Any], Any] | None] = {}

DEFAULT_CONVERTERS: dict[type, Callable[[Any], Any]] = {}
"""The schema-less serializer's conversion per type (filled by ``json_default``, cleared
whenever an encoder is registered)."""


class _NotRegistered:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_REGISTERED"


NOT_REGISTERED: Final = _NotRegistered()
"""What :func:`encode_registered` returns for a value of a type without an encoder."""


def register_json_encoder(tp: type[_T], encoder: Callable[[_T], Any]) -> None:
    """Make values of ``tp`` (and its subclasses) JSON-serialisable in replies.

    ``encoder(value)`` returns a JSON-serialisable replacement (a ``str``,
    number, ``dict``, ``list``, ...)::

        from bson import ObjectId
        from lesto import register_json_encoder

        register_json_encoder(ObjectId, str)

    Raises:
        TypeError: ``tp`` is not a class, ``encoder`` is not callable, or
            ``tp`` is one orjson encodes itself (``str``, ``int``, ``float``,
            ``dict``, ``list``, ``tuple``, ``date``/``time``/``datetime``,
            ``UUID``, ``Enum``, dataclasses), whose encoder could never run.
    """
    if not isinstance(tp, type):
        raise TypeError(f"register_json_encoder() needs a class, got {tp!r}")
    if not callable(encoder):
        raise TypeError(f"the encoder for {tp.__name__} must be callable, got {encoder!r}")
    if issubclass(tp, _NATIVE) or tp is type(None) or dataclasses.is_dataclass(tp):
        raise TypeError(f"{tp.__name__} is encoded natively; an encoder for it would never run")
    _encoders[tp] = encoder
    _resolved.clear()
    DEFAULT_CONVERTERS.clear()


def encode_registered(value: Any) -> Any:
    """``value`` through its type's registered encoder, or :data:`NOT_REGISTERED`."""
    if not _encoders:
        return NOT_REGISTERED
    encoder = registered_encoder(type(value))
    return NOT_REGISTERED if encoder is None else encoder(value)


def registered_encoder(cls: type) -> Callable[[Any], Any] | None:
    """The encoder registered for ``cls`` or its nearest registered base, or ``None``."""
    try:
        return _resolved[cls]
    except KeyError:
        encoder = _resolved[cls] = _lookup(cls)
        return encoder


def _lookup(cls: type) -> Callable[[Any], Any] | None:
    for base in cls.__mro__:
        found = _encoders.get(base)
        if found is not None:
            return found
    return None
