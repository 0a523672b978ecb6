"""The JSON schemas of every route: input to refuse bad requests, output to drop internal fields.

Output schemas list the fields a client may see; anything else a handler
returns (MongoDB's ``_id``, the full visit history) is left out of the reply.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ADD_ANIMAL",
    "GET_ANIMAL",
    "HEALTH",
    "LIST_ANIMALS",
    "LIST_AUDIT",
    "PUT_VISITOR",
    "SEARCH_VISITORS",
    "STATS",
]

Schema = dict[str, Any]

_ERROR: Schema = {
    "type": "object",
    "properties": {
        "statusCode": {"type": "integer"},
        "code": {"type": "string"},
        "error": {"type": "string"},
        "message": {"type": "string"},
    },
}

_DATE_TIME: Schema = {"type": "string", "format": "date-time"}

_VISITOR: Schema = {
    "type": "object",
    "properties": {
        "user_id": {"type": "string"},
        "username": {"type": "string"},
        "message": {"type": "string"},
        "created": _DATE_TIME,
        "visits": {"type": "array", "items": _DATE_TIME, "maxItems": 1},
    },
}

PUT_VISITOR: Schema = {
    "params": {
        "type": "object",
        "properties": {"user_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}$"}},
    },
    "body": {
        "type": "object",
        "additionalProperties": False,
        "properties": {"message": {"type": "string", "maxLength": 140}},
    },
    "response": {
        200: {
            "type": "object",
            "properties": {"user_id": {"type": "string"}, "username": {"type": "string"}},
        },
        "4xx": _ERROR,
    },
}

SEARCH_VISITORS: Schema = {
    "querystring": {
        "type": "object",
        "properties": {
            "offset": {"type": "integer", "minimum": 0, "default": 0},
            "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
        },
    },
    "response": {
        200: {
            "type": "object",
            "properties": {
                "rows": {"type": "array", "items": _VISITOR},
                "total": {"type": "integer"},
            },
        },
        "4xx": _ERROR,
    },
}

STATS: Schema = {
    "response": {
        200: {
            "type": "object",
            "properties": {
                "visits": {"type": "integer"},
                "visitors": {"type": "integer"},
                "days": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "day": {"type": "string", "format": "date"},
                            "visits": {"type": "integer"},
                        },
                    },
                },
            },
        },
    },
}

LIST_AUDIT: Schema = {
    "querystring": {
        "type": "object",
        "properties": {
            "offset": {"type": "integer", "minimum": 0, "default": 0},
            "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
            "user_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}$"},
        },
    },
    "response": {
        200: {
            "type": "object",
            "properties": {
                "rows": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "user_id": {"type": "string"},
                            "action": {"type": "string", "enum": ["create", "update"]},
                            "message": {"type": "string"},
                            "at": _DATE_TIME,
                        },
                    },
                },
                "total": {"type": "integer"},
            },
        },
        "4xx": _ERROR,
    },
}

_ANIMAL: Schema = {"type": "object", "properties": {"animal": {"type": "string"}}}

LIST_ANIMALS: Schema = {"response": {200: {"type": "array", "items": _ANIMAL}}}

GET_ANIMAL: Schema = {
    "params": {"type": "object", "properties": {"animal": {"type": "string", "maxLength": 50}}},
    "response": {200: _ANIMAL, "4xx": _ERROR},
}

ADD_ANIMAL: Schema = {
    "body": {
        "type": "object",
        "required": ["animal"],
        "additionalProperties": False,
        "properties": {"animal": {"type": "string", "minLength": 1, "maxLength": 50}},
    },
    "response": {
        201: {
            "type": "object",
            "properties": {"id": {"type": "string"}, "animal": {"type": "string"}},
        },
        "4xx": _ERROR,
    },
}

HEALTH: Schema = {
    "response": {
        "2xx": {
            "type": "object",
            "properties": {
                "status": {"type": "string"},
                "checks": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
        "5xx": {
            "type": "object",
            "properties": {
                "status": {"type": "string"},
                "checks": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
    },
}
