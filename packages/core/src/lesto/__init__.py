"""Lesto: a Python web framework with Fastify's encapsulated plugin model.

The public API is re-exported here; everything else is internal.
"""

from . import errors
from .__about__ import __version__
from ._callables import is_async_callable
from .app import Lesto
from .plugin_meta import plugin
from .plugins import Handle
from .reply import Reply
from .request import Request
from .schema import register_json_encoder

__all__ = [
    "Handle",
    "Lesto",
    "Reply",
    "Request",
    "__version__",
    "errors",
    "is_async_callable",
    "plugin",
    "register_json_encoder",
]
