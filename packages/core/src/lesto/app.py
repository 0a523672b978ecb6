"""The ``Lesto`` application: the public API, delegating to the modules that own each concern.

Each application gets its own subclass of :class:`Lesto`, and each
encapsulated plugin another subclass of the same base holding the decorators
it can see: instance decorators are class attributes of those subclasses (see
:mod:`lesto.decorators`). All instances of
one application share one :class:`~lesto.plugins.Loader` (boot and close
state) and each holds the :class:`~lesto.context.Context` it belongs to.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from functools import partial
from typing import Any, Self, TypeVar, overload

from . import errors
from .__about__ import __version__
from .content_types import ContentTypeParsers
from .context import Context
from .decorators import add_decorator, instance_value, per_request_value
from .entry import asgi_entry
from .gc_freeze import freeze_startup_objects
from .hooks import make_hook, run_logged
from .inject import Chain
from .options import validate_options
from .plugins import Handle, Loader, OptionsSource
from .reply import CORE_ATTRIBUTES as REPLY_CORE
from .request import CORE_ATTRIBUTES as REQUEST_CORE
from .route import RouteOptions, normalize_hooks
from .routing import Routing
from .schema import SchemaStore
from .server import Address, EmbeddedServer, ServerHolder, best_http_protocol, best_loop
from .shorthands import RouteShorthand

__all__ = ["Lesto"]

F = TypeVar("F", bound=Callable[..., Any])

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

# Attributes every instance stores for itself.
_INSTANCE_STATE = ("_config", "_ctx", "_loader", "_routing", "_server")


class Lesto:
    """A Lesto application, and the instance every plugin receives.

    ``Lesto(**options)`` validates the factory options (see
    :mod:`lesto.options`). The object is an ASGI 3 application.
    """

    _config: Mapping[str, Any]
    _ctx: Context
    _loader: Loader
    _routing: Routing
    _server: ServerHolder

    def __new__(cls, **options: Any) -> Self:
        own_class = type(cls.__name__, (cls,), _class_namespace(cls))
        instance: Self = object.__new__(own_class)
        return instance

    def __init__(self, **options: Any) -> None:
        self._config = validate_options(options)
        self._loader = Loader(self, type(self).__mro__[1], self._config["plugin_timeout"])
        self._routing = Routing(self._config)
        self._server = ServerHolder()
        self._ctx = Context.root(self)
        self._ctx.content_type_parsers = ContentTypeParsers()
        self._ctx.schemas = SchemaStore()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.plugin_name}>"

    def _encapsulate(self, name: str, prefix: str = "", log_level: str | None = None) -> Lesto:
        """A child instance, in a new context under this one (called by the loader)."""
        base = self._loader.instance_base
        namespace = {**_class_namespace(base), **self._ctx.instance_decorators}
        child: Lesto = object.__new__(type(base.__name__, (base,), namespace))
        child._config = self._config
        child._loader = self._loader
        child._routing = self._routing
        child._server = self._server
        child._ctx = self._ctx.child(child, name, prefix, log_level)
        return child

    # --- plugins ---------------------------------------------------------------------------

    def register(self, plugin: Any, opts: OptionsSource = None, /, **options: Any) -> Handle:
        """Queue ``plugin(instance, opts)``; it loads at ``ready()`` or when awaited.

        ``opts`` is a mapping or a callable receiving this instance (called when
        the plugin loads); keyword options are merged into it. ``prefix`` and
        ``log_level`` configure the new context and are not passed on.

        Raises:
            LST_ERR_REOPENED_CLOSE_SERVER: the application is closed.
            LST_ERR_ROOT_PLG_BOOTED: the application has started.
            LST_ERR_PLUGIN_NOT_VALID: ``plugin`` is not a callable taking (instance, opts).
            LST_ERR_PLUGIN_OPTS_INVALID: ``opts`` is not a mapping or a callable.
        """
        return self._loader.add_plugin(self, plugin, opts, options)

    def after(self, callback: Callable[..., Any] | None = None) -> Handle:
        """Run ``callback`` once the plugins registered before it are loaded.

        A callback taking one argument receives the load error (or ``None``) and
        handles it unless it raises. Without a callback, await the result to
        load up to here and raise the load error.
        """
        self._loader.assert_open()
        return self._loader.add_after(self, callback)

    async def ready(self) -> None:
        """Load every plugin, then run ``on_ready`` hooks. Idempotent.

        Raises:
            LST_ERR_REOPENED_CLOSE_SERVER: the application is closed.
            LST_ERR_PLUGIN_TIMEOUT: a plugin did not finish in time.
            LST_ERR_HOOK_TIMEOUT: an ``on_ready`` hook did not finish in time.
            Exception: the first plugin or hook error, noting the plugin chain.
        """
        await self._loader.ready(self._on_loaded)

    async def _on_loaded(self) -> None:
        """Compile the request path, then run the ``on_ready`` hooks (once, at boot)."""
        root = self._loader.root.instance._ctx
        self._routing.build(root)
        await self._loader.run_serially("on_ready", root.application_hooks("on_ready"))

    async def close(self) -> None:
        """Close the application. Idempotent.

        Runs ``pre_close`` hooks; stops the embedded server, if listening (new
        requests get 503 ``LST_ERR_SERVICE_UNAVAILABLE`` with ``return_503_on_closing``,
        in-flight ones finish); then runs ``on_close`` hooks, newest first.
        """
        self._routing.begin_closing()
        await self._loader.close(self._loader.root.instance._ctx, self._server.stop)

    def has_plugin(self, name: str) -> bool:
        """Whether a ``@plugin`` named ``name`` is registered in this context or above."""
        return self._ctx.has_registered(name)

    @property
    def plugin_name(self) -> str:
        """The plugin chain of this instance: ``root -> db -> routes``."""
        return self._loader.current_chain(self) or self._ctx.chain

    def print_plugins(self) -> str:
        """The plugin tree with each plugin's load time in ms."""
        return self._loader.tree()

    # --- state -----------------------------------------------------------------------------

    @property
    def prefix(self) -> str:
        """The route prefix of this context."""
        return self._ctx.prefix

    @property
    def initial_config(self) -> Mapping[str, Any]:
        """The validated factory options, defaults included (read-only)."""
        return self._config

    @property
    def is_started(self) -> bool:
        """Whether the plugins are loaded; routes, hooks and decorators are then closed."""
        return self._loader.started

    @property
    def version(self) -> str:
        """The installed Lesto version."""
        return __version__

    # --- decorators ------------------------------------------------------------------------

    def decorate(self, name: str, value: Any, dependencies: Iterable[str] | None = None) -> None:
        """Add ``name`` to this instance and its descendants; functions are not bound.

        Raises:
            LST_ERR_DEC_AFTER_START, LST_ERR_DEC_RESERVED_NAME, LST_ERR_DEC_ALREADY_PRESENT,
            LST_ERR_DEC_MISSING_DEPENDENCY, LST_ERR_DEC_DEPENDENCY_INVALID_TYPE.
        """
        self._assert_decoratable(name)
        value = instance_value(value)
        table = self._ctx.instance_decorators
        add_decorator(type(self), table, _INSTANCE_CORE, "the instance", name, value, dependencies)

    def decorate_request(
        self, name: str, value: Any, dependencies: Iterable[str] | None = None
    ) -> None:
        """Add ``name`` to the requests of this context; functions become methods.

        Raises:
            LST_ERR_DEC_REFERENCE_TYPE: ``value`` is a mutable container.
            and the errors of :meth:`decorate`.
        """
        ctx = self._ctx
        self._decorate_per_request(
            ctx.request_class,
            ctx.request_decorators,
            REQUEST_CORE,
            "the request",
            name,
            value,
            dependencies,
        )

    def decorate_reply(
        self, name: str, value: Any, dependencies: Iterable[str] | None = None
    ) -> None:
        """Add ``name`` to the replies of this context; functions become methods.

        Raises:
            LST_ERR_DEC_REFERENCE_TYPE: ``value`` is a mutable container.
            and the errors of :meth:`decorate`.
        """
        ctx = self._ctx
        self._decorate_per_request(
            ctx.reply_class,
            ctx.reply_decorators,
            REPLY_CORE,
            "the reply",
            name,
            value,
            dependencies,
        )

    def _decorate_per_request(
        self,
        target: type,
        table: dict[str, Any],
        core: frozenset[str],
        owner: str,
        name: str,
        value: Any,
        dependencies: Iterable[str] | None,
    ) -> None:
        self._assert_decoratable(name)
        add_decorator(
            target, table, core, owner, name, per_request_value(name, value), dependencies
        )

    def has_decorator(self, name: str) -> bool:
        """Whether instance decorator ``name`` is visible here."""
        return name in self._ctx.instance_decorators

    def has_request_decorator(self, name: str) -> bool:
        """Whether request decorator ``name`` is visible here."""
        return name in self._ctx.request_decorators

    def has_reply_decorator(self, name: str) -> bool:
        """Whether reply decorator ``name`` is visible here."""
        return name in self._ctx.reply_decorators

    def get_decorator(self, name: str) -> Any:
        """The value of instance decorator ``name``.

        Raises:
            LST_ERR_DEC_UNDECLARED: no instance decorator ``name`` is visible here.
        """
        if not self.has_decorator(name):
            raise errors.LST_ERR_DEC_UNDECLARED(name, "the instance")
        return getattr(self, name)

    def _assert_decoratable(self, name: str) -> None:
        self._loader.assert_open()
        if self._loader.started:
            raise errors.LST_ERR_DEC_AFTER_START(name)

    # --- hooks -----------------------------------------------------------------------------

    @overload
    def add_hook(self, name: str, fn: F, /) -> F: ...

    @overload
    def add_hook(self, name: str, /) -> Callable[[F], F]: ...

    def add_hook(self, name: str, fn: F | None = None, /) -> F | Callable[[F], F]:
        """Add a hook to this context; usable as ``@app.add_hook("on_close")``.

        Raises:
            LST_ERR_INSTANCE_ALREADY_LISTENING: the application has started.
            LST_ERR_HOOK_INVALID_TYPE, LST_ERR_HOOK_NOT_SUPPORTED,
            LST_ERR_HOOK_INVALID_HANDLER, LST_ERR_HOOK_INVALID_ASYNC_HANDLER,
            LST_ERR_HOOK_INVALID_SIGNATURE: the name or function is not valid.
        """
        if fn is None:
            return lambda hook: self.add_hook(name, hook)
        self._loader.assert_open()
        if self._loader.started:
            raise errors.LST_ERR_INSTANCE_ALREADY_LISTENING("add_hook")
        entry = make_hook(name, fn)
        self._ctx.hooks[name].append(entry)
        if name == "on_close":
            self._loader.close_hooks.append((entry, self))
        return fn

    # --- routes ----------------------------------------------------------------------------

    def route(self, **options: Any) -> Self:
        """Add a route: ``method``, ``url``, ``handler`` and any of the route options.

        Options: ``schema``, ``attach_validation``, ``error_handler``, ``config``,
        ``body_limit``, ``log_level``, ``constraints``, ``expose_head_route``,
        ``prefix_trailing_slash``, ``handler_timeout``, ``validator_compiler``,
        ``serializer_compiler``, ``schema_error_formatter``, and per-route
        hooks (``on_request``, ``pre_handler``, ...: a function or a list).

        When plugins registered earlier in the same plugin have not loaded
        yet, the route is added once they have (as in Fastify), so their
        decorators and ``on_route`` hooks apply to it; its errors then surface
        from ``ready()``. Otherwise it is added, and checked, at once.

        Raises:
            LST_ERR_INSTANCE_ALREADY_LISTENING: the application has started.
            LST_ERR_ROUTE_OPTION_UNKNOWN, LST_ERR_ROUTE_OPTION_INVALID,
            LST_ERR_ROUTE_MISSING_HANDLER, LST_ERR_ROUTE_METHOD_INVALID,
            LST_ERR_ROUTE_METHOD_NOT_SUPPORTED, LST_ERR_INVALID_URL,
            LST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT,
            LST_ERR_ROUTE_BODY_VALIDATION_SCHEMA_NOT_SUPPORTED, LST_ERR_SCH_*,
            LST_ERR_DUPLICATED_ROUTE: the route is not valid.
        """
        self._assert_not_started("add a route")
        add = partial(self._routing.add_route, self._ctx, options)
        if not self._loader.defer_after_pending(add):
            add()
        return self

    def _shorthand(
        self, method: str | None, url: str, handler: F | None, options: dict[str, Any]
    ) -> Any:
        if method is None:
            return self._shorthand_for(list(self._routing.methods), url, handler, options)
        return self._shorthand_for(method, url, handler, options)

    def _shorthand_for(
        self, method: str | list[str], url: str, handler: F | None, options: dict[str, Any]
    ) -> Any:
        if handler is None:

            def decorator(fn: F) -> F:
                self.route(method=method, url=url, handler=fn, **options)
                return fn

            return decorator
        self.route(method=method, url=url, handler=handler, **options)
        return handler

    get = RouteShorthand("GET")
    head = RouteShorthand("HEAD")
    post = RouteShorthand("POST")
    put = RouteShorthand("PUT")
    patch = RouteShorthand("PATCH")
    delete = RouteShorthand("DELETE")
    options = RouteShorthand("OPTIONS")
    all = RouteShorthand(None)

    def add_http_method(self, name: str, *, has_body: bool = False) -> Self:
        """Let routes use another method (``PROPFIND``...); ``has_body``: parse bodies."""
        self._assert_not_started("add an HTTP method")
        self._routing.add_http_method(name, has_body=has_body)
        return self

    def has_route(
        self, method: str, url: str, constraints: Mapping[str, Any] | None = None
    ) -> bool:
        """Whether a route with this method, full path and constraints exists."""
        return self._routing.router.has_route(method.upper(), url, constraints)

    def find_route(
        self, method: str, url: str, constraints: Mapping[str, Any] | None = None
    ) -> RouteOptions | None:
        """The options of the route with this method, full path and constraints, if any."""
        record = self._routing.router.find_route(method.upper(), url, constraints)
        return None if record is None else record.store.options

    def print_routes(self, method: str | None = None, *, common_prefix: bool = True) -> str:
        """The routes as a tree (like find-my-way's ``prettyPrint``)."""
        return self._routing.router.pretty_print(method, common_prefix=common_prefix)

    def add_constraint_strategy(self, strategy: Any) -> Self:
        """Add a custom router constraint strategy (see the router docs)."""
        self._assert_not_started("add a constraint strategy")
        self._routing.router.add_constraint_strategy(strategy)
        return self

    def has_constraint_strategy(self, name: str) -> bool:
        """Whether a constraint strategy named ``name`` exists."""
        return self._routing.router.has_constraint_strategy(name)

    # --- error and not-found handlers ------------------------------------------------------

    def set_error_handler(self, handler: Callable[..., Any]) -> Self:
        """Handle errors of this context's routes with ``handler(error, request, reply)``.

        Its return value is sent; an error it raises goes to the parent
        context's handler.

        Raises:
            LST_ERR_ERROR_HANDLER_NOT_FN: ``handler`` is not callable.
        """
        if not callable(handler):
            raise errors.LST_ERR_ERROR_HANDLER_NOT_FN()
        self._assert_not_started("set an error handler")
        self._ctx.error_handler = handler
        return self

    def set_not_found_handler(
        self,
        handler: Callable[..., Any] | None = None,
        /,
        *,
        pre_validation: Callable[..., Any] | list[Callable[..., Any]] | None = None,
        pre_handler: Callable[..., Any] | list[Callable[..., Any]] | None = None,
    ) -> Any:
        """Answer unmatched requests under this context's prefix with ``handler(request, reply)``.

        Without ``handler`` this is a decorator. The context's hooks run for
        it, plus the ``pre_validation``/``pre_handler`` hooks given here.

        Raises:
            LST_ERR_NOT_FOUND_HANDLER_ALREADY_SET: this prefix already has one.
        """
        if handler is None:

            def decorator(fn: F) -> F:
                self.set_not_found_handler(
                    fn, pre_validation=pre_validation, pre_handler=pre_handler
                )
                return fn

            return decorator
        if not callable(handler):
            raise errors.LST_ERR_ROUTE_MISSING_HANDLER("*", self._ctx.prefix or "/")
        self._assert_not_started("set a not-found handler")
        hooks = normalize_hooks({"pre_validation": pre_validation, "pre_handler": pre_handler})
        self._routing.set_not_found_handler(self._ctx, handler, hooks)
        return self

    # --- content-type parsers --------------------------------------------------------------

    def add_content_type_parser(
        self,
        content_type: Any,
        parser: Callable[..., Any] | None = None,
        /,
        *,
        parse_as: str = "bytes",
        body_limit: int | None = None,
    ) -> Any:
        """Parse bodies of ``content_type`` (a media type, list, regex or ``"*"``) in this context.

        ``parser(request, body)`` receives ``bytes`` (or ``str`` with
        ``parse_as="str"``) and returns the body; it may be ``async``. Without
        ``parser`` this is a decorator.

        Raises:
            LST_ERR_CTP_INSTANCE_ALREADY_STARTED, LST_ERR_CTP_ALREADY_PRESENT,
            LST_ERR_CTP_INVALID_TYPE, LST_ERR_CTP_EMPTY_TYPE, LST_ERR_CTP_INVALID_HANDLER,
            LST_ERR_CTP_INVALID_PARSE_TYPE.
        """
        if parser is None:

            def decorator(fn: F) -> F:
                self.add_content_type_parser(
                    content_type, fn, parse_as=parse_as, body_limit=body_limit
                )
                return fn

            return decorator
        self._assert_parsers_open("add_content_type_parser")
        self._ctx.content_type_parsers.add(
            content_type, parser, parse_as=parse_as, body_limit=body_limit
        )
        return self

    def has_content_type_parser(self, content_type: Any) -> bool:
        """Whether this context has a parser for exactly ``content_type``."""
        return bool(self._ctx.content_type_parsers.has(content_type))

    def remove_content_type_parser(self, content_type: Any) -> Self:
        """Remove the parser(s) for ``content_type`` from this context."""
        self._assert_parsers_open("remove_content_type_parser")
        self._ctx.content_type_parsers.remove(content_type)
        return self

    def remove_all_content_type_parsers(self) -> Self:
        """Remove every parser, the built-in JSON and text ones included, from this context."""
        self._assert_parsers_open("remove_all_content_type_parsers")
        self._ctx.content_type_parsers.remove_all()
        return self

    def _assert_parsers_open(self, method: str) -> None:
        self._loader.assert_open()
        if self._loader.started:
            raise errors.LST_ERR_CTP_INSTANCE_ALREADY_STARTED(method)

    # --- schemas ---------------------------------------------------------------------------

    def add_schema(self, schema: Mapping[str, Any]) -> Self:
        """Share ``schema`` (it needs an ``$id``) with this context's routes, for ``$ref``.

        Raises:
            LST_ERR_SCH_MISSING_ID, LST_ERR_SCH_ALREADY_PRESENT.
        """
        self._assert_not_started("add a schema")
        self._ctx.schemas.add(schema)
        return self

    def get_schemas(self) -> dict[str, Any]:
        """The shared schemas visible in this context, by ``$id``."""
        return dict(self._ctx.schemas.all())

    def get_schema(self, schema_id: str) -> Any:
        """The shared schema ``schema_id`` visible in this context, or ``None``."""
        return self._ctx.schemas.get(schema_id)

    def set_validator_compiler(self, compiler: Callable[..., Any]) -> Self:
        """Compile this context's validators with ``compiler({schema, method, url, http_part})``."""
        self._assert_not_started("set a validator compiler")
        self._ctx.validator_compiler = compiler
        return self

    def set_serializer_compiler(self, compiler: Callable[..., Any]) -> Self:
        """Compile this context's response serializers with ``compiler(route_schema_def)``."""
        self._assert_not_started("set a serializer compiler")
        self._ctx.serializer_compiler = compiler
        return self

    def set_schema_error_formatter(self, formatter: Callable[..., Any]) -> Self:
        """Format this context's validation messages with ``formatter(details, http_part)``."""
        self._assert_not_started("set a schema error formatter")
        self._ctx.schema_error_formatter = formatter
        return self

    # --- logging, inject, server -----------------------------------------------------------

    @property
    def log(self) -> Any:
        """The application logger (pino-like; silent unless ``logger`` is set)."""
        return self._routing.root_log

    def inject(self, **options: Any) -> Chain:
        """An in-process request, no socket: ``await app.inject(method=, url=, payload=...)``.

        Also chainable: ``await app.inject().post("/x").payload({...})``. The
        application is readied first.
        """
        return Chain(self._inject_dispatch, **options)

    async def _inject_dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.ready()
        await self(scope, receive, send)

    async def listen(
        self, port: int = 0, host: str = "127.0.0.1", *, backlog: int = 511, **uvicorn_options: Any
    ) -> str:
        """Ready the app, serve it with the embedded uvicorn, run ``on_listen`` hooks.

        ``port=0`` picks a free port. Returns the first address as a URL.

        Raises:
            LST_ERR_REOPENED_SERVER: already listening.
            OSError: the address cannot be bound.
        """
        await self.ready()
        holder = self._server
        if holder.server is not None:
            raise errors.LST_ERR_REOPENED_SERVER()
        server = EmbeddedServer(
            self,
            host=host,
            port=port,
            backlog=backlog,
            max_header_size=self._config["max_header_size"],
            max_header_count=self._config["max_header_count"],
            uvicorn_options=uvicorn_options,
        )
        holder.server = server
        try:
            addresses = await server.start()
        except BaseException:
            holder.server = None
            raise
        for address in addresses:
            self.log.info(f"Server listening at {address.url}")
        self._begin_serving()
        root = self._loader.root.instance._ctx
        await run_logged("on_listen", root.application_hooks("on_listen"), self._loader.timeout)
        return addresses[0].url

    def _begin_serving(self) -> None:
        """A server starts serving the app: freeze the startup objects (unless told not to)."""
        if self._config["gc_freeze"]:
            freeze_startup_objects()

    def addresses(self) -> list[Address]:
        """The addresses the embedded server listens on (empty before ``listen()``)."""
        server = self._server.server
        return list(server.addresses) if server is not None else []

    def run(self, port: int = 3000, host: str = "127.0.0.1", **uvicorn_options: Any) -> None:
        """Serve the app until SIGINT/SIGTERM (blocking), then close it gracefully.

        Uses uvloop and httptools when installed. For workers or reload, use
        the ``lesto run module:app`` command.
        """
        import uvicorn

        options: dict[str, Any] = {
            "loop": best_loop(),
            "http": best_http_protocol(),
            "lifespan": "on",
            "access_log": False,
            "server_header": False,
            **uvicorn_options,
        }
        uvicorn.run(self, host=host, port=port, **options)

    def _assert_not_started(self, action: str) -> None:
        self._loader.assert_open()
        if self._loader.started:
            raise errors.LST_ERR_INSTANCE_ALREADY_LISTENING(action)

    # --- ASGI ------------------------------------------------------------------------------

    __call__ = asgi_entry
    """The ASGI 3 entry point (lifespan and HTTP): :func:`lesto.entry.asgi_entry`."""


def _class_namespace(cls: type) -> dict[str, Any]:
    return {"__module__": cls.__module__, "__qualname__": cls.__qualname__}


#: Names no instance decorator may use: the ``Lesto`` API and instance state.
_INSTANCE_CORE = frozenset(dir(Lesto)) | frozenset(_INSTANCE_STATE)
