"""The catalogue of every error Lesto core raises.

Each error has a stable ``LST_ERR_*`` code (Fastify's ``FST_ERR_*`` names with
the prefix changed), a printf-style message template and an HTTP status.
Code elsewhere raises these classes; tests assert codes, not message text.
"""

from __future__ import annotations

from lesto_errors import LestoError, create_error

__all__ = [
    "LestoError",
    "create_error",
]

# --- application options and lifecycle -----------------------------------------------------

LST_ERR_INIT_OPTS_INVALID = create_error(
    "LST_ERR_INIT_OPTS_INVALID", "Invalid initialization option %s: %s", 500, TypeError
)
LST_ERR_ROOT_PLG_BOOTED = create_error(
    "LST_ERR_ROOT_PLG_BOOTED", "Lesto has already booted, cannot %s", 500
)
LST_ERR_INSTANCE_ALREADY_LISTENING = create_error(
    "LST_ERR_INSTANCE_ALREADY_LISTENING", "Lesto instance is already listening, cannot %s", 500
)
LST_ERR_REOPENED_CLOSE_SERVER = create_error(
    "LST_ERR_REOPENED_CLOSE_SERVER", "Lesto has already been closed and cannot be reopened", 500
)
LST_ERR_REOPENED_SERVER = create_error("LST_ERR_REOPENED_SERVER", "Lesto is already listening", 500)

# --- plugins -------------------------------------------------------------------------------

LST_ERR_PLUGIN_NOT_VALID = create_error(
    "LST_ERR_PLUGIN_NOT_VALID",
    "Plugin must be a callable taking (instance, opts), got %s",
    500,
    TypeError,
)
LST_ERR_PLUGIN_TIMEOUT = create_error(
    "LST_ERR_PLUGIN_TIMEOUT",
    "Plugin did not start in time: '%s'. Check that it finishes, or raise plugin_timeout"
    " (currently %s s)",
    500,
)
LST_ERR_PLUGIN_VERSION_MISMATCH = create_error(
    "LST_ERR_PLUGIN_VERSION_MISMATCH",
    "Plugin '%s' expects lesto %s, but the installed version is %s",
    500,
)
LST_ERR_PLUGIN_NOT_PRESENT_IN_INSTANCE = create_error(
    "LST_ERR_PLUGIN_NOT_PRESENT_IN_INSTANCE",
    "Plugin '%s' needs the %s decorator '%s', which is not present. Register the plugin that"
    " provides it first",
    500,
)
LST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED = create_error(
    "LST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED",
    "Plugin '%s' depends on '%s', which is not registered in this context or its ancestors",
    500,
)
LST_ERR_PLUGIN_INVALID_ASYNC_HANDLER = create_error(
    "LST_ERR_PLUGIN_INVALID_ASYNC_HANDLER",
    "Plugin '%s' returned an awaitable from a plain function; declare it with 'async def'",
    500,
    TypeError,
)
LST_ERR_PLUGIN_OPTS_INVALID = create_error(
    "LST_ERR_PLUGIN_OPTS_INVALID", "Invalid options for plugin '%s': %s", 500, TypeError
)
LST_ERR_PLUGIN_META_INVALID = create_error(
    "LST_ERR_PLUGIN_META_INVALID", "Invalid @plugin metadata '%s': %s", 500, TypeError
)
LST_ERR_PLUGIN_AFTER_INVALID = create_error(
    "LST_ERR_PLUGIN_AFTER_INVALID",
    "An after() callback must be a function taking (error) or no argument, got %s",
    500,
    TypeError,
)

# --- decorators ----------------------------------------------------------------------------

