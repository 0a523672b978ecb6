"""The router: radix trees per HTTP method, with find-my-way's semantics.

Route syntax: static text, ``:name`` or ``{name}`` parameters, several
parameters in one segment (``:lat-:lng``, ``:from.:to``), regex parameters
(``:file(^\\d+).png``), an optional last parameter (``/:id?``), a trailing
wildcard ``*`` (captured as ``params["*"]``) and ``::`` for a literal colon.
Static beats parametric beats wildcard, with backtracking.

>>> router = Router()
>>> router.on("GET", "/users/:id", "user")
>>> router.find("GET", "/users/42")
('user', {'id': '42'})

Constraints: the built-in ``version`` (semver, from ``Accept-Version``; a
request may ask ``1.2.3``, ``1.2.x``, ``1.x`` or ``*``) and ``host`` (a
string or compiled regex, from ``Host``), plus custom strategies added with
:meth:`Router.add_constraint_strategy`.
"""

from __future__ import annotations

from ._router.constraints import (
    ConstraintStore,
    ConstraintStrategy,
    HostStrategy,
    VersionStrategy,
)
from ._router.leaf import RouteRecord
from ._router.router import NO_HEADERS, Router

__all__ = [
    "NO_HEADERS",
    "ConstraintStore",
    "ConstraintStrategy",
    "HostStrategy",
    "RouteRecord",
    "Router",
    "VersionStrategy",
]
