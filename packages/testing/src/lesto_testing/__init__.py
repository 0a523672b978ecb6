"""Real PostgreSQL, MariaDB/MySQL, Redis and MongoDB servers for tests.

Use the pytest fixtures (installed as a pytest plugin), or :func:`start`
outside pytest::

    with lesto_testing.start("postgres") as pg:
        print(pg.url, pg.version, pg.backend)

Fault tests that stop or kill a server get one of their own from
:func:`dedicated` (or the ``*_dedicated`` fixtures).
"""

from .__about__ import __version__
from ._provision import dedicated, start
from ._service import Service
from ._specs import SERVICE_NAMES
from .errors import (
    LST_TESTING_ERR_BAD_SETTING,
    LST_TESTING_ERR_DRIVER_MISSING,
    LST_TESTING_ERR_NO_BACKEND,
    LST_TESTING_ERR_START_FAILED,
    LST_TESTING_ERR_STOPPED,
    LST_TESTING_ERR_UNKNOWN_SERVICE,
    LST_TESTING_ERR_UNSUPPORTED,
)

__all__ = [
    "LST_TESTING_ERR_BAD_SETTING",
    "LST_TESTING_ERR_DRIVER_MISSING",
    "LST_TESTING_ERR_NO_BACKEND",
    "LST_TESTING_ERR_START_FAILED",
    "LST_TESTING_ERR_STOPPED",
    "LST_TESTING_ERR_UNKNOWN_SERVICE",
    "LST_TESTING_ERR_UNSUPPORTED",
    "SERVICE_NAMES",
    "Service",
    "__version__",
    "dedicated",
    "start",
]
