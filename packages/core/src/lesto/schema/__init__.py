"""JSON Schema validation and serialisation for Lesto (Fastify v5 + Ajv semantics).

At route-add time: :func:`normalize_route_schema`. At ready time:
:func:`compile_route_validators` and :func:`compile_response_serializers`
with the context's compilers (:func:`default_validator_compiler`,
:func:`default_serializer_compiler`, built from the context's
:class:`SchemaStore`). Per request: call the compiled functions.
"""

from __future__ import annotations

from .compilers import (
    ResponseSerializers,
    RouteSchemaDef,
    RouteValidators,
    SerializerCompiler,
    ValidatorCompiler,
    compile_response_serializers,
    compile_route_validators,
    default_serializer_compiler,
    default_validator_compiler,
)
from .encoders import register_json_encoder
from .messages import (
    ErrorFormatter,
    ValidationDetail,
    custom_validation_error,
    format_validation_message,
    validation_error,
)
from .providers import TypeProvider, provider_for
from .route_schema import HTTP_PARTS, RouteSchema, SchemaPart, normalize_route_schema
from .serializer import Serializer, compile_serializer, default_serializer
from .store import SchemaStore
from .validator import Validator, compile_check, compile_validator

__all__ = [
    "HTTP_PARTS",
    "ErrorFormatter",
    "ResponseSerializers",
    "RouteSchema",
    "RouteSchemaDef",
    "RouteValidators",
    "SchemaPart",
    "SchemaStore",
    "Serializer",
    "SerializerCompiler",
    "TypeProvider",
    "ValidationDetail",
    "Validator",
    "ValidatorCompiler",
    "compile_check",
    "compile_response_serializers",
    "compile_route_validators",
    "compile_serializer",
    "compile_validator",
    "custom_validation_error",
    "default_serializer",
    "default_serializer_compiler",
    "default_validator_compiler",
    "format_validation_message",
    "normalize_route_schema",
    "provider_for",
    "register_json_encoder",
    "validation_error",
]
