"""The two drivers behind one small interface: PyMongo's AsyncMongoClient and motor.

Both expose the same awaitable commands (``client.admin.command``), database
access (``client[name]``) and options; they differ in how a client is made,
recognised and closed, which is what this module covers.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pymongo
from pymongo.errors import ConfigurationError, InvalidURI

from . import errors
from ._retried_writes import retried_writes_listener

__all__ = [
    "close",
    "default_database",
    "describe_error",
    "driver_of",
    "hosts",
    "new_client",
    "ping",
]


def new_client(driver: str, url: str, client_options: dict[str, Any]) -> Any:
    """A client of ``driver`` for ``url``; it connects in the background. Its event
    listeners are the ones asked for and the plugin's :data:`retried_writes_listener`.

    Raises:
        LST_MONGO_ERR_DRIVER_MISSING: ``driver="motor"`` without motor installed.
        LST_MONGO_ERR_OPTION_INVALID: PyMongo refused an option or the URL.
    """
    factory = _motor_client_class(required=True) if driver == "motor" else pymongo.AsyncMongoClient
    listeners = [*client_options.get("event_listeners", ()), retried_writes_listener]
    try:
        return factory(url, **{**client_options, "event_listeners": listeners})
    except (ConfigurationError, TypeError, ValueError) as exc:
        key = "url" if isinstance(exc, InvalidURI) else "a client option"
        raise errors.LST_MONGO_ERR_OPTION_INVALID(key, str(exc), cause=exc) from exc


def driver_of(client: Any) -> str:
    """``"pymongo"`` or ``"motor"``: which driver made ``client``.

    Raises:
        LST_MONGO_ERR_CLIENT_INVALID: ``client`` is neither (a synchronous
            ``MongoClient``, for example).
    """
    if isinstance(client, pymongo.AsyncMongoClient):
        return "pymongo"
    motor_class = _motor_client_class(required=False)
    if motor_class is not None and isinstance(client, motor_class):
        return "motor"
    raise errors.LST_MONGO_ERR_CLIENT_INVALID(type(client).__qualname__)


async def ping(client: Any, deadline: float | None) -> None:
    """Run ``ping``, giving up after ``deadline`` seconds (``None``: the client's own timeouts).

    Server selection fails first when the server is unreachable (after the
    client's ``serverSelectionTimeoutMS``); the deadline covers the rest.

    Raises:
        LST_MONGO_ERR_CONNECT: no answer, or an error, naming the hosts and the cause.
    """
    try:
        async with asyncio.timeout(deadline):
            await client.admin.command("ping")
    except TimeoutError as exc:
        cause = f"no answer within {deadline:g} s"
        raise errors.LST_MONGO_ERR_CONNECT(hosts(client), cause, cause=exc) from exc
    except Exception as exc:
        raise errors.LST_MONGO_ERR_CONNECT(hosts(client), _cause(exc), cause=exc) from exc


def default_database(client: Any) -> str | None:
    """The database named in the client's URL, if any."""
    try:
        return str(client.get_default_database().name)
    except ConfigurationError:
        return None


def hosts(client: Any) -> str:
    """The client's servers as ``host:port`` (never credentials), comma separated."""
    addresses = client.topology_description.server_descriptions()
    return ", ".join(f"{host}:{port}" for host, port in addresses) or "(no hosts resolved)"


async def close(client: Any, driver: str, force: bool) -> None:
    """Close ``client``; with ``force``, without asking the server to end its sessions first.

    A normal close sends ``endSessions``, which waits up to the server
    selection timeout when the server is gone. motor's ``close()`` blocks, so it
    runs in a thread and the event loop keeps serving other work.
    """
    if force:
        _discard_sessions(client.delegate if driver == "motor" else client)
    if driver == "motor":
        await asyncio.to_thread(client.close)
    else:
        await client.close()


def _discard_sessions(client: Any) -> None:
    # PyMongo has no public way to close without ending sessions: empty the
    # topology's session pool, so close() has none to end.
    topology = getattr(client, "_topology", None)
    if topology is not None:
        topology.pop_all_sessions()


def describe_error(exc: BaseException) -> str:
    """The useful head of a driver error (PyMongo appends the whole topology)."""
    return _cause(exc)


def _cause(exc: BaseException) -> str:
    """The useful head of a driver error (PyMongo appends the whole topology)."""
    text = str(exc).split(", Timeout: ")[0] or repr(exc)
    return f"{type(exc).__name__}: {text}"


def _motor_client_class(*, required: bool) -> Any:
    try:
        from motor.motor_asyncio import AsyncIOMotorClient
    except ImportError as exc:
        if required:
            raise errors.LST_MONGO_ERR_DRIVER_MISSING("motor", "motor", "motor", cause=exc) from exc
        return None
    return AsyncIOMotorClient
