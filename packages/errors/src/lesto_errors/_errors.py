"""The generic :class:`LestoError` base and how its instances survive pickling.

Classes made by :func:`~lesto_errors.create_error` are not reachable by
``module.qualname`` when the user binds them to another name, so instances
pickle by value of their class's identity (module, qualname, code) and are
rebuilt by :func:`_restore`, which finds the class again or, when its module
cannot be imported, builds a stand-in that keeps code, template and status.
"""

from __future__ import annotations

import importlib
from typing import Any, ClassVar

from ._format import format_message

# Classes made by create_error, by (module, qualname), so that pickled
# instances find their class again once the defining module is imported.
_CREATED: dict[tuple[str, str], type[LestoError]] = {}
# Stand-ins for classes whose module cannot be imported, one per identity.
_DETACHED: dict[tuple[str, str], type[LestoError]] = {}


class LestoError(Exception):
    """Base class of every error with a stable code.

    Subclasses made by :func:`~lesto_errors.create_error` carry a ``code``, a
    printf-style message ``template`` and an HTTP ``status_code``. Instances
    fill the template from their positional arguments; ``str()`` is the
    resulting ``message``. ``LestoError`` itself has code ``LST_ERR``, status
    500 and an empty template, so ``LestoError("text")`` has message ``text``.

    Args:
        *args: values for the template's placeholders (extra ones are appended).
        cause: the exception that caused this one; sets ``__cause__``.
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
        identity = (cls.__module__, cls.__qualname__, cls.code, cls.template, cls.status_code)
        return (_restore, (*identity, self.args), dict(self.__dict__))


def register_created(cls: type[LestoError]) -> None:
    """Remember a class made by ``create_error`` so unpickling can find it."""
    _CREATED[(cls.__module__, cls.__qualname__)] = cls


def _restore(
    module: str,
    qualname: str,
    code: str,
    template: str,
    status_code: int | None,
    args: tuple[object, ...],
) -> LestoError:
    """Rebuild a pickled error without calling its class's ``__init__``."""
    cls = _find_class(module, qualname, code)
    if cls is None:
        cls = _detached_class(module, qualname, code, template, status_code)
    error = cls.__new__(cls, *args)
    Exception.__init__(error, *args)
    return error


def _find_class(module: str, qualname: str, code: str) -> type[LestoError] | None:
    """The live class for this identity, importing its module if needed."""
    if (module, qualname) not in _CREATED:
        found = _lookup(module, qualname)
        if found is not None and found.code == code:
            return found
    return _CREATED.get((module, qualname))


def _lookup(module: str, qualname: str) -> type[LestoError] | None:
    """``module.qualname`` if it names a LestoError subclass (importing ``module``)."""
    try:
        found: object = importlib.import_module(module)
    except Exception:
        return None
    for part in qualname.split("."):
        found = getattr(found, part, None)
    return found if isinstance(found, type) and issubclass(found, LestoError) else None


def _detached_class(
    module: str, qualname: str, code: str, template: str, status_code: int | None
) -> type[LestoError]:
    """A stand-in class for an error whose defining module cannot be imported here."""
    key = (module, qualname)
    if key not in _DETACHED:
        namespace = {"code": code, "template": template, "status_code": status_code}
        cls = type(qualname.rpartition(".")[2], (LestoError,), namespace)
        cls.__module__ = module
        cls.__qualname__ = qualname
        _DETACHED[key] = cls
    return _DETACHED[key]