LST_ERR_DEC_ALREADY_PRESENT = create_error(
    "LST_ERR_DEC_ALREADY_PRESENT", "The decorator '%s' has already been added", 500
)
LST_ERR_DEC_DEPENDENCY_INVALID_TYPE = create_error(
    "LST_ERR_DEC_DEPENDENCY_INVALID_TYPE",
    "The dependencies of decorator '%s' must be a list of names",
    500,
    TypeError,
)
LST_ERR_DEC_MISSING_DEPENDENCY = create_error(
    "LST_ERR_DEC_MISSING_DEPENDENCY", "The decorator is missing dependency '%s'", 500
)
LST_ERR_DEC_AFTER_START = create_error(
    "LST_ERR_DEC_AFTER_START", "The decorator '%s' has been added after start", 500
)
LST_ERR_DEC_REFERENCE_TYPE = create_error(
    "LST_ERR_DEC_REFERENCE_TYPE",
    "The decorator '%s' of type '%s' is a mutable reference shared by every request; use a"
    " factory function or a property instead",
    500,
    TypeError,
)
LST_ERR_DEC_UNDECLARED = create_error(
    "LST_ERR_DEC_UNDECLARED", "No decorator '%s' has been declared on %s", 500
)
LST_ERR_DEC_RESERVED_NAME = create_error(
    "LST_ERR_DEC_RESERVED_NAME",
    "The decorator '%s' would shadow a core attribute of %s; choose another name",
    500,
)

# --- hooks ---------------------------------------------------------------------------------

LST_ERR_HOOK_INVALID_TYPE = create_error(
    "LST_ERR_HOOK_INVALID_TYPE", "The hook name must be a string", 500, TypeError
)
LST_ERR_HOOK_INVALID_HANDLER = create_error(
    "LST_ERR_HOOK_INVALID_HANDLER",
    "%s hook should be a function, instead got %s",
    500,
    TypeError,
)
LST_ERR_HOOK_NOT_SUPPORTED = create_error(
    "LST_ERR_HOOK_NOT_SUPPORTED", "%s hook not supported", 500, TypeError
)
LST_ERR_HOOK_INVALID_SIGNATURE = create_error(
    "LST_ERR_HOOK_INVALID_SIGNATURE", "%s hook must accept %s, got %s", 500, TypeError
)
LST_ERR_HOOK_INVALID_ASYNC_HANDLER = create_error(
    "LST_ERR_HOOK_INVALID_ASYNC_HANDLER",
    "%s hooks run synchronously; declare the hook with 'def', not 'async def'",
    500,
    TypeError,
)
LST_ERR_HOOK_TIMEOUT = create_error(
    "LST_ERR_HOOK_TIMEOUT",
    "A callback for '%s' hook '%s' timed out. Check that it finishes, or raise plugin_timeout",
    500,
)

# --- routes and router ---------------------------------------------------------------------

