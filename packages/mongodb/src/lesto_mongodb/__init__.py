"""MongoDB for Lesto applications (the analogue of @fastify/mongodb).

``app.register(lesto_mongodb.plugin, url="mongodb://host/db")`` gives every
context that sees it ``app.mongo.client``, ``app.mongo.db`` and
``app.mongo.ObjectId``, on PyMongo's ``AsyncMongoClient`` or on motor.
"""

from bson import ObjectId

from . import errors
from .__about__ import __version__
from ._mongo import Mongo
from ._object_id import object_id
from ._outages import unavailable
from ._plugin import plugin
from ._retried_writes import retried_writes_listener

__all__ = [
    "Mongo",
    "ObjectId",
    "__version__",
    "errors",
    "object_id",
    "plugin",
    "retried_writes_listener",
    "unavailable",
]
