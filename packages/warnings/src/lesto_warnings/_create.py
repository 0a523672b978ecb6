"""``create_warning`` and ``create_deprecation``: make a :class:`CodedWarning`."""

from __future__ import annotations

from ._categories import LestoDeprecationWarning, category_named
from ._warning import CodedWarning


def create_warning(
    name: str,
    code: str,
    message: str,
    *,
    unlimited: bool = False,
    category: type[Warning] = UserWarning,
) -> CodedWarning:
    """Create a warning emitted as ``[CODE] message`` when the returned object is called.

    Args:
        name: the warning's name: its category is the subclass of ``category``
            with this name (``category`` itself when the names match), so it
            shows in the warning line; must be a Python identifier.
        code: the stable code, upper-cased.
        message: a printf-style template filled from the call's arguments.
        unlimited: emit on every call instead of once per process.
        category: the :class:`Warning` subclass to derive the category from.

    Raises:
        TypeError: ``name``, ``code`` or ``message`` is not a string, ``unlimited``
            is not a bool, or ``category`` is not a :class:`Warning` subclass.
        ValueError: ``name``, ``code`` or ``message`` is empty (or only
            whitespace), or ``name`` is not an identifier.
    """
    _check_text("create_warning", "name", name)
    if not name.isidentifier():
        raise ValueError(f"create_warning: 'name' must be an identifier, got {name!r}")
    _check_text("create_warning", "code", code)
    _check_text("create_warning", "message", message)
    _check_unlimited("create_warning", unlimited)
    if not (isinstance(category, type) and issubclass(category, Warning)):
        raise TypeError(f"create_warning: 'category' must be a Warning subclass, got {category!r}")
    return CodedWarning(
        name,
        code.upper(),
        message,
        unlimited=unlimited,
        category=category_named(name, category),
    )


def create_deprecation(code: str, message: str, *, unlimited: bool = False) -> CodedWarning:
    """Create a deprecation: a warning of category :class:`LestoDeprecationWarning`.

    Args:
        code: the stable code, upper-cased (Lesto core uses ``LSTDEP###``).
        message: a printf-style template filled from the call's arguments.
        unlimited: emit on every call instead of once per process.

    Raises:
        TypeError: ``code`` or ``message`` is not a string, or ``unlimited`` is not a bool.
        ValueError: ``code`` or ``message`` is empty (or only whitespace).
    """
    _check_text("create_deprecation", "code", code)
    _check_text("create_deprecation", "message", message)
    _check_unlimited("create_deprecation", unlimited)
    return CodedWarning(
        LestoDeprecationWarning.__name__,
        code.upper(),
        message,
        unlimited=unlimited,
        category=LestoDeprecationWarning,
    )


def _check_text(function: str, name: str, value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{function}: '{name}' must be a string, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{function}: '{name}' must not be empty")


def _check_unlimited(function: str, unlimited: object) -> None:
    if not isinstance(unlimited, bool):
        raise TypeError(f"{function}: 'unlimited' must be a bool, got {type(unlimited).__name__}")