LST_ERR_DUPLICATED_ROUTE = create_error(
    "LST_ERR_DUPLICATED_ROUTE", "Method '%s' already declared for route '%s'", 500
)
LST_ERR_INVALID_URL = create_error(
    "LST_ERR_INVALID_URL",
    "URL must be a string starting with '/' or '*', got '%s'",
    500,
    TypeError,
)
LST_ERR_ROUTE_OPTIONS_NOT_OBJ = create_error(
    "LST_ERR_ROUTE_OPTIONS_NOT_OBJ",
    "Options for '%s:%s' route must be a mapping",
    500,
    TypeError,
)
LST_ERR_ROUTE_DUPLICATED_HANDLER = create_error(
    "LST_ERR_ROUTE_DUPLICATED_HANDLER", "Duplicate handler for '%s:%s' route is not allowed", 500
)
LST_ERR_ROUTE_MISSING_HANDLER = create_error(
    "LST_ERR_ROUTE_MISSING_HANDLER", "Missing handler function for '%s:%s' route", 500
)
LST_ERR_ROUTE_METHOD_INVALID = create_error(
    "LST_ERR_ROUTE_METHOD_INVALID", "Provided method is invalid: %s", 500, TypeError
)
LST_ERR_ROUTE_METHOD_NOT_SUPPORTED = create_error(
    "LST_ERR_ROUTE_METHOD_NOT_SUPPORTED",
    "%s method is not supported; add it with add_http_method()",
    500,
)
LST_ERR_ROUTE_BODY_VALIDATION_SCHEMA_NOT_SUPPORTED = create_error(
    "LST_ERR_ROUTE_BODY_VALIDATION_SCHEMA_NOT_SUPPORTED",
    "Body validation schema for %s:%s route is not supported: %s requests have no body",
    500,
)
LST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT = create_error(
    "LST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT",
    "'body_limit' option must be a positive integer, got '%s'",
    500,
    TypeError,
)
LST_ERR_ROUTE_REWRITE_NOT_STR = create_error(
    "LST_ERR_ROUTE_REWRITE_NOT_STR",
    "Rewrite url for '%s' needs to be a string, got '%s'",
    500,
    TypeError,
)
LST_ERR_ROUTE_OPTION_UNKNOWN = create_error(
    "LST_ERR_ROUTE_OPTION_UNKNOWN",
    "Unknown route option '%s' for %s; put plugin-specific settings in 'config'",
    500,
    TypeError,
)
LST_ERR_ROUTE_OPTION_INVALID = create_error(
    "LST_ERR_ROUTE_OPTION_INVALID", "Route option '%s' must be %s", 500, TypeError
)
LST_ERR_ROUTER_INVALID_PATH = create_error(
    "LST_ERR_ROUTER_INVALID_PATH", "Invalid route path '%s': %s", 500, ValueError
)
LST_ERR_CONSTRAINT_NOT_SUPPORTED = create_error(
    "LST_ERR_CONSTRAINT_NOT_SUPPORTED",
    "No constraint strategy named '%s'; add one with add_constraint_strategy()",
    500,
)
LST_ERR_ROUTER_INVALID_CONSTRAINT = create_error(
    "LST_ERR_ROUTER_INVALID_CONSTRAINT", "Invalid value for constraint '%s': %s", 500, ValueError
)
LST_ERR_ROUTER_INVALID_STRATEGY = create_error(
    "LST_ERR_ROUTER_INVALID_STRATEGY", "Invalid constraint strategy '%s': %s", 500, TypeError
)
LST_ERR_BAD_URL = create_error("LST_ERR_BAD_URL", "'%s' is not a valid url component", 400)
LST_ERR_NOT_FOUND = create_error("LST_ERR_NOT_FOUND", "Route %s:%s not found", 404)
LST_ERR_METHOD_NOT_ALLOWED = create_error(
    "LST_ERR_METHOD_NOT_ALLOWED", "Method %s not allowed on %s", 405
)
LST_ERR_NOT_FOUND_HANDLER_ALREADY_SET = create_error(
    "LST_ERR_NOT_FOUND_HANDLER_ALREADY_SET",
    "Not found handler already set for prefix '%s'",
    500,
)
LST_ERR_ERROR_HANDLER_NOT_FN = create_error(
    "LST_ERR_ERROR_HANDLER_NOT_FN", "Error handler must be a function", 500, TypeError
)

# --- content type parsers and bodies -------------------------------------------------------

