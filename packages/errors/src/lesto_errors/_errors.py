"""The generic :class:`LestoError` base and :func:`create_error`."""

from __future__ import annotations

import importlib
import sys
from typing import Any, ClassVar

from ._format import format_message

# Classes made by create_error, by (module, code), so pickled instances can
# find their class again after the defining module is imported.
_REGISTRY: dict[tuple[str, str], type[LestoError]] = {}


class LestoError(Exception):
    """Base class of every error with a stable code.

    Subclasses made by :func:`create_error` carry a ``code``, a printf-style
    message template and an HTTP ``status_code``. Instances format the
    template with their positional arguments.
    """

    code: ClassVar[str] = "LST_ERR"
    status_code: ClassVar[int | None] = 500
    template: ClassVar[str] = ""

    message: str

    def __init__(self, *args: object, cause: BaseException | None = None) -> None:
        super().__init__(*args)
        self.message = format_message(type(self).template, args)
        if cause is not None:
            self.__cause__ = cause

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        cls = type(self)
        state = {k: v for k, v in self.__dict__.items() if k != "message"}
        state["message"] = self.message
        return (
            _restore,
            (cls.__module__, cls.__qualname__, cls.code, cls.template, cls.status_code, self.args),
            state,
        )


def _restore(
    module: str,
    qualname: str,
    code: str,
    template: str,
    status_code: int | None,
    args: tuple[object, ...],
) -> LestoError:
    """Rebuild a pickled error, finding its class through its defining module."""
    cls = _find_class(module, qualname, code)
    if cls is None:
        cls = _detached_class(module, qualname, code, template, status_code)
    error = cls.__new__(cls, *args)
    Exception.__init__(error, *args)
    return error


def _find_class(module: str, qualname: str, code: str) -> type[LestoError] | None:
    if qualname == LestoError.__qualname__ and module == LestoError.__module__:
        return LestoError
    if (module, code) not in _REGISTRY:
        try:
            importlib.import_module(module)
        except ImportError:
            return None
    return _REGISTRY.get((module, code))


def _detached_class(
    module: str, qualname: str, code: str, template: str, status_code: int | None
) -> type[LestoError]:
    """A stand-in class for an error whose defining module cannot be imported here."""
    namespace = {"code": code, "template": template, "status_code": status_code}
    cls = type(qualname.rpartition(".")[2], (LestoError,), namespace)
    cls.__module__ = module
    return cls


def create_error(
    code: str,
    message: str,
    status_code: int | None = 500,
    base: type[BaseException] = LestoError,
) -> type[LestoError]:
    """Create an exception class with a stable ``code``, a message template and a status.

    ``message`` is a printf-style template (``"bad %s at %d"``) filled from the
    instance's positional arguments. The class subclasses both
    :class:`LestoError` and ``base``, so ``except base`` catches it too.

    Raises:
        ValueError: ``code`` or ``message`` is empty.
        TypeError: ``base`` is not an exception class.
    """
    if not isinstance(code, str) or not code:
        raise ValueError("create_error: 'code' must be a non-empty string")
    if not isinstance(message, str) or not message:
        raise ValueError("create_error: 'message' must be a non-empty string")
    if not (isinstance(base, type) and issubclass(base, BaseException)):
        raise TypeError(f"create_error: 'base' must be an exception class, got {base!r}")
    code = code.upper()
    bases: tuple[type[BaseException], ...] = (
        (base,) if issubclass(base, LestoError) else (LestoError, base)
    )
    namespace: dict[str, Any] = {
        "code": code,
        "template": message,
        "status_code": status_code or None,
        "__module__": _caller_module(),
        "__doc__": f"{code}: {message}",
    }
    cls: type[LestoError] = type(code, bases, namespace)
    _REGISTRY[(cls.__module__, code)] = cls
    return cls


def _caller_module() -> str:
    """Name of the module that called create_error (two frames up)."""
    try:
        return str(sys._getframe(2).f_globals.get("__name__", __name__))
    except ValueError:
        return __name__
