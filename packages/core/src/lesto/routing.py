"""The application-wide HTTP state: routes, the router, not-found handlers, dispatch.

One :class:`Routing` is shared by every instance of an application. Routes
are added to the router as soon as they are declared (so duplicates fail at
once) and compiled at ``ready()``, when every context's hooks, parsers,
schemas and handlers are final. :meth:`Routing.dispatch` is the ASGI entry of
every HTTP request.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import orjson

from . import errors
from ._router.router import match_tail
from .error_handler import phrase
from .headers import Headers
from .hooks import REQUEST_HOOKS, HookEntry
from .lifecycle import Route
from .logging import NullLogger, build_req_id_generator, create_logger
from .proxy import compile_trust
from .querystring import parse_query
from .route import (
    check_option_names,
    check_scalars,
    expand_paths,
    freeze,
    normalize_hooks,
    normalize_methods,
)
from .router import NO_HEADERS, Router
from .schema import (
    ErrorFormatter,
    SchemaStore,
    SerializerCompiler,
    ValidatorCompiler,
    default_serializer_compiler,
    default_validator_compiler,
    normalize_route_schema,
)

if TYPE_CHECKING:
    from ._router.router import TailParam
    from .context import Context
    from .reply import Reply
    from .request import Request

__all__ = ["DEFAULT_METHODS", "Routing"]

#: The methods Lesto knows from the start, and whether their requests carry a body.
DEFAULT_METHODS: Mapping[str, bool] = {
    "GET": False,
    "HEAD": False,
    "POST": True,
    "PUT": True,
    "PATCH": True,
    "DELETE": True,
    "OPTIONS": True,
    "QUERY": True,
    "TRACE": False,
}

_SAFE_PATH = "/%:@!$&'()*+,;=-._~"


def default_not_found_handler(request: Request, reply: Reply) -> dict[str, Any]:
    """The default 404: ``LST_ERR_NOT_FOUND`` naming the method and path."""
    error = errors.LST_ERR_NOT_FOUND(request.method, request.url)
    reply.code(404)
    return {
        "statusCode": 404,
        "code": error.code,
        "error": phrase(404),
        "message": error.message,
    }


@dataclasses.dataclass(slots=True)
class NotFoundHandler:
    """A not-found handler set in one context (its prefix)."""

    ctx: Context
    handler: Callable[..., Any]
    hooks: dict[str, tuple[HookEntry, ...]]


class Routing:
    """Routes, router and request dispatch of one application."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        router_options = {
            "case_sensitive": config["case_sensitive"],
            "ignore_trailing_slash": config["ignore_trailing_slash"],
            "ignore_duplicate_slashes": config["ignore_duplicate_slashes"],
            "max_param_length": config["max_param_length"],
        }
        self.router: Router[Route] = Router(**router_options)
        self.not_found_router: Router[Route] = Router(**router_options)
        for strategy in (config["constraints"] or {}).values():
            self.router.add_constraint_strategy(strategy)
        self.methods: dict[str, bool] = dict(DEFAULT_METHODS)
        self.routes: list[Route] = []
        self.not_found_handlers: dict[str, NotFoundHandler] = {}
        self.default_not_found: Route | None = None
        self.hook_names = tuple(REQUEST_HOOKS)
        self.body_limit: int = config["body_limit"]
        self.handler_timeout: float = config["handler_timeout"]
        self.expose_head_routes: bool = config["expose_head_routes"]
        self.all_errors: bool = config["all_errors"]
        self.trust_proxy = compile_trust(config["trust_proxy"])
        self.querystring_parser: Callable[[str], Any] | None = config["querystring_parser"]
        self.return_503_on_closing: bool = config["return_503_on_closing"]
        self.max_header_size: int = config["max_header_size"]
        self.max_header_count: int = config["max_header_count"]
        self.root_log = create_logger(config["logger"], logger_instance=config["logger_instance"])
        self.has_logger = not isinstance(self.root_log, NullLogger)
        self.log_requests = self.has_logger and not config["disable_request_logging"]
        self.gen_req_id = build_req_id_generator(config["request_id_header"], config["gen_req_id"])
        self.id_label: str = config["request_id_log_label"]
        self.closing = False
        self.built = False
        # {method: {raw path: route}} for routes found without matching work (see
        # Router.exact_paths); empty until built and once closing, so those go the long way.
        self.exact_routes: dict[str, dict[bytes, Route]] = {}
        # {method: {prefix: entry}} for routes like /users/:id (see Router.tail_params),
        # under the same rules as exact_routes.
        self.tail_routes: dict[str, dict[bytes, TailParam[Route]]] = {}
        self.max_param_length = self.router.max_param_length
        self.uses_constraints = False
        self._compilers: dict[int, tuple[SchemaStore, Any, Any]] = {}

    # --- declaring routes ------------------------------------------------------------------------

    def add_route(self, ctx: Context, options: Mapping[str, Any]) -> list[Route]:
        """Check a route's options, run ``on_route`` hooks, add it to the router."""
        where = f"{options.get('method')}:{options.get('url')}"
        check_option_names(options, where)
        config = options.get("config")
        if config is not None and not isinstance(config, Mapping):
            raise errors.LST_ERR_ROUTE_OPTION_INVALID("config", "a mapping")
        mutable: dict[str, Any] = dict(options)
        mutable["config"] = dict(config or {})
        for name in REQUEST_HOOKS:
            value = mutable.get(name)
            mutable[name] = (
                list(value) if isinstance(value, list | tuple) else [] if value is None else [value]
            )
        mutable["prefix"] = ctx.prefix
        ctx.run_on_route(mutable)
        mutable.pop("prefix", None)
        check_option_names(mutable, where)
        check_scalars(mutable, where)
        methods = normalize_methods(mutable.get("method"), self.methods)
        paths = expand_paths(
            ctx.prefix,
            mutable.get("url"),
            mutable.get("prefix_trailing_slash", "both"),
            ignore_trailing_slash=self.router.ignore_trailing_slash,
        )
        hooks = normalize_hooks(mutable)
        added: list[Route] = []
        for method in methods:
            schema = normalize_route_schema(mutable.get("schema"), method=method, url=paths[0])
            if schema.body is not None and not self.methods[method]:
                raise errors.LST_ERR_ROUTE_BODY_VALIDATION_SCHEMA_NOT_SUPPORTED(
                    method, paths[0], method
                )
            for path in paths:
                frozen = freeze(
                    mutable,
                    method=method,
                    url=path,
                    prefix=ctx.prefix,
                    expose_head_default=self.expose_head_routes,
                    hooks=hooks,
                )
                route = Route(self, ctx, frozen, schema, hooks, parses_body=self.methods[method])
                self.router.on(method, path, route, frozen.constraints)
                self.routes.append(route)
                added.append(route)
        return added

    def add_http_method(self, name: str, *, has_body: bool) -> None:
        """Let routes use ``name`` (upper-cased); ``has_body`` says whether bodies are parsed.

        Raises:
            LST_ERR_ROUTE_METHOD_INVALID: ``name`` is not a token.
        """
        if not isinstance(name, str) or not name.isalpha():
            raise errors.LST_ERR_ROUTE_METHOD_INVALID(repr(name))
        self.methods[name.upper()] = bool(has_body)

    def set_not_found_handler(
        self, ctx: Context, handler: Callable[..., Any], hooks: dict[str, tuple[HookEntry, ...]]
    ) -> None:
        """Use ``handler`` for unmatched requests under the context's prefix.

        Raises:
            LST_ERR_NOT_FOUND_HANDLER_ALREADY_SET: this prefix already has one.
        """
        if ctx.prefix in self.not_found_handlers:
            raise errors.LST_ERR_NOT_FOUND_HANDLER_ALREADY_SET(ctx.prefix or "/")
        self.not_found_handlers[ctx.prefix] = NotFoundHandler(ctx, handler, hooks)

    # --- building (at ready) ---------------------------------------------------------------------

    def build(self, root: Context) -> None:
        """Compile every route, add HEAD routes and the not-found routes."""
        self.uses_constraints = self.router.uses_constraints
        self._add_head_routes()
        self._add_not_found_routes(root)
        for route in self.routes:
            route.compile()
        self.exact_routes = self.router.exact_paths()
        self.tail_routes = self.router.tail_params()
        self.built = True

    def begin_closing(self) -> None:
        """From now on (with ``return_503_on_closing``) new requests are refused with a 503."""
        self.closing = True
        self.exact_routes = {}
        self.tail_routes = {}

    def _add_head_routes(self) -> None:
        for route in list(self.routes):
            options = route.options
            if options.method != "GET" or not options.expose_head_route:
                continue
            if self.router.has_route("HEAD", options.url, options.constraints):
                continue
            head_options = dataclasses.replace(options, method="HEAD")
            head = Route(
                self,
                route.ctx,
                head_options,
                route.schema,
                route.route_hooks,
                parses_body=False,
                is_head=True,
            )
            self.router.on("HEAD", options.url, head, options.constraints)
            self.routes.append(head)

    def _add_not_found_routes(self, root: Context) -> None:
        if "" not in self.not_found_handlers:
            self.not_found_handlers[""] = NotFoundHandler(root, default_not_found_handler, {})
        for prefix, entry in self.not_found_handlers.items():
            route = self._not_found_route(prefix, entry)
            if prefix == "":
                self.default_not_found = route
            paths = [prefix, prefix + "/*"] if prefix else ["/*"]
            for method in self.methods:
                for path in paths:
                    self.not_found_router.on(method, path, route)
            self.routes.append(route)

    def _not_found_route(self, prefix: str, entry: NotFoundHandler) -> Route:
        options = freeze(
            {"handler": entry.handler, "url": "/*"},
            method="*",
            url=prefix + "/*",
            prefix=prefix,
            expose_head_default=False,
            hooks=entry.hooks,
        )
        return Route(
            self,
            entry.ctx,
            options,
            normalize_route_schema(None, method="*", url=options.url),
            entry.hooks,
            parses_body=False,
        )

    def not_found_route(self, request: Request) -> Route:
        """The not-found route whose prefix covers ``request``."""
        path = _router_path(request.raw)
        try:
            hit = self.not_found_router.find(request.method, path)
        except errors.LST_ERR_BAD_URL:
            hit = None
        if hit is not None:
            return hit[0]
        assert self.default_not_found is not None
        return self.default_not_found

    # --- per-context compilers -------------------------------------------------------------------

    def _context_compilers(self, ctx: Context) -> tuple[Any, Any]:
        store: SchemaStore = ctx.schemas
        cached = self._compilers.get(id(store))
        if cached is None:
            cached = (
                store,
                default_validator_compiler(store, all_errors=self.all_errors),
                default_serializer_compiler(store),
            )
            self._compilers[id(store)] = cached
        return cached[1], cached[2]

    def validator_compiler(self, ctx: Context) -> ValidatorCompiler:
        """The context's validator compiler: its own, else the default for its schemas."""
        custom: ValidatorCompiler | None = ctx.validator_compiler
        return custom if custom is not None else self._context_compilers(ctx)[0]

    def serializer_compiler(self, ctx: Context) -> SerializerCompiler:
        """The context's serializer compiler: its own, else the default for its schemas."""
        custom: SerializerCompiler | None = ctx.serializer_compiler
        return custom if custom is not None else self._context_compilers(ctx)[1]

    def schema_error_formatter(self, ctx: Context) -> ErrorFormatter | None:
        """The context's validation message formatter, ``None`` for the default."""
        formatter: ErrorFormatter | None = ctx.schema_error_formatter
        return formatter

    # --- per-request helpers ---------------------------------------------------------------------

    def request_log(self, request: Request, level: str | None) -> Any:
        """The child logger of one request, bound to its id."""
        return self.root_log.child({self.id_label: request.id}, level=level)

    def parse_query(self, scope: Mapping[str, Any]) -> Any:
        """The query of a request, parsed with the ``querystring_parser`` option or the default."""
        raw = scope.get("query_string") or b""
        if self.querystring_parser is not None:
            return self.querystring_parser(raw.decode("latin-1"))
        return parse_query(raw) if raw else {}

    # --- dispatch --------------------------------------------------------------------------------

    def match(self, scope: Any) -> tuple[Route, dict[str, str]] | None:
        """The route of an HTTP request and its path parameters (a not-found route when
        nothing matches); ``None`` while refusing requests (closing).

        Raises:
            LST_ERR_BAD_URL: the path has a malformed escape or invalid UTF-8.
        """
        exact = self.exact_routes.get(scope["method"])
        if exact is not None:
            route = exact.get(scope.get("raw_path"))
            if route is not None:
                return route, {}
        return self.match_tree(scope)

    def match_tree(
        self, scope: Any, *, tails_checked: bool = False
    ) -> tuple[Route, dict[str, str]] | None:
        """:meth:`match` without the exact-path table (for a caller that looked there);
        ``tails_checked``: the caller looked in the last-segment table too (the ASGI entry)."""
        if self.closing and self.return_503_on_closing:
            return None
        raw_path = scope.get("raw_path")
        tails = None if tails_checked else self.tail_routes.get(scope["method"])
        if tails is not None and raw_path:
            hit = match_tail(tails, raw_path, self.max_param_length)
            if hit is not None:
                return hit
        if raw_path and raw_path.isascii():
            path = raw_path.decode("ascii")
            if "?" in path:  # (tested on the str: `in` on bytes costs a raised TypeError)
                path = path.partition("?")[0]
        else:
            path = _router_path(scope)
        headers = Headers(scope["headers"]) if self.uses_constraints else NO_HEADERS
        found = self.router.find(scope["method"], path, headers, scope)
        if found is not None:
            return found
        not_found = self.not_found_router.find(scope["method"], path)
        route = not_found[0] if not_found is not None else self.default_not_found
        assert route is not None
        return route, {}

    async def dispatch(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve one HTTP request (the app is built)."""
        try:
            hit = self.match(scope)
        except errors.LST_ERR_BAD_URL as error:
            route = self.default_not_found
            assert route is not None
            await route.fail(scope, receive, send, error)
            return
        if hit is None:
            await self._refuse_while_closing(scope, send)
            return
        await hit[0].handle(scope, receive, send, hit[1])

    async def _refuse_while_closing(self, scope: Any, send: Any) -> None:
        """Answer 503 ``LST_ERR_SERVICE_UNAVAILABLE`` (and log it) while the app is closing."""
        self.root_log.info({"res": {"statusCode": 503}}, "request refused: the server is closing")
        http1 = scope.get("http_version", "1.1") < "2"
        await send_error(send, errors.LST_ERR_SERVICE_UNAVAILABLE(), close_connection=http1)

    def headers_too_large(self, headers: Any) -> str:
        """What ``headers`` (the ASGI list) exceeds: ``max_header_count`` or ``max_header_size``.

        The size is the sum of the names' and values' lengths; ``""`` when
        within both limits.
        """
        if len(headers) > self.max_header_count:
            return f"{self.max_header_count} header fields"
        size = 0
        for name, value in headers:
            size += len(name) + len(value)
        if size > self.max_header_size:
            return f"{self.max_header_size} bytes"
        return ""

    async def refuse_headers(self, scope: Any, send: Any, limit: str) -> None:
        """Answer 431 ``LST_ERR_HEADERS_TOO_LARGE`` (and log it); HTTP/1 connections are closed."""
        self.root_log.info({"res": {"statusCode": 431}}, f"request refused: more than {limit}")
        http1 = scope.get("http_version", "1.1") < "2"
        await send_error(send, errors.LST_ERR_HEADERS_TOO_LARGE(limit), close_connection=http1)


def _router_path(scope: Mapping[str, Any]) -> str:
    """The undecoded request path, ASCII-only, without the query string."""
    raw_path = scope.get("raw_path")
    if raw_path:
        path = raw_path.decode("latin-1").partition("?")[0]
        return path if path.isascii() else quote(raw_path.partition(b"?")[0], safe=_SAFE_PATH)
    return quote(scope["path"], safe=_SAFE_PATH)


def error_body(error: errors.LestoError) -> bytes:
    """The JSON error body (``statusCode``, ``code``, ``error``, ``message``) of ``error``."""
    status = error.status_code or 500
    return orjson.dumps(
        {
            "statusCode": status,
            "code": error.code,
            "error": phrase(status),
            "message": error.message,
        }
    )


async def send_error(send: Any, error: errors.LestoError, *, close_connection: bool) -> None:
    """Answer ``error`` outside any route (503 while closing, 431); on HTTP/1 it may close."""
    status = error.status_code or 500
    body = error_body(error)
    headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
    ]
    if close_connection:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