LST_ERR_CTP_ALREADY_PRESENT = create_error(
    "LST_ERR_CTP_ALREADY_PRESENT", "Content type parser for '%s' already present", 500
)
LST_ERR_CTP_INVALID_TYPE = create_error(
    "LST_ERR_CTP_INVALID_TYPE",
    "The content type should be a string, a list of strings or a compiled regex",
    500,
    TypeError,
)
LST_ERR_CTP_EMPTY_TYPE = create_error(
    "LST_ERR_CTP_EMPTY_TYPE", "The content type cannot be an empty string", 500, ValueError
)
LST_ERR_CTP_INVALID_HANDLER = create_error(
    "LST_ERR_CTP_INVALID_HANDLER", "The content type parser should be a function", 500, TypeError
)
LST_ERR_CTP_INVALID_PARSE_TYPE = create_error(
    "LST_ERR_CTP_INVALID_PARSE_TYPE",
    "The body parser can only parse your data as 'str' or 'bytes', got '%s'",
    500,
    ValueError,
)
LST_ERR_CTP_BODY_TOO_LARGE = create_error(
    "LST_ERR_CTP_BODY_TOO_LARGE", "Request body is too large", 413
)
LST_ERR_CTP_INVALID_MEDIA_TYPE = create_error(
    "LST_ERR_CTP_INVALID_MEDIA_TYPE", "Unsupported Media Type: %s", 415
)
LST_ERR_CTP_INVALID_CONTENT_LENGTH = create_error(
    "LST_ERR_CTP_INVALID_CONTENT_LENGTH",
    "Request body size did not match Content-Length",
    400,
)
LST_ERR_CTP_EMPTY_JSON_BODY = create_error(
    "LST_ERR_CTP_EMPTY_JSON_BODY",
    "Body cannot be empty when content-type is set to 'application/json'",
    400,
)
LST_ERR_CTP_INVALID_JSON_BODY = create_error(
    "LST_ERR_CTP_INVALID_JSON_BODY", "Body is not valid JSON but content-type is set to '%s'", 400
)
LST_ERR_CTP_INSTANCE_ALREADY_STARTED = create_error(
    "LST_ERR_CTP_INSTANCE_ALREADY_STARTED",
    "Cannot call '%s' when the Lesto instance is already started",
    400,
)
LST_ERR_CTP_INVALID_UTF8_BODY = create_error(
    "LST_ERR_CTP_INVALID_UTF8_BODY", "Body is not valid UTF-8 but is parsed as text", 400
)
LST_ERR_BAD_HEADER = create_error("LST_ERR_BAD_HEADER", "Invalid request header %s", 400)
LST_ERR_QUERYSTRING_TOO_LARGE = create_error(
    "LST_ERR_QUERYSTRING_TOO_LARGE", "Query string has more than %s parameters", 414
)
LST_ERR_HEADERS_TOO_LARGE = create_error(
    "LST_ERR_HEADERS_TOO_LARGE",
    "Request header fields too large: more than %s",
    431,
)
LST_ERR_QUERYSTRING_VALUE_TOO_LARGE = create_error(
    "LST_ERR_QUERYSTRING_VALUE_TOO_LARGE",
    "Query string parameter '%s' is longer than %s characters",
    414,
)

# --- reply ---------------------------------------------------------------------------------

LST_ERR_REP_ALREADY_SENT = create_error(
    "LST_ERR_REP_ALREADY_SENT",
    "Reply was already sent, did you forget to 'return reply'? (%s)",
    500,
)
LST_ERR_REP_INVALID_PAYLOAD_TYPE = create_error(
    "LST_ERR_REP_INVALID_PAYLOAD_TYPE",
    "Attempted to send payload of invalid type '%s'. Expected str, bytes or an iterator",
    500,
    TypeError,
)
LST_ERR_BAD_STATUS_CODE = create_error(
    "LST_ERR_BAD_STATUS_CODE", "Called reply with an invalid status code: %s", 500
)
LST_ERR_INVALID_HEADER_VALUE = create_error(
    "LST_ERR_INVALID_HEADER_VALUE",
    "Header '%s' contains a CR or LF character and was refused",
    400,
    ValueError,
)
LST_ERR_REP_SENT_HIJACKED = create_error(
    "LST_ERR_REP_SENT_HIJACKED", "The reply was hijacked and cannot be sent by Lesto", 500
)
LST_ERR_HANDLER_TIMEOUT = create_error(
    "LST_ERR_HANDLER_TIMEOUT", "Request timed out after %s ms in the handler of %s", 503
)
LST_ERR_SERVICE_UNAVAILABLE = create_error(
    "LST_ERR_SERVICE_UNAVAILABLE", "Service Unavailable: the server is closing", 503
)
LST_ERR_MISSING_SERIALIZATION_FN = create_error(
    "LST_ERR_MISSING_SERIALIZATION_FN", "Missing serialization function. Key '%s'", 500
)
LST_ERR_FAILED_SERIALIZATION = create_error(
    "LST_ERR_FAILED_SERIALIZATION", "Failed to serialize the response: %s", 500
)

