"""The lesto-mongodb error catalogue: every error the plugin raises, with its code and status.

Catch them by class (``except errors.LST_MONGO_ERR_CONNECT``) and test them by
``exc.code``; the messages are for people and may change.
"""

from lesto_errors import create_error

__all__ = [
    "LST_MONGO_ERR_ALREADY_REGISTERED",
    "LST_MONGO_ERR_CLIENT_INVALID",
    "LST_MONGO_ERR_CONNECT",
    "LST_MONGO_ERR_DRIVER_MISSING",
    "LST_MONGO_ERR_INVALID_OBJECT_ID",
    "LST_MONGO_ERR_NAME_DUPLICATE",
    "LST_MONGO_ERR_NAME_INVALID",
    "LST_MONGO_ERR_NAME_UNKNOWN",
    "LST_MONGO_ERR_NO_DATABASE",
    "LST_MONGO_ERR_OPTION_INVALID",
    "LST_MONGO_ERR_OPTION_UNKNOWN",
    "LST_MONGO_ERR_UNAVAILABLE",
    "LST_MONGO_ERR_URL_REQUIRED",
]

# --- options -----------------------------------------------------------------------------

LST_MONGO_ERR_OPTION_UNKNOWN = create_error(
    "LST_MONGO_ERR_OPTION_UNKNOWN",
    "Unknown lesto-mongodb option %r: not a plugin option nor a PyMongo client option",
    500,
    TypeError,
)
LST_MONGO_ERR_OPTION_INVALID = create_error(
    "LST_MONGO_ERR_OPTION_INVALID", "Invalid lesto-mongodb option %r: %s", 500, ValueError
)
LST_MONGO_ERR_URL_REQUIRED = create_error(
    "LST_MONGO_ERR_URL_REQUIRED",
    "lesto-mongodb needs a `url` or a `client` option",
    500,
    ValueError,
)
LST_MONGO_ERR_DRIVER_MISSING = create_error(
    "LST_MONGO_ERR_DRIVER_MISSING",
    "driver=%r needs the %s package: pip install 'lesto-mongodb[%s]'",
    500,
    ImportError,
)
LST_MONGO_ERR_CLIENT_INVALID = create_error(
    "LST_MONGO_ERR_CLIENT_INVALID",
    "client= must be a pymongo.AsyncMongoClient or a motor AsyncIOMotorClient, not %s",
    500,
    TypeError,
)

# --- registration ------------------------------------------------------------------------

LST_MONGO_ERR_ALREADY_REGISTERED = create_error(
    "LST_MONGO_ERR_ALREADY_REGISTERED",
    "lesto-mongodb is already registered here (%s): give this registration a `name`",
    500,
)
LST_MONGO_ERR_NAME_DUPLICATE = create_error(
    "LST_MONGO_ERR_NAME_DUPLICATE",
    "A lesto-mongodb instance named %r is already registered",
    500,
)
LST_MONGO_ERR_NAME_INVALID = create_error(
    "LST_MONGO_ERR_NAME_INVALID",
    "Invalid lesto-mongodb instance name %r: %s",
    500,
    ValueError,
)

# --- connection --------------------------------------------------------------------------

LST_MONGO_ERR_CONNECT = create_error(
    "LST_MONGO_ERR_CONNECT",
    "Cannot reach MongoDB at %s: %s",
    503,
    ConnectionError,
)

LST_MONGO_ERR_UNAVAILABLE = create_error(
    "LST_MONGO_ERR_UNAVAILABLE",
    "MongoDB at %s is unavailable: %s",
    503,
    ConnectionError,
)

# --- use ---------------------------------------------------------------------------------

LST_MONGO_ERR_NO_DATABASE = create_error(
    "LST_MONGO_ERR_NO_DATABASE",
    "No default database for the %s lesto-mongodb instance: pass `database` "
    "or put one in the URL path, or use client[name]",
    500,
    LookupError,
)
LST_MONGO_ERR_NAME_UNKNOWN = create_error(
    "LST_MONGO_ERR_NAME_UNKNOWN",
    "No lesto-mongodb instance named %r is registered",
    500,
    AttributeError,
)
LST_MONGO_ERR_INVALID_OBJECT_ID = create_error(
    "LST_MONGO_ERR_INVALID_OBJECT_ID",
    "%s must be a 24-character hex ObjectId, got %r",
    400,
    ValueError,
)
