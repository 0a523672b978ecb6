"""Types for editors and type checkers: ``app.pg`` and ``request.pg``.

Decorators are added at run time, so a checker cannot see them on
``Lesto`` and ``Request``. Annotate with these subclasses instead; they
are never instantiated::

    async def routes(app: PgApp, opts): ...            # app.pg: Postgres

    async def handler(request: PgRequest, reply): ...  # request.pg: a connection
"""

from __future__ import annotations

from asyncpg import Connection  # type: ignore[import-untyped]
from lesto import Lesto, Request

from .database import Postgres
from .transactions import RequestConnections

__all__ = ["PgApp", "PgNamedRequest", "PgRequest"]


class PgApp(Lesto):
    """An application (or plugin instance) with lesto-postgres registered."""

    pg: Postgres


class PgRequest(Request):
    """A request of a route with ``config={"pg": {"transact": True}}``.

    ``pg`` is a pooled connection (asyncpg's proxy of a ``Connection``) inside
    the route's transaction.
    """

    pg: Connection


class PgNamedRequest(Request):
    """A request of a route with ``config={"pg": {"transact": "name"}}``: ``request.pg.name``."""

    pg: RequestConnections
