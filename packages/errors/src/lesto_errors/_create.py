"""``create_error``: make an exception class with a stable code."""

from __future__ import annotations

import sys
from typing import Any

from ._errors import LestoError, register_created


def create_error(
    code: str,
    message: str,
    status_code: int | None = 500,
    base: type[BaseException] = LestoError,
) -> type[LestoError]:
    """Create an exception class with a stable ``code``, a message template and a status.

    The class is named after the upper-cased ``code``, so tracebacks show it.
    ``message`` is a printf-style template (``"bad %s at %d"``) filled from
    the instance's positional arguments. The class subclasses both
    :class:`LestoError` and ``base``, so ``except base`` catches it too.

    Args:
        code: the stable code, upper-cased (``"lst_err_x"`` becomes ``"LST_ERR_X"``).
        message: the printf-style message template.
        status_code: the HTTP status the error maps to; a falsy value becomes ``None``.
        base: an exception class to subclass besides :class:`LestoError`; it may
            itself be a class made by ``create_error``.

    Raises:
        TypeError: ``code`` or ``message`` is not a string, or ``base`` is not an
            exception class.
        ValueError: ``code`` or ``message`` is empty (or only whitespace).
    """
    _check_text("code", code)
    _check_text("message", message)
    if not (isinstance(base, type) and issubclass(base, BaseException)):
        raise TypeError(f"create_error: 'base' must be an exception class, got {base!r}")
    code = code.upper()
    bases = (base,) if issubclass(base, LestoError) else (LestoError, base)
    namespace: dict[str, Any] = {
        "code": code,
        "template": message,
        "status_code": status_code or None,
        "__module__": _caller_module(),
        "__doc__": f"{code}: {message}",
    }
    cls: type[LestoError] = type(code, bases, namespace)
    register_created(cls)
    return cls


def _check_text(name: str, value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"create_error: '{name}' must be a string, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"create_error: '{name}' must not be empty")


def _caller_module() -> str:
    """Name of the module that called create_error (two frames up)."""
    try:
        return str(sys._getframe(2).f_globals.get("__name__", __name__))
    except ValueError:
        return __name__
