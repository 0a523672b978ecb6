"""MySQL and MariaDB for Lesto on aiomysql: the analogue of @fastify/mysql.

::

    import lesto_mysql

    app.register(lesto_mysql.plugin, url="mysql://root@localhost/shop")

    @app.get("/user/:id")
    async def user(request, reply):
        sql = "SELECT id, name FROM users WHERE id = %s"
        return await app.mysql.query(sql, [request.params["id"]])
"""

from . import errors
from .__about__ import __version__
from ._client import MySQL
from ._connection import Connection, Result
from ._options import DEFAULTS
from ._plugin import plugin
from ._sql import escape, escape_id, format_sql
from .errors import (
    LST_MYSQL_ERR_ALREADY_REGISTERED,
    LST_MYSQL_ERR_CLOSED,
    LST_MYSQL_ERR_CONNECT,
    LST_MYSQL_ERR_DUPLICATE_NAME,
    LST_MYSQL_ERR_NO_DEFAULT,
    LST_MYSQL_ERR_OPTION_INVALID,
    LST_MYSQL_ERR_OPTION_UNKNOWN,
    LST_MYSQL_ERR_POOL_TIMEOUT,
    LST_MYSQL_ERR_RESERVED_NAME,
    LST_MYSQL_ERR_ROUTE_CONFIG,
    LST_MYSQL_ERR_UNAVAILABLE,
    LST_MYSQL_ERR_UNKNOWN_INSTANCE,
)

__all__ = [
    "DEFAULTS",
    "LST_MYSQL_ERR_ALREADY_REGISTERED",
    "LST_MYSQL_ERR_CLOSED",
    "LST_MYSQL_ERR_CONNECT",
    "LST_MYSQL_ERR_DUPLICATE_NAME",
    "LST_MYSQL_ERR_NO_DEFAULT",
    "LST_MYSQL_ERR_OPTION_INVALID",
    "LST_MYSQL_ERR_OPTION_UNKNOWN",
    "LST_MYSQL_ERR_POOL_TIMEOUT",
    "LST_MYSQL_ERR_RESERVED_NAME",
    "LST_MYSQL_ERR_ROUTE_CONFIG",
    "LST_MYSQL_ERR_UNAVAILABLE",
    "LST_MYSQL_ERR_UNKNOWN_INSTANCE",
    "Connection",
    "MySQL",
    "Result",
    "__version__",
    "errors",
    "escape",
    "escape_id",
    "format_sql",
    "plugin",
]
