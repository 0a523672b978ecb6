"""The plugin loader (avvio semantics).

``register`` and ``after`` only queue work: each plugin owns a queue of what
was registered while its body ran. Loading starts at ``ready()`` (or when a
returned handle is awaited) and walks the queues in declaration order, depth
first: a plugin's own queue is loaded before its next sibling starts.

Errors: when a plugin fails, the error becomes *pending*. While an error is
pending no further plugin loads; ``after`` callbacks still run, and one that
takes an argument receives the error and clears it (raising re-arms it).
``ready()`` raises a pending error at the end. A plugin's error carries a note
naming the plugin chain (``root -> db -> routes``).

Timeouts: an ``async`` plugin body must finish within ``plugin_timeout``
seconds. While a body awaits its own registrations, its clock is paused, so
the timeout error names the plugin that hangs.

The loader walks queues with an explicit stack, never by recursion, so the
depth of the plugin tree is not limited by Python's recursion limit.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from . import errors
from ._callables import accepts_positional, callable_name, is_async_callable
from .context import CHAIN_SEPARATOR, ROOT_NAME
from .hooks import HookEntry, call_application_hook, run_logged
from .plugin_meta import PluginMeta, check_meta, get_meta

__all__ = ["AfterItem", "Handle", "Loader", "PluginNode"]

OptionsSource = Mapping[str, Any] | Callable[[Any], Mapping[str, Any]] | None

#: Options core takes out of a plugin's options: they configure the context.
RESERVED_OPTIONS = ("prefix", "log_level")

#: Start of the note added to a plugin's error, followed by the plugin chain.
CHAIN_NOTE = "while loading plugin: "


@dataclass(eq=False)
class PluginNode:
    """One registered plugin: its function, options, queue and load record."""

    name: str
    parent: PluginNode | None
    fn: Callable[..., Any] | None = None
    is_async: bool = False
    meta: PluginMeta | None = None
    parent_instance: Any = None
    options: OptionsSource = None
    extra: dict[str, Any] = field(default_factory=dict)
    queue: deque[PluginNode | AfterItem] = field(default_factory=deque)
    children: list[PluginNode] = field(default_factory=list)
    status: str = "pending"
    instance: Any = None
    started_at: float = 0.0
    duration: float = 0.0
    deadline: asyncio.Timeout | None = None

    @property
    def done(self) -> bool:
        return self.status in ("loaded", "failed", "skipped")

    @property
    def chain(self) -> str:
        """The chain of plugin names from the root: ``root -> db -> routes``."""
        names: list[str] = []
        node: PluginNode | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return CHAIN_SEPARATOR.join(reversed(names))


@dataclass(eq=False)
class AfterItem:
    """An ``after`` callback in a queue (``None``: a mark to await)."""

    callback: Callable[..., Any] | None
    wants_error: bool
    done: bool = False


class Handle:
    """What ``register`` and ``after`` return: awaitable, and chainable like Fastify's.

    Awaiting it loads everything queued before it, and it, then raises the
    pending load error if there is one.
    """

    __slots__ = ("_instance", "_item", "_loader", "_owner")

    def __init__(
        self, loader: Loader, owner: PluginNode, item: PluginNode | AfterItem, instance: Any
    ) -> None:
        self._loader = loader
        self._owner = owner
        self._item = item
        self._instance = instance

    def __await__(self) -> Generator[Any, None, None]:
        return self._loader.wait(self._owner, self._item).__await__()

    def register(self, plugin: Any, opts: OptionsSource = None, /, **options: Any) -> Handle:
        """Register another plugin on the same instance."""
        handle: Handle = self._instance.register(plugin, opts, **options)
        return handle

    def after(self, callback: Callable[..., Any] | None = None) -> Handle:
        """Queue an ``after`` callback on the same instance."""
        handle: Handle = self._instance.after(callback)
        return handle


class Loader:
    """Loads the plugins of one application and keeps its boot and close state."""

    def __init__(self, root_instance: Any, instance_base: type, timeout: float) -> None:
        self.instance_base = instance_base
        self.root = PluginNode(ROOT_NAME, None, instance=root_instance, status="loading")
        self.timeout = timeout
        self.stack: list[PluginNode] = []
        self.error: Exception | None = None
        self.started = False
        self.ready_done = False
        self.ready_error: Exception | None = None
        self.closed = False
        self.close_hooks: list[tuple[HookEntry, Any]] = []
        self._closed_event: asyncio.Event | None = None
        self._lock: asyncio.Lock | None = None

    # --- queueing --------------------------------------------------------------------------

    def current(self) -> PluginNode:
        """The plugin whose body (or queue) is running: registrations go to its queue."""
        return self.stack[-1] if self.stack else self.root

    def current_chain(self, instance: Any) -> str | None:
        """The chain of the plugin loading on ``instance`` right now, if any."""
        node = self.current()
        return node.chain if self.stack and node.instance is instance else None

    def assert_open(self) -> None:
        if self.closed:
            raise errors.LST_ERR_REOPENED_CLOSE_SERVER()

    def add_plugin(self, instance: Any, fn: Any, options: object, extra: dict[str, Any]) -> Handle:
        """Queue ``fn`` as a plugin registered on ``instance``.

        Raises:
            LST_ERR_REOPENED_CLOSE_SERVER: the application is closed.
            LST_ERR_ROOT_PLG_BOOTED: the application has started.
            LST_ERR_PLUGIN_NOT_VALID: ``fn`` cannot be called as ``fn(instance, opts)``.
            LST_ERR_PLUGIN_OPTS_INVALID: ``options`` is not a mapping or a callable.
        """
        self.assert_open()
        if self.started:
            raise errors.LST_ERR_ROOT_PLG_BOOTED("register a plugin")
        if not callable(fn) or not accepts_positional(fn, 2):
            raise errors.LST_ERR_PLUGIN_NOT_VALID(repr(fn))
        meta = get_meta(fn)
        name = meta.name if meta is not None else callable_name(fn)
        if options is not None and not isinstance(options, Mapping) and not callable(options):
            got = type(options).__name__
            raise errors.LST_ERR_PLUGIN_OPTS_INVALID(name, f"expected a mapping or callable, {got}")
        source = cast(OptionsSource, options)
        owner = self.current()
        node = PluginNode(
            name,
            owner,
            fn=fn,
            is_async=is_async_callable(fn),
            meta=meta,
            parent_instance=instance,
            options=source,
            extra=extra,
        )
        owner.queue.append(node)
        owner.children.append(node)
        return Handle(self, owner, node, instance)

    def add_after(self, instance: Any, callback: object) -> Handle:
        """Queue an ``after`` callback (or, without one, a mark to await).

        Raises:
            LST_ERR_PLUGIN_AFTER_INVALID: ``callback`` takes neither ``(error)`` nor nothing.
        """
        self.assert_open()
        if self.started:
            raise errors.LST_ERR_ROOT_PLG_BOOTED("call after()")
        wants_error = False
        if callback is not None:
            if not callable(callback):
                raise errors.LST_ERR_PLUGIN_AFTER_INVALID(type(callback).__name__)
            wants_error = accepts_positional(callback, 1)
            if not wants_error and not accepts_positional(callback, 0):
                raise errors.LST_ERR_PLUGIN_AFTER_INVALID(callable_name(callback))
        owner = self.current()
        item = AfterItem(callback, wants_error)
        owner.queue.append(item)
        return Handle(self, owner, item, instance)

    def defer_after_pending(self, callback: Callable[[], Any]) -> bool:
        """Queue ``callback`` behind plugins registered earlier in the current plugin.

        Returns False, queueing nothing, when no such plugin is pending: the
        caller acts at once. Routes use this so a plugin registered just before
        them (its decorators, its ``on_route`` hooks) is loaded first, as in Fastify.
        """
        owner = self.current()
        if not any(isinstance(item, PluginNode) for item in owner.queue):
            return False
        owner.queue.append(AfterItem(callback, wants_error=False))
        return True

    # --- loading ---------------------------------------------------------------------------

    async def wait(self, owner: PluginNode, item: PluginNode | AfterItem) -> None:
        """Load up to and including ``item``, then raise the pending error, if any."""
        if not item.done:
            if self.stack and self.stack[-1] is owner:
                await self._drain_paused(owner, item)
            elif not self.stack and owner is self.root:
                async with self._session():
                    await self._drain(self.root, item)
        error, self.error = self.error, None
        if error is not None:
            raise error

    async def ready(self, run_on_ready: Callable[[], Awaitable[None]]) -> None:
        """Load every queued plugin once, then run ``on_ready`` hooks; idempotent.

        Raises:
            LST_ERR_REOPENED_CLOSE_SERVER: the application is closed.
            Exception: the first load or ``on_ready`` error (the same one on every call).
        """
        self.assert_open()
        if not self.ready_done:
            async with self._session():
                if not self.ready_done:
                    self.ready_error = await self._boot(run_on_ready)
                    self.ready_done = True
        if self.ready_error is not None:
            raise self.ready_error

    async def _boot(self, run_on_ready: Callable[[], Awaitable[None]]) -> Exception | None:
        await self._drain(self.root)
        self.started = True
        self.root.duration = time.perf_counter() - self.root.started_at
        self.root.status = "loaded"
        error, self.error = self.error, None
        if error is not None:
            return error
        try:
            await run_on_ready()
        except Exception as exc:
            return exc
        return None

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[None]:
        """One top-level load at a time, with the root plugin as the current one."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if not self.root.started_at:
                self.root.started_at = time.perf_counter()
            self.stack.append(self.root)
            try:
                yield
            finally:
                self.stack.pop()

    async def _drain_paused(self, owner: PluginNode, item: PluginNode | AfterItem) -> None:
        """Drain from inside ``owner``'s body, with its timeout paused meanwhile."""
        deadline = owner.deadline
        when = deadline.when() if deadline is not None else None
        if deadline is None or when is None:
            await self._drain(owner, item)
            return
        loop = asyncio.get_running_loop()
        remaining = when - loop.time()
        deadline.reschedule(None)
        try:
            await self._drain(owner, item)
        finally:
            deadline.reschedule(loop.time() + remaining)

    async def _drain(self, node: PluginNode, until: PluginNode | AfterItem | None = None) -> None:
        """Load ``node``'s queue depth first (``node`` must be the current plugin).

        Stops once ``until`` (an item of ``node``'s queue) is loaded, or the queue is empty.
        """
        depth = len(self.stack)
        while True:
            top = self.stack[-1]
            if top.queue:
                item = top.queue.popleft()
                if isinstance(item, AfterItem):
                    await self._run_after(item)
                elif await self._start(item):
                    continue
                if item is until:
                    return
                continue
            if len(self.stack) == depth:
                return
            finished = self.stack.pop()
            finished.status = "loaded"
            finished.duration = time.perf_counter() - finished.started_at
            if finished is until:
                return

    async def _start(self, node: PluginNode) -> bool:
        """Run ``node``'s body; on success leave it current (its queue loads next)."""
        if self.error is not None:
            node.status = "skipped"
            return False
        node.status = "loading"
        node.started_at = time.perf_counter()
        self.stack.append(node)
        try:
            await self._run_plugin(node)
        except Exception as exc:
            self.stack.pop()
            node.status = "failed"
            node.duration = time.perf_counter() - node.started_at
            self._fail(node, exc)
            return False
        return True

    async def _run_plugin(self, node: PluginNode) -> None:
        parent = node.parent_instance
        opts = _resolve_options(node, parent)
        context_options = {key: opts.pop(key) for key in RESERVED_OPTIONS if key in opts}
        if node.meta is not None:
            check_meta(node.meta, parent)
        if node.meta is not None and not node.meta.encapsulate:
            instance = parent
        else:
            instance = parent._encapsulate(node.name, **context_options)
            instance._ctx.run_on_register(instance, opts)
        node.instance = instance
        await self._call_body(node, instance, opts)
        if node.meta is not None:
            parent._ctx.registered_plugins.add(node.meta.name)

    async def _call_body(self, node: PluginNode, instance: Any, opts: dict[str, Any]) -> None:
        assert node.fn is not None
        if not node.is_async:
            result = node.fn(instance, opts)
            if inspect.isawaitable(result) and not isinstance(result, Handle):
                close = getattr(result, "close", None)
                if close is not None:
                    close()
                raise errors.LST_ERR_PLUGIN_INVALID_ASYNC_HANDLER(node.name)
            return
        if not self.timeout:
            await node.fn(instance, opts)
            return
        try:
            async with asyncio.timeout(self.timeout) as deadline:
                node.deadline = deadline
                await node.fn(instance, opts)
        except TimeoutError as exc:
            if deadline.expired():
                raise errors.LST_ERR_PLUGIN_TIMEOUT(node.chain, self.timeout) from exc
            raise
        finally:
            node.deadline = None

    async def _run_after(self, item: AfterItem) -> None:
        item.done = True
        if item.callback is None:
            return
        args: tuple[Any, ...] = ()
        if item.wants_error:
            args = (self.error,)
            self.error = None
        try:
            result = item.callback(*args)
            if inspect.isawaitable(result):
                await result
        except Exception as exc:
            self.error = exc

    def _fail(self, node: PluginNode, exc: Exception) -> None:
        if not any(note.startswith(CHAIN_NOTE) for note in getattr(exc, "__notes__", ())):
            exc.add_note(f"{CHAIN_NOTE}{node.chain}")
        self.error = exc

    # --- closing ---------------------------------------------------------------------------

    async def close(
        self, root_context: Any, stop_serving: Callable[[], Awaitable[None]] | None = None
    ) -> None:
        """Run ``pre_close`` hooks, ``stop_serving``, then ``on_close`` hooks, newest first.

        Idempotent: a second call waits for the first. A failing hook is logged
        and the others still run.
        """
        if self._closed_event is not None:
            await self._closed_event.wait()
            return
        self.closed = True
        self._closed_event = asyncio.Event()
        try:
            await run_logged("pre_close", root_context.application_hooks("pre_close"), self.timeout)
            if stop_serving is not None:
                await stop_serving()
            await run_logged("on_close", reversed(self.close_hooks), self.timeout)
        finally:
            self._closed_event.set()

    async def run_serially(self, name: str, calls: list[tuple[HookEntry, Any]]) -> None:
        """Run application hooks one after another; the first failure is raised."""
        for entry, instance in calls:
            await call_application_hook(name, entry, (instance,), self.timeout)

    # --- reporting -------------------------------------------------------------------------

    def tree(self) -> str:
        """The plugin tree, one plugin a line, with each load time in ms."""
        lines: list[str] = []
        pending: list[tuple[PluginNode, str, str]] = [(self.root, "", "")]
        while pending:
            node, lead, child_lead = pending.pop()
            lines.append(f"{lead}{node.name} {_describe(node)}")
            last = len(node.children) - 1
            for index in range(last, -1, -1):
                is_last = index == last
                branch = "└── " if is_last else "├── "
                extension = "    " if is_last else "│   "
                pending.append((node.children[index], child_lead + branch, child_lead + extension))
        return "\n".join(lines)


