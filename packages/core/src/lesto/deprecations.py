"""The ``LSTDEP###`` deprecations of Lesto core, made with lesto-warnings.

Each deprecation has a stable code and is emitted once per process (Python's
warning filters then decide whether it is shown, ignored or raised). Code
elsewhere calls the object: ``deprecations.LSTDEP001(name)``.
"""

from __future__ import annotations

from lesto_warnings import create_deprecation

__all__ = ["LSTDEP001"]

LSTDEP001 = create_deprecation(
    "LSTDEP001",
    "Decorating with a {'getter': ..., 'setter': ...} mapping ('%s') is deprecated;"
    " pass property(getter, setter) instead",
)
