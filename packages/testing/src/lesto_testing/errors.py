"""The catalogue of every error lesto-testing raises.

Each error has a stable ``LST_TESTING_ERR_*`` code and a printf-style message
template. Code elsewhere raises these classes; tests assert codes.
"""

from __future__ import annotations

from lesto_errors import LestoError, create_error

__all__ = [
    "LST_TESTING_ERR_BAD_SETTING",
    "LST_TESTING_ERR_DRIVER_MISSING",
    "LST_TESTING_ERR_NO_BACKEND",
    "LST_TESTING_ERR_START_FAILED",
    "LST_TESTING_ERR_STOPPED",
    "LST_TESTING_ERR_UNKNOWN_SERVICE",
    "LST_TESTING_ERR_UNSUPPORTED",
    "LestoError",
]

LST_TESTING_ERR_UNKNOWN_SERVICE = create_error(
    "LST_TESTING_ERR_UNKNOWN_SERVICE",
    "Unknown service %r: expected one of %s",
    None,
    ValueError,
)
LST_TESTING_ERR_BAD_SETTING = create_error(
    "LST_TESTING_ERR_BAD_SETTING", "Invalid value %r for %s: %s", None, ValueError
)
LST_TESTING_ERR_NO_BACKEND = create_error(
    "LST_TESTING_ERR_NO_BACKEND",
    "No backend can provide %s (%s). To provide one: %s",
    None,
    RuntimeError,
)
LST_TESTING_ERR_DRIVER_MISSING = create_error(
    "LST_TESTING_ERR_DRIVER_MISSING",
    "%s needs the Python package %r to talk to the server: pip install 'lesto-testing[%s]'",
    None,
    ImportError,
)
LST_TESTING_ERR_START_FAILED = create_error(
    "LST_TESTING_ERR_START_FAILED", "%s (%s backend) did not start: %s%s", None, RuntimeError
)
LST_TESTING_ERR_STOPPED = create_error(
    "LST_TESTING_ERR_STOPPED", "%s was stopped and cannot be %s", None, RuntimeError
)
LST_TESTING_ERR_UNSUPPORTED = create_error(
    "LST_TESTING_ERR_UNSUPPORTED",
    "%s from the %s backend cannot %s: %s",
    None,
    RuntimeError,
)
