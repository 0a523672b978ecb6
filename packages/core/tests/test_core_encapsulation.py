"""Encapsulation, ported from the plugins guide: what a context sees and what it does not."""

import pytest
from lesto import Lesto, Reply, Request, plugin
from lesto.context import Context


def make_request(instance):
    return instance._ctx.request_class({"type": "http"}, None, {}, None, None)


def make_reply(instance):
    return instance._ctx.reply_class(make_request(instance), None, None, None)


async def test_a_decorator_is_invisible_to_a_sibling():
    app = Lesto()
    seen = {}

    def first(instance, opts):
        instance.decorate("util", lambda a, b: a + b)
        seen["first"] = instance.util("that is ", "awesome")

    def second(instance, opts):
        with pytest.raises(AttributeError):
            instance.util("that is ", "awesome")
        seen["second"] = instance.has_decorator("util")

    app.register(first)
    app.register(second)
    await app.ready()
    assert seen == {"first": "that is awesome", "second": False}


async def test_a_decorator_is_visible_to_children_but_not_to_the_parent():
    app = Lesto()
    seen = {}

    def first(instance, opts):
        instance.decorate("util", lambda a, b: a + b)

        def child(grandchild, opts):
            seen["child"] = grandchild.util("that is ", "awesome")

        instance.register(child)

    def sibling(instance, opts):
        seen["sibling"] = instance.has_decorator("util")

    app.register(first)
    app.register(sibling)
    await app.ready()
    assert seen == {"child": "that is awesome", "sibling": False}
    assert not app.has_decorator("util")


async def test_decorators_declared_at_the_root_are_visible_everywhere():
    app = Lesto()
    app.decorate("util", lambda a, b: a + b)
    seen = []

    def deep(instance, opts):
        seen.append(instance.util(1, 2))
        if len(seen) < 3:
            instance.register(deep)

    app.register(deep)
    await app.ready()
    assert seen == [3, 3, 3]


async def test_plugin_marker_breaks_encapsulation():
    app = Lesto()

    @plugin
    async def db_plugin(instance, opts):
        instance.decorate("db", {"url": opts["url"]})

    app.register(db_plugin, url="https://example.com")
    await app.ready()
    assert app.db == {"url": "https://example.com"}


async def test_encapsulate_true_keeps_the_plugin_encapsulated():
    app = Lesto()

    @plugin(name="scoped", encapsulate=True)
    def scoped(instance, opts):
        instance.decorate("inner", 1)

    app.register(scoped)
    await app.ready()
    assert not app.has_decorator("inner")


async def test_every_register_creates_its_own_instance_and_context():
    app = Lesto()
    instances = []
    app.register(lambda instance, opts: instances.append(instance))
    app.register(lambda instance, opts: instances.append(instance))
    app.register(plugin(lambda instance, opts: instances.append(instance)))
    await app.ready()
    first, second, marked = instances
    assert first is not second
    assert first is not app
    assert marked is app
    assert isinstance(first, Lesto)
    assert first._ctx.parent is app._ctx
    assert [ctx.name for ctx in app._ctx.walk()] == ["root", "<lambda>", "<lambda>"]


async def test_request_and_reply_decorators_are_encapsulated():
    app = Lesto()
    app.decorate_request("user", None)
    seen = {}

    def first(instance, opts):
        instance.decorate_reply("html", lambda self, payload: f"<p>{payload}</p>")
        seen["first"] = make_reply(instance).html("hi")
        seen["first user"] = make_request(instance).user

    def second(instance, opts):
        seen["second"] = instance.has_reply_decorator("html")
        seen["second user"] = instance.has_request_decorator("user")

    app.register(first)
    app.register(second)
    await app.ready()
    assert seen == {"first": "<p>hi</p>", "first user": None, "second": False, "second user": True}
    assert not hasattr(make_reply(app), "html")


async def test_request_and_reply_classes_are_per_context_subclasses():
    app = Lesto()
    classes = []

    def child(instance, opts):
        classes.append((instance._ctx.request_class, instance._ctx.reply_class, instance))

    app.register(child)
    await app.ready()
    request_class, reply_class, instance = classes[0]
    assert request_class is not app._ctx.request_class
    assert issubclass(request_class, Request)
    assert issubclass(reply_class, Reply)
    assert request_class.__mro__[1] is Request  # flat: never deeper than one level
    assert request_class.server is instance
    assert app._ctx.request_class.server is app


async def test_hooks_are_copied_to_children_and_never_flow_up():
    app = Lesto()

    def root_hook(request, reply):
        pass

    def child_hook(request, reply):
        pass

    app.add_hook("pre_handler", root_hook)
    contexts = {}

    def child(instance, opts):
        instance.add_hook("pre_handler", child_hook)
        contexts["child"] = instance._ctx

    def sibling(instance, opts):
        contexts["sibling"] = instance._ctx

    app.register(child)
    app.register(sibling)
    await app.ready()

    def names(ctx: Context):
        return [entry.fn for entry in ctx.hooks["pre_handler"]]

    assert names(app._ctx) == [root_hook]
    assert names(contexts["child"]) == [root_hook, child_hook]
    assert names(contexts["sibling"]) == [root_hook]


async def test_handlers_and_registries_start_from_the_parent():
    class Registry:
        def __init__(self, items):
            self.items = items

        def child(self):
            return Registry(list(self.items))

    app = Lesto()
    app._ctx.content_type_parsers = Registry(["json"])
    app._ctx.error_handler = handler = object()
    seen = {}

    def child(instance, opts):
        ctx = instance._ctx
        ctx.content_type_parsers.items.append("xml")
        seen["handler"] = ctx.error_handler
        seen["prefix"] = ctx.prefix

    app.register(child, prefix="/api")
    await app.ready()
    assert app._ctx.content_type_parsers.items == ["json"]
    assert seen == {"handler": handler, "prefix": "/api"}


async def test_a_late_parent_decorator_is_not_seen_by_an_existing_child():
    app = Lesto()
    seen = []

    async def parent(instance, opts):
        await instance.register(lambda child, opts: seen.append(child))
        instance.decorate("late", 1)

    app.register(parent)
    await app.ready()
    assert not seen[0].has_decorator("late")


async def test_a_registry_with_only_copy_is_copied_for_a_child():
    app = Lesto()
    app._ctx.schemas = {"root": 1}
    seen = []
    app.register(lambda instance, opts: instance._ctx.schemas.update(child=2) or seen.append(1))
    await app.ready()
    assert app._ctx.schemas == {"root": 1}
    assert seen == [1]
