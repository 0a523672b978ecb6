"""``app.mongo``: the client, its default database and the named instances.

The first registration in a context decorates the instance with a
:class:`Mongo`; a registration with a ``name`` is then reachable as
``app.mongo.<name>``, as with @fastify/mongodb. Like there, the named
instances live on that first object, shared by every context that sees it.
"""

from __future__ import annotations

from typing import Any

from bson import ObjectId

from . import errors
from ._object_id import object_id

__all__ = ["Mongo", "check_name"]


class Mongo:
    """One registration of the plugin: what ``app.mongo`` (or ``app.mongo.<name>``) is.

    Attributes:
        client: the ``AsyncMongoClient`` (or motor client).
        driver: ``"pymongo"`` or ``"motor"``.
        name: the registration's name, ``None`` for the unnamed one.
        database_name: the default database, ``None`` when none was given.
        ObjectId: the ``bson.ObjectId`` class.
    """

    __slots__ = ("_db", "_instances", "client", "database_name", "driver", "name")

    ObjectId = ObjectId
    object_id = staticmethod(object_id)

    def __init__(self, client: Any, driver: str, database_name: str | None, name: str | None):
        self.client = client
        self.driver = driver
        self.name = name
        self.database_name = database_name
        self._db = None if database_name is None else client[database_name]
        self._instances: dict[str, Mongo] = {} if name is None else {name: self}

    def __repr__(self) -> str:
        label = "" if self.name is None else f" {self.name!r}"
        return f"<Mongo{label} {self.driver} database={self.database_name!r}>"

    @property
    def db(self) -> Any:
        """The default database (``client[database_name]``).

        Raises:
            LST_MONGO_ERR_NO_DATABASE: no ``database`` option and none in the URL.
        """
        if self._db is None:
            raise errors.LST_MONGO_ERR_NO_DATABASE(
                "unnamed" if self.name is None else repr(self.name)
            )
        return self._db

    def __getattr__(self, name: str) -> Mongo:
        """A named instance: ``app.mongo.replica``."""
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._instances[name]
        except KeyError:
            raise errors.LST_MONGO_ERR_NAME_UNKNOWN(name) from None

    def clients(self) -> list[Any]:
        """This instance's client, then those of its named instances (each once)."""
        found = {id(self.client): self.client}
        for mongo in self._instances.values():
            found.setdefault(id(mongo.client), mongo.client)
        return list(found.values())

    def __contains__(self, name: object) -> bool:
        """Whether a named instance ``name`` is registered: ``"replica" in app.mongo``."""
        return name in self._instances

    def add_named(self, mongo: Mongo) -> None:
        """Make ``mongo`` reachable as ``self.<mongo.name>``.

        Raises:
            LST_MONGO_ERR_NAME_DUPLICATE: that name is taken.
        """
        assert mongo.name is not None
        if mongo.name in self._instances:
            raise errors.LST_MONGO_ERR_NAME_DUPLICATE(mongo.name)
        self._instances[mongo.name] = mongo


_RESERVED = frozenset(name for name in dir(Mongo) if not name.startswith("_"))


def check_name(name: str) -> None:
    """Refuse a name that cannot be read as ``app.mongo.<name>``.

    Raises:
        LST_MONGO_ERR_NAME_INVALID: not an identifier, starts with ``_``, or an
            attribute of :class:`Mongo` (``client``, ``db``...).
    """
    if not name.isidentifier() or name.startswith("_"):
        raise errors.LST_MONGO_ERR_NAME_INVALID(name, "must be an identifier not starting with _")
    if name in _RESERVED:
        raise errors.LST_MONGO_ERR_NAME_INVALID(name, "it is an attribute of app.mongo")