# --- schemas and validation ----------------------------------------------------------------

LST_ERR_VALIDATION = create_error("LST_ERR_VALIDATION", "%s", 400)
LST_ERR_SCH_MISSING_ID = create_error("LST_ERR_SCH_MISSING_ID", "Missing schema $id property", 500)
LST_ERR_SCH_ALREADY_PRESENT = create_error(
    "LST_ERR_SCH_ALREADY_PRESENT", "Schema with id '%s' already declared", 500
)
LST_ERR_SCH_DUPLICATE = create_error(
    "LST_ERR_SCH_DUPLICATE", "Schema with '%s' already present", 500
)
LST_ERR_SCH_CONTENT_MISSING_SCHEMA = create_error(
    "LST_ERR_SCH_CONTENT_MISSING_SCHEMA", "Schema is missing for the content type '%s'", 500
)
LST_ERR_SCH_INVALID = create_error("LST_ERR_SCH_INVALID", "Invalid %s schema for route %s: %s", 500)
LST_ERR_SCH_VALIDATION_BUILD = create_error(
    "LST_ERR_SCH_VALIDATION_BUILD",
    "Failed building the validation schema for %s: %s, due to: %s",
    500,
)
LST_ERR_SCH_SERIALIZATION_BUILD = create_error(
    "LST_ERR_SCH_SERIALIZATION_BUILD",
    "Failed building the serialization schema for %s: %s, due to: %s",
    500,
)
LST_ERR_SCH_RESPONSE_SCHEMA_NOT_NESTED_2XX = create_error(
    "LST_ERR_SCH_RESPONSE_SCHEMA_NOT_NESTED_2XX",
    "response schemas should be nested under a valid status code, e.g {'2xx': {'type': ...}}",
    500,
)

# --- logging -------------------------------------------------------------------------------

LST_ERR_LOG_INVALID_LOGGER_CONFIG = create_error(
    "LST_ERR_LOG_INVALID_LOGGER_CONFIG", "Invalid logger configuration: %s", 500, TypeError
)
LST_ERR_LOG_INVALID_LOGGER_INSTANCE = create_error(
    "LST_ERR_LOG_INVALID_LOGGER_INSTANCE",
    "logger_instance must be a logging.Logger or a lesto Logger, got %s",
    500,
    TypeError,
)
LST_ERR_LOG_LOGGER_AND_LOGGER_INSTANCE_PROVIDED = create_error(
    "LST_ERR_LOG_LOGGER_AND_LOGGER_INSTANCE_PROVIDED",
    "Pass either logger options or logger_instance, not both",
    500,
    TypeError,
)
LST_ERR_LOG_INVALID_LEVEL = create_error(
    "LST_ERR_LOG_INVALID_LEVEL", "Unknown log level %r; expected one of %s", 500, ValueError
)

# --- inject --------------------------------------------------------------------------------

LST_ERR_INJECT_INVALID_OPTION = create_error(
    "LST_ERR_INJECT_INVALID_OPTION", "Invalid inject option '%s': %s", 500, TypeError
)
LST_ERR_INJECT_PAYLOAD_AND_BODY = create_error(
    "LST_ERR_INJECT_PAYLOAD_AND_BODY",
    "inject takes either 'payload' or 'body' (an alias), not both",
    500,
    TypeError,
)
LST_ERR_INJECT_ALREADY_INVOKED = create_error(
    "LST_ERR_INJECT_ALREADY_INVOKED",
    "The injected request has already been sent, cannot call %s(); build a new chain",
    500,
)
LST_ERR_INJECT_ASGI_PROTOCOL = create_error(
    "LST_ERR_INJECT_ASGI_PROTOCOL", "The application broke the ASGI protocol: %s", 500
)
LST_ERR_INJECT_INCOMPLETE_RESPONSE = create_error(
    "LST_ERR_INJECT_INCOMPLETE_RESPONSE",
    "The application returned before completing the response: %s",
    500,
)

__all__ += [name for name in list(globals()) if name.startswith("LST_ERR_")]
