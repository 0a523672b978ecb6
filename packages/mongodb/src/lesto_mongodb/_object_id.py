"""Parsing an ``ObjectId`` from request input, with a 400 for a malformed one."""

from __future__ import annotations

from typing import Any

from bson import ObjectId

from . import errors

__all__ = ["object_id"]


def object_id(value: Any, field: str = "id") -> ObjectId:
    """``value`` as an ``ObjectId``: ``object_id(request.params["id"])``.

    An ``ObjectId`` is returned as is; a string must be 24 hex characters.

    Raises:
        LST_MONGO_ERR_INVALID_OBJECT_ID: anything else (status 400), naming ``field``.
    """
    if isinstance(value, ObjectId):
        return value
    if isinstance(value, str) and ObjectId.is_valid(value):
        return ObjectId(value)
    raise errors.LST_MONGO_ERR_INVALID_OBJECT_ID(field, value)
