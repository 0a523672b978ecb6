"""Per-context state: the unit of encapsulation.

Every ``register`` of a plugin not marked ``@plugin`` creates a child
:class:`Context`. A child starts from its parent's state and nothing it adds
flows back up or sideways:

* decorators are recorded per kind in dicts copied from the parent, and set
  as class attributes of the context's own classes: a subclass of the
  application's class for instance decorators, and ``Request``/``Reply``
  subclasses for request and reply decorators. Every context class derives
  from the base class directly (the parent's decorators are copied into it),
  so a lookup is one class attribute access at any nesting depth, and
  creating a context costs the same at depth 1 and depth 1,000.
* hook lists of :data:`~lesto.hooks.INHERITED_HOOKS` are copied from the
  parent when the child is created; application hooks start empty.
* the other slots (content-type parsers, schemas, handlers, compilers) start
  as the parent's values. A value with a ``child()`` method (a registry
  that links to its parent), or else a ``copy()`` method, is inherited
  through it, so the child gets its own registry to add to; other values
  (functions) are shared until the child replaces them.

Nothing here is consulted per request by walking parents: the request path
reads a context's own slots, which are complete when the app is readied.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any, TypeVar, cast

from .hooks import APPLICATION_HOOKS, HOOK_PARAMETERS, INHERITED_HOOKS, HookEntry
from .reply import Reply
from .request import Request

__all__ = ["Context", "derive_class", "join_prefix"]

ROOT_NAME = "root"
CHAIN_SEPARATOR = " -> "

C = TypeVar("C", bound=type)


def derive_class(base: C, decorators: Mapping[str, Any], server: Any = None) -> C:
    """A subclass of ``base`` for one context, holding ``decorators`` as class attributes.

    ``server`` (the context's instance) becomes the ``server`` class attribute
    when given. The subclass declares no ``__slots__``, so a request may assign
    a decorated name, shadowing the class attribute that holds its initial value.
    """
    namespace = {**decorators, "__module__": base.__module__, "__qualname__": base.__qualname__}
    if server is not None:
        namespace["server"] = server
    return cast(C, type(base.__name__, (base,), namespace))


def join_prefix(parent: str, prefix: str) -> str:
    """Nest ``prefix`` under ``parent``: ``("/v1", "users/")`` gives ``"/v1/users"``."""
    part = prefix.strip("/")
    return f"{parent}/{part}" if part else parent


def _inherit(value: Any) -> Any:
    for method in ("child", "copy"):
        derive = getattr(value, method, None)
        if callable(derive):
            return derive()
    return value


class Context:
    """The encapsulated state of one plugin context.

    Attributes:
        parent: the enclosing context, ``None`` for the root.
        children: contexts created under this one, in creation order.
        instance: the Lesto instance plugins in this context receive.
        name: the name of the plugin that created the context (``root`` at the top).
        prefix: the route prefix of the context (``""`` at the root).
        log_level: the log level of the context, ``None`` to inherit the logger's.
        hooks: hook entries by name, for every name in ``HOOK_PARAMETERS``.
        instance_decorators: instance decorators visible here, by name.
        request_decorators: request decorators visible here, by name.
        reply_decorators: reply decorators visible here, by name.
        request_class: the context's ``Request`` subclass (request decorators).
        reply_class: the context's ``Reply`` subclass (reply decorators).
        registered_plugins: names of ``@plugin`` plugins registered in this context.
        content_type_parsers: the content-type parser registry.
        schemas: the shared schema store.
        schema_error_formatter: formats validation messages, ``None`` for the default.
        error_handler: the error handler, ``None`` for the default.
        not_found_handler: the not-found handler, ``None`` for the default.
        validator_compiler: the validator compiler, ``None`` for the default.
        serializer_compiler: the serializer compiler, ``None`` for the default.
    """

    __slots__ = (
        "children",
        "content_type_parsers",
        "error_handler",
        "hooks",
        "instance",
        "instance_decorators",
        "log_level",
        "name",
        "not_found_handler",
        "parent",
        "prefix",
        "registered_plugins",
        "reply_class",
        "reply_decorators",
        "request_class",
        "request_decorators",
        "schema_error_formatter",
        "schemas",
        "serializer_compiler",
        "validator_compiler",
    )

    parent: Context | None
    children: list[Context]
    instance: Any
    name: str
    prefix: str
    log_level: str | None
    hooks: MutableMapping[str, list[HookEntry]]
    instance_decorators: dict[str, Any]
    request_decorators: dict[str, Any]
    reply_decorators: dict[str, Any]
    request_class: type[Request]
    reply_class: type[Reply]
    registered_plugins: set[str]
    content_type_parsers: Any
    schemas: Any
    schema_error_formatter: Any
    error_handler: Any
    not_found_handler: Any
    validator_compiler: Any
    serializer_compiler: Any

    @classmethod
    def root(cls, instance: Any) -> Context:
        """The root context of a new application."""
        ctx = cls.__new__(cls)
        ctx.parent = None
        ctx.children = []
        ctx.instance = instance
        ctx.name = ROOT_NAME
        ctx.prefix = ""
        ctx.log_level = None
        ctx.hooks = {name: [] for name in HOOK_PARAMETERS}
        ctx.instance_decorators = {}
        ctx.request_decorators = {}
        ctx.reply_decorators = {}
        ctx.request_class = derive_class(Request, {}, instance)
        ctx.reply_class = derive_class(Reply, {}, instance)
        ctx.registered_plugins = set()
        ctx.content_type_parsers = None
        ctx.schemas = None
        ctx.schema_error_formatter = None
        ctx.error_handler = None
        ctx.not_found_handler = None
        ctx.validator_compiler = None
        ctx.serializer_compiler = None
        return ctx

    def child(self, instance: Any, name: str, prefix: str, log_level: str | None) -> Context:
        """Create the context of a plugin registered here, seeing this context's state."""
        ctx = Context.__new__(Context)
        ctx.parent = self
        ctx.children = []
        ctx.instance = instance
        ctx.name = name
        ctx.prefix = join_prefix(self.prefix, prefix)
        ctx.log_level = log_level if log_level is not None else self.log_level
        ctx.hooks = {
            hook: list(entries) if hook in INHERITED_HOOKS else []
            for hook, entries in self.hooks.items()
        }
        ctx.instance_decorators = dict(self.instance_decorators)
        ctx.request_decorators = dict(self.request_decorators)
        ctx.reply_decorators = dict(self.reply_decorators)
        ctx.request_class = derive_class(Request, ctx.request_decorators, instance)
        ctx.reply_class = derive_class(Reply, ctx.reply_decorators, instance)
        ctx.registered_plugins = set()
        ctx.content_type_parsers = _inherit(self.content_type_parsers)
        ctx.schemas = _inherit(self.schemas)
        ctx.schema_error_formatter = self.schema_error_formatter
        ctx.error_handler = self.error_handler
        ctx.not_found_handler = self.not_found_handler
        ctx.validator_compiler = self.validator_compiler
        ctx.serializer_compiler = self.serializer_compiler
        self.children.append(ctx)
        return ctx

    @property
    def chain(self) -> str:
        """The plugin chain from the root to this context: ``root -> db -> routes``."""
        names: list[str] = []
        ctx: Context | None = self
        while ctx is not None:
            names.append(ctx.name)
            ctx = ctx.parent
        return CHAIN_SEPARATOR.join(reversed(names))

    def has_registered(self, plugin_name: str) -> bool:
        """Whether a ``@plugin`` of that name was registered here or in an ancestor."""
        ctx: Context | None = self
        while ctx is not None:
            if plugin_name in ctx.registered_plugins:
                return True
            ctx = ctx.parent
        return False

    def walk(self) -> list[Context]:
        """This context and its descendants, depth first in creation order."""
        found: list[Context] = []
        pending = [self]
        while pending:
            ctx = pending.pop()
            found.append(ctx)
            pending.extend(reversed(ctx.children))
        return found

    def run_on_route(self, route_options: MutableMapping[str, Any]) -> None:
        """Run this context's ``on_route`` hooks; each may change ``route_options`` in place.

        The routing layer calls this once for every route it adds.
        """
        for entry in self.hooks["on_route"]:
            entry.fn(route_options)

    def run_on_register(self, instance: Any, opts: Mapping[str, Any]) -> None:
        """Run the ``on_register`` hooks this (new) context inherited."""
        for entry in self.hooks["on_register"]:
            entry.fn(instance, opts)

    def application_hooks(self, name: str) -> list[tuple[HookEntry, Any]]:
        """``name`` hooks of this context and its descendants, tree order, with their instance."""
        assert name in APPLICATION_HOOKS
        return [(entry, ctx.instance) for ctx in self.walk() for entry in ctx.hooks[name]]
