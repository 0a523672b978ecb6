"""Warning categories: Lesto's deprecation category and categories named per warning."""

from __future__ import annotations

import threading


class LestoDeprecationWarning(DeprecationWarning):
    """Category of every deprecation made by :func:`~lesto_warnings.create_deprecation`.

    A subclass of :class:`DeprecationWarning`, so the standard controls for
    deprecations (``-W error::DeprecationWarning``, pytest's defaults, ...)
    apply, and ``lesto_warnings.LestoDeprecationWarning`` selects only Lesto's.
    """


LestoDeprecationWarning.__module__ = "lesto_warnings"

_NAMED: dict[tuple[str, type[Warning]], type[Warning]] = {}
_NAMED_LOCK = threading.Lock()


def category_named(name: str, base: type[Warning]) -> type[Warning]:
    """The subclass of ``base`` called ``name`` (``base`` itself when it has that name).

    One class per (name, base) pair, so warnings created with the same name
    share a category that filters and ``pytest.warns`` can select.
    """
    if base.__name__ == name:
        return base
    with _NAMED_LOCK:
        if (name, base) not in _NAMED:
            doc = f"{name}: warnings of category {base.__name__} made by lesto_warnings."
            _NAMED[(name, base)] = type(name, (base,), {"__doc__": doc})
        return _NAMED[(name, base)]
