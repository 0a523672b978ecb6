"""Emit-once warnings and deprecations with stable codes, on Python's ``warnings`` module."""

from .__about__ import __version__
from ._categories import LestoDeprecationWarning
from ._create import create_deprecation, create_warning
from ._warning import CodedWarning

__all__ = [
    "CodedWarning",
    "LestoDeprecationWarning",
    "__version__",
    "create_deprecation",
    "create_warning",
]
