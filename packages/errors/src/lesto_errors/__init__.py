"""Exception classes with stable codes and HTTP status, made with :func:`create_error`."""

from .__about__ import __version__
from ._errors import LestoError, create_error

__all__ = ["LestoError", "__version__", "create_error"]
