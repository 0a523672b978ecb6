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
from typing import Any, Self, TypeVar, overload

from . import asgi, errors
from .__about__ import __version__
from .context import Context
from .decorators import add_decorator, instance_value, per_request_value
from .hooks import make_hook
from .options import validate_options
from .plugins import Handle, Loader, OptionsSource
from .reply import CORE_ATTRIBUTES as REPLY_CORE
from .request import CORE_ATTRIBUTES as REQUEST_CORE

__all__ = ["Lesto"]

F = TypeVar("F", bound=Callable[..., Any])

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

# Attributes every instance stores for itself.
_INSTANCE_STATE = ("_config", "_ctx", "_loader")


class Lesto:
    """A Lesto application, and the instance every plugin receives.

    ``Lesto(**options)`` validates the factory options (see
    :mod:`lesto.options`). The object is an ASGI 3 application.
    """

    _config: Mapping[str, Any]
    _ctx: Context
    _loader: Loader

    def __new__(cls, **options: Any) -> Self:
        own_class = type(cls.__name__, (cls,), _class_namespace(cls))
        instance: Self = object.__new__(own_class)
        return instance

    def __init__(self, **options: Any) -> None:
        self._config = validate_options(options)
        self._loader = Loader(self, type(self).__mro__[1], self._config["plugin_timeout"])
        self._ctx = Context.root(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.plugin_name}>"

    def _encapsulate(self, name: str, prefix: str = "", log_level: str | None = None) -> Lesto:
        """A child instance, in a new context under this one (called by the loader)."""
        base = self._loader.instance_base
        namespace = {**_class_namespace(base), **self._ctx.instance_decorators}
        child: Lesto = object.__new__(type(base.__name__, (base,), namespace))
        child._config = self._config
        child._loader = self._loader
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
        root = self._loader.root.instance._ctx
        await self._loader.ready(
            lambda: self._loader.run_serially("on_ready", root.application_hooks("on_ready"))
        )

    async def close(self) -> None:
        """Run ``pre_close`` hooks, then ``on_close`` hooks newest first. Idempotent."""
        await self._loader.close(self._loader.root.instance._ctx)

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
        self._assert_decoratable(name)
        value = per_request_value(name, value)
        ctx = self._ctx
        table = ctx.request_decorators
        add_decorator(
            ctx.request_class, table, REQUEST_CORE, "the request", name, value, dependencies
        )

    def decorate_reply(
        self, name: str, value: Any, dependencies: Iterable[str] | None = None
    ) -> None:
        """Add ``name`` to the replies of this context; functions become methods.

        Raises:
            LST_ERR_DEC_REFERENCE_TYPE: ``value`` is a mutable container.
            and the errors of :meth:`decorate`.
        """
        self._assert_decoratable(name)
        value = per_request_value(name, value)
        ctx = self._ctx
        table = ctx.reply_decorators
        add_decorator(ctx.reply_class, table, REPLY_CORE, "the reply", name, value, dependencies)

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

    # --- ASGI ------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI 3 entry point (lifespan and HTTP)."""
        await asgi.handle(self, scope, receive, send)


def _class_namespace(cls: type) -> dict[str, Any]:
    return {"__module__": cls.__module__, "__qualname__": cls.__qualname__}


#: Names no instance decorator may use: the ``Lesto`` API and instance state.
_INSTANCE_CORE = frozenset(dir(Lesto)) | frozenset(_INSTANCE_STATE)
