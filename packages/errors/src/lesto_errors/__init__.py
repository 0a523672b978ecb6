"""Exception classes with stable codes and HTTP status, made with :func:`create_error`."""

from .__about__ import __version__
from ._create import create_error
from ._errors import LestoError
from ._format import format_message

__all__ = ["LestoError", "__version__", "create_error", "format_message"]
