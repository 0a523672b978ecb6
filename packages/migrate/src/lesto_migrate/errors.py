"""Every error lesto-migrate raises, with its stable code (``LST_MIGRATE_ERR_*``).

Code elsewhere raises these classes; the README lists them with the CLI's
exit code for each. Tests assert codes, not message text.
"""

from __future__ import annotations

from lesto_errors import create_error

__all__ = [
    "LST_MIGRATE_ERR_BAD_CONNECTION",
    "LST_MIGRATE_ERR_BAD_FILENAME",
    "LST_MIGRATE_ERR_BAD_OPTION",
    "LST_MIGRATE_ERR_BAD_PY_MIGRATION",
    "LST_MIGRATE_ERR_BAD_TARGET",
    "LST_MIGRATE_ERR_BAD_URL",
    "LST_MIGRATE_ERR_CHECKSUM",
    "LST_MIGRATE_ERR_CONNECT",
    "LST_MIGRATE_ERR_DRIVER_MISSING",
    "LST_MIGRATE_ERR_DUPLICATE",
    "LST_MIGRATE_ERR_FAILED",
    "LST_MIGRATE_ERR_LOCK_TIMEOUT",
    "LST_MIGRATE_ERR_MISSING_UNDO",
    "LST_MIGRATE_ERR_NOT_REGISTERED",
    "LST_MIGRATE_ERR_NO_DIRECTORY",
    "LST_MIGRATE_ERR_UNDO_WITHOUT_DO",
]

# Migration files.
LST_MIGRATE_ERR_NO_DIRECTORY = create_error(
    "LST_MIGRATE_ERR_NO_DIRECTORY", "Migrations directory not found: %s", 500, FileNotFoundError
)
LST_MIGRATE_ERR_BAD_FILENAME = create_error(
    "LST_MIGRATE_ERR_BAD_FILENAME",
    "Migration file name does not parse: %s (%s; expected VERSION.do|undo[.DESCRIPTION].sql|py)",
    500,
    ValueError,
)
LST_MIGRATE_ERR_DUPLICATE = create_error(
    "LST_MIGRATE_ERR_DUPLICATE",
    "Two migrations with version %s and action %s: %s and %s",
    500,
    ValueError,
)
LST_MIGRATE_ERR_UNDO_WITHOUT_DO = create_error(
    "LST_MIGRATE_ERR_UNDO_WITHOUT_DO",
    "Undo migration %s has no do migration with version %s",
    500,
    ValueError,
)
LST_MIGRATE_ERR_BAD_PY_MIGRATION = create_error(
    "LST_MIGRATE_ERR_BAD_PY_MIGRATION",
    "Python migration %s: %s",
    500,
    ValueError,
)

# State of the database against the files.
LST_MIGRATE_ERR_CHECKSUM = create_error(
    "LST_MIGRATE_ERR_CHECKSUM",
    "Checksum of applied migration %s changed: %s in the schema table, %s now",
    500,
    ValueError,
)
LST_MIGRATE_ERR_MISSING_UNDO = create_error(
    "LST_MIGRATE_ERR_MISSING_UNDO",
    "Cannot migrate down to %s: no undo file for applied version %s",
    500,
    ValueError,
)
LST_MIGRATE_ERR_BAD_TARGET = create_error(
    "LST_MIGRATE_ERR_BAD_TARGET",
    "Target must be 'max' or a version number >= 0, got %r",
    500,
    ValueError,
)

# Running.
LST_MIGRATE_ERR_FAILED = create_error(
    "LST_MIGRATE_ERR_FAILED",
    "Migration %s failed at %s: %s",
    500,
    RuntimeError,
)
LST_MIGRATE_ERR_LOCK_TIMEOUT = create_error(
    "LST_MIGRATE_ERR_LOCK_TIMEOUT",
    "Another runner held the migration lock on %s for more than %s s",
    503,
    TimeoutError,
)

# Configuration and connection.
LST_MIGRATE_ERR_BAD_OPTION = create_error(
    "LST_MIGRATE_ERR_BAD_OPTION", "Invalid option %s: %s", 500, ValueError
)
LST_MIGRATE_ERR_BAD_URL = create_error(
    "LST_MIGRATE_ERR_BAD_URL",
    "Unsupported database URL %s (use postgresql://, mysql://, mariadb:// or sqlite:///PATH)",
    500,
    ValueError,
)
LST_MIGRATE_ERR_BAD_CONNECTION = create_error(
    "LST_MIGRATE_ERR_BAD_CONNECTION",
    "Unsupported connection object %s (use a URL, an asyncpg or aiomysql connection or pool, "
    "or a sqlite3 connection)",
    500,
    TypeError,
)
LST_MIGRATE_ERR_DRIVER_MISSING = create_error(
    "LST_MIGRATE_ERR_DRIVER_MISSING",
    "%s needs the %s package: pip install 'lesto-migrate[%s]'",
    500,
    ImportError,
)
LST_MIGRATE_ERR_CONNECT = create_error(
    "LST_MIGRATE_ERR_CONNECT", "Cannot connect to %s: %s", 503, ConnectionError
)
LST_MIGRATE_ERR_NOT_REGISTERED = create_error(
    "LST_MIGRATE_ERR_NOT_REGISTERED",
    "lesto-migrate was registered with use=%r but %s: register %s before lesto-migrate, "
    "in this context or an ancestor",
    500,
    LookupError,
)