def _describe(node: PluginNode) -> str:
    if node.status == "loaded":
        return f"{node.duration * 1000:.2f} ms"
    return f"({node.status})" if node.status != "pending" else "(not loaded)"


def _resolve_options(node: PluginNode, parent: Any) -> dict[str, Any]:
    """The options a plugin receives: its mapping (or callable's result) plus keywords.

    Raises:
        LST_ERR_PLUGIN_OPTS_INVALID: not a mapping, a key given twice, or a bad ``prefix``.
    """
    source = node.options
    value: object = source(parent) if callable(source) else source
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        got = type(value).__name__
        raise errors.LST_ERR_PLUGIN_OPTS_INVALID(node.name, f"options must be a mapping, got {got}")
    twice = set(value) & set(node.extra)
    if twice:
        raise errors.LST_ERR_PLUGIN_OPTS_INVALID(
            node.name, f"{sorted(twice)} given both in the options and as keywords"
        )
    opts = {**value, **node.extra}
    if not isinstance(opts.get("prefix", ""), str):
        raise errors.LST_ERR_PLUGIN_OPTS_INVALID(node.name, "'prefix' must be a str")
    level = opts.get("log_level")
    if level is not None and not isinstance(level, str):
        raise errors.LST_ERR_PLUGIN_OPTS_INVALID(node.name, "'log_level' must be a str")
    return opts
