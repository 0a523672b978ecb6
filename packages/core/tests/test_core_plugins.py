"""The plugin loader: registration, load order, options, after, ready, errors, timeouts."""

import asyncio

import pytest
from lesto import Lesto, errors, plugin


def chain_notes(exc: BaseException) -> list[str]:
    return [note for note in getattr(exc, "__notes__", []) if note.startswith("while loading")]


# --- load order --------------------------------------------------------------------------


async def test_plugins_load_at_ready_not_at_register():
    app = Lesto()
    loaded = []
    app.register(lambda instance, opts: loaded.append("p"))
    assert loaded == []
    await app.ready()
    assert loaded == ["p"]


async def test_nested_load_order_is_declaration_order_depth_first():
    app = Lesto()
    order = []

    async def first(instance, opts):
        order.append("first")

        async def first_child(child, opts):
            order.append("first.child")
            child.register(lambda grandchild, opts: order.append("first.child.grandchild"))

        instance.register(first_child)
        order.append("first.end")

    def second(instance, opts):
        order.append("second")

    app.register(first)
    app.register(second)
    await app.ready()
    assert order == ["first", "first.end", "first.child", "first.child.grandchild", "second"]


async def test_sync_and_async_plugins_both_load():
    app = Lesto()

    def sync_plugin(instance, opts):
        instance.decorate("sync_value", 1)

    async def async_plugin(instance, opts):
        await asyncio.sleep(0)
        instance.decorate("async_value", 2)

    app.register(plugin(sync_plugin))
    app.register(plugin(async_plugin))
    await app.ready()
    assert (app.sync_value, app.async_value) == (1, 2)


async def test_plain_function_returning_an_awaitable_is_refused():
    app = Lesto()

    async def body(instance, opts):
        pass

    app.register(lambda instance, opts: body(instance, opts))
    with pytest.raises(errors.LestoError) as info:
        await app.ready()
    assert info.value.code == "LST_ERR_PLUGIN_INVALID_ASYNC_HANDLER"


async def test_callable_object_with_async_call_is_awaited():
    app = Lesto()
    seen = []

    class Plugin:
        async def __call__(self, instance, opts):
            await asyncio.sleep(0)
            seen.append(opts)

    app.register(Plugin(), {"a": 1})
    await app.ready()
    assert seen == [{"a": 1}]


# --- awaitable register and after ----------------------------------------------------------


async def test_await_register_loads_everything_declared_up_to_it():
    app = Lesto()
    order = []
    app.register(lambda instance, opts: order.append("a"))
    handle = app.register(lambda instance, opts: order.append("b"))
    app.register(lambda instance, opts: order.append("c"))
    await handle
    assert order == ["a", "b"]
    await app.ready()
    assert order == ["a", "b", "c"]


async def test_await_register_inside_a_plugin_loads_the_child_first():
    app = Lesto()
    order = []

    async def parent(instance, opts):
        async def child(child_instance, opts):
            order.append("child")
            child_instance.decorate("from_child", True)

        await instance.register(child)
        order.append("parent after await")

    app.register(parent)
    await app.ready()
    assert order == ["child", "parent after await"]


async def test_await_register_gives_skip_override_decorators_to_the_caller():
    app = Lesto()

    @plugin
    async def db(instance, opts):
        instance.decorate("db", "connection")

    async def routes(instance, opts):
        await instance.register(db)
        assert instance.db == "connection"
        instance.decorate("ok", True)

    app.register(plugin(routes))
    await app.ready()
    assert app.ok is True


async def test_after_runs_once_the_plugins_before_it_are_loaded():
    app = Lesto()
    order = []
    app.register(lambda instance, opts: order.append("a"))
    app.after(lambda: order.append("after a"))
    app.register(lambda instance, opts: order.append("b"))
    await app.ready()
    assert order == ["a", "after a", "b"]


async def test_after_callback_receives_none_without_error():
    app = Lesto()
    received = []
    app.register(lambda instance, opts: None)
    app.register(lambda instance, opts: None).after(received.append)
    await app.ready()
    assert received == [None]


async def test_after_callback_receives_the_error_and_can_swallow_it():
    app = Lesto()
    received = []
    loaded = []

    def broken(instance, opts):
        raise ValueError("db down")

    app.register(broken).after(received.append)
    app.register(lambda instance, opts: loaded.append("next"))
    await app.ready()
    assert isinstance(received[0], ValueError)
    assert loaded == ["next"]


async def test_after_callback_can_rethrow_the_error():
    app = Lesto()

    def broken(instance, opts):
        raise ValueError("db down")

    def rethrow(err):
        if err:
            raise err

    app.register(broken).after(rethrow)
    with pytest.raises(ValueError, match="db down"):
        await app.ready()


async def test_after_without_argument_runs_and_leaves_the_error_pending():
    app = Lesto()
    ran = []

    def broken(instance, opts):
        raise ValueError("boom")

    app.register(broken)
    app.after(lambda: ran.append(True))
    with pytest.raises(ValueError):
        await app.ready()
    assert ran == [True]


async def test_async_after_callback():
    app = Lesto()
    seen = []

    async def check(err):
        await asyncio.sleep(0)
        seen.append(err)

    app.register(lambda instance, opts: None)
    app.after(check)
    await app.ready()
    assert seen == [None]


async def test_awaited_after_raises_the_load_error():
    app = Lesto()

    def broken(instance, opts):
        raise KeyError("missing")

    app.register(broken)
    with pytest.raises(KeyError):
        await app.after()
    await app.ready()  # the awaiting caller handled the error


async def test_awaited_register_raises_the_error_of_a_failing_child():
    app = Lesto()
    caught = []

    async def parent(instance, opts):
        def child(child_instance, opts):
            raise RuntimeError("child failed")

        try:
            await instance.register(child)
        except RuntimeError as exc:
            caught.append(exc)

    app.register(parent)
    await app.ready()
    assert len(caught) == 1


async def test_after_with_a_bad_signature_is_refused():
    app = Lesto()
    with pytest.raises(errors.LestoError) as info:
        app.after(lambda err, instance, done: None)
    assert info.value.code == "LST_ERR_PLUGIN_AFTER_INVALID"
    with pytest.raises(errors.LestoError) as info:
        app.after(42)
    assert info.value.code == "LST_ERR_PLUGIN_AFTER_INVALID"


# --- errors and the plugin chain -----------------------------------------------------------


async def test_a_plugin_error_names_its_chain():
    app = Lesto()

    async def db(instance, opts):
        async def routes(child, opts):
            raise RuntimeError("no table")

        instance.register(routes)

    app.register(db)
    with pytest.raises(RuntimeError) as info:
        await app.ready()
    assert chain_notes(info.value) == ["while loading plugin: root -> db -> routes"]


async def test_chain_names_skip_override_plugins_too():
    app = Lesto()

    @plugin(name="db")
    async def db(instance, opts):
        def routes(child, opts):
            raise RuntimeError("no table")

        instance.register(routes)

    app.register(db)
    with pytest.raises(RuntimeError) as info:
        await app.ready()
    assert chain_notes(info.value) == ["while loading plugin: root -> db -> routes"]


async def test_error_in_parent_after_awaited_child_keeps_the_innermost_chain():
    app = Lesto()

    async def outer(instance, opts):
        def inner(child, opts):
            raise RuntimeError("inner")

        await instance.register(inner)

    app.register(outer)
    with pytest.raises(RuntimeError) as info:
        await app.ready()
    assert chain_notes(info.value) == ["while loading plugin: root -> outer -> inner"]


async def test_plugins_after_a_failure_are_skipped_and_shown_so():
    app = Lesto()
    loaded = []

    def broken(instance, opts):
        raise ValueError("boom")

    def later(instance, opts):
        loaded.append("later")

    app.register(broken)
    app.register(later)
    with pytest.raises(ValueError):
        await app.ready()
    assert loaded == []
    tree = app.print_plugins()
    assert "broken (failed)" in tree
    assert "later (skipped)" in tree


async def test_ready_is_idempotent_and_repeats_its_error():
    app = Lesto()
    calls = []

    def broken(instance, opts):
        calls.append(1)
        raise ValueError("boom")

    app.register(broken)
    with pytest.raises(ValueError) as first:
        await app.ready()
    with pytest.raises(ValueError) as second:
        await app.ready()
    assert first.value is second.value
    assert calls == [1]


async def test_ready_twice_loads_once():
    app = Lesto()
    calls = []
    app.register(lambda instance, opts: calls.append(1))
    await asyncio.gather(app.ready(), app.ready())
    await app.ready()
    assert calls == [1]


async def test_register_refuses_what_is_not_a_plugin():
    app = Lesto()
    for bad in (42, "plugin", lambda only_one: None, lambda a, b, done: None):
        with pytest.raises(errors.LestoError) as info:
            app.register(bad)
        assert info.value.code == "LST_ERR_PLUGIN_NOT_VALID"


async def test_register_after_ready_fails_with_root_booted():
    app = Lesto()
    await app.ready()
    with pytest.raises(errors.LestoError) as info:
        app.register(lambda instance, opts: None)
    assert info.value.code == "LST_ERR_ROOT_PLG_BOOTED"
    with pytest.raises(errors.LestoError) as info:
        app.after(lambda: None)
    assert info.value.code == "LST_ERR_ROOT_PLG_BOOTED"


# --- options -------------------------------------------------------------------------------


async def test_options_mapping_and_keywords_merge():
    app = Lesto()
    seen = []
    app.register(lambda instance, opts: seen.append(opts), {"a": 1}, b=2)
    await app.ready()
    assert seen == [{"a": 1, "b": 2}]


async def test_options_as_a_callable_of_the_parent_see_earlier_decorators():
    app = Lesto()
    seen = []

    @plugin
    def db_plugin(instance, opts):
        instance.decorate("db", f"connection to {opts['url']}")

    def your_plugin(instance, opts):
        seen.append(opts)

    app.register(db_plugin, {"url": "https://example.com"})
    app.register(your_plugin, lambda parent: {"connection": parent.db, "other_option": "foo-bar"})
    await app.ready()
    assert seen == [{"connection": "connection to https://example.com", "other_option": "foo-bar"}]


async def test_bad_options_fail_with_plugin_opts_invalid():
    app = Lesto()
    with pytest.raises(errors.LestoError) as info:
        app.register(lambda instance, opts: None, 42)
    assert info.value.code == "LST_ERR_PLUGIN_OPTS_INVALID"

    for options, keywords in (
        (lambda parent: 42, {}),
        ({"a": 1}, {"a": 2}),
        (None, {"prefix": 3}),
        (None, {"log_level": 3}),
    ):
        app = Lesto()
        app.register(lambda instance, opts: None, options, **keywords)
        with pytest.raises(errors.LestoError) as info:
            await app.ready()
        assert info.value.code == "LST_ERR_PLUGIN_OPTS_INVALID"


async def test_prefix_and_log_level_configure_the_context_and_are_not_passed_on():
    app = Lesto()
    seen = []

    def outer(instance, opts):
        seen.append((instance.prefix, opts))

        def inner(child, opts):
            seen.append((child.prefix, opts, child._ctx.log_level))

        instance.register(inner, prefix="/users/")

    app.register(outer, prefix="v1", log_level="debug", other=True)
    await app.ready()
    assert seen == [("/v1", {"other": True}), ("/v1/users", {}, "debug")]
    assert app.prefix == ""


async def test_prefix_is_ignored_by_skip_override_plugins():
    app = Lesto()
    seen = []
    app.register(plugin(lambda instance, opts: seen.append(instance.prefix)), prefix="/x")
    await app.ready()
    assert seen == [""]


# --- timeouts ------------------------------------------------------------------------------


async def test_a_hanging_plugin_hits_the_timeout_naming_it():
    app = Lesto(plugin_timeout=0.05)

    async def hanging(instance, opts):
        await asyncio.Event().wait()

    app.register(hanging)
    with pytest.raises(errors.LestoError) as info:
        await app.ready()
    assert info.value.code == "LST_ERR_PLUGIN_TIMEOUT"
    assert chain_notes(info.value) == ["while loading plugin: root -> hanging"]


async def test_the_timeout_names_the_nested_plugin_that_hangs():
    app = Lesto(plugin_timeout=0.1)

    async def outer(instance, opts):
        await asyncio.sleep(0.06)

        async def hanging(child, opts):
            await asyncio.Event().wait()

        await instance.register(hanging)

    app.register(outer)
    with pytest.raises(errors.LestoError) as info:
        await app.ready()
    assert info.value.code == "LST_ERR_PLUGIN_TIMEOUT"
    assert "root -> outer -> hanging" in info.value.message


async def test_the_parent_clock_pauses_while_children_load():
    app = Lesto(plugin_timeout=0.1)

    async def outer(instance, opts):
        async def slow(child, opts):
            await asyncio.sleep(0.07)

        await instance.register(slow)
        await instance.register(slow)

    app.register(outer)
    await app.ready()


async def test_plugin_timeout_zero_disables_it():
    app = Lesto(plugin_timeout=0)

    async def slow(instance, opts):
        await asyncio.sleep(0.02)

    app.register(slow)
    await app.ready()


async def test_a_timeout_raised_by_the_plugin_itself_is_not_a_plugin_timeout():
    app = Lesto(plugin_timeout=5)

    async def own_timeout(instance, opts):
        async with asyncio.timeout(0.01):
            await asyncio.Event().wait()

    app.register(own_timeout)
    with pytest.raises(TimeoutError):
        await app.ready()


# --- names and the plugin tree -------------------------------------------------------------


async def test_plugin_name_shows_the_chain():
    app = Lesto()
    names = []

    async def db(instance, opts):
        names.append(instance.plugin_name)

        @plugin(name="helper")
        def helper(same, opts):
            names.append(same.plugin_name)

        instance.register(helper)

    app.register(db)
    await app.ready()
    assert app.plugin_name == "root"
    assert names == ["root -> db", "root -> db -> helper"]


async def test_has_plugin_sees_named_plugins_of_the_context_and_ancestors():
    app = Lesto()
    seen = {}

    @plugin(name="db")
    def db(instance, opts):
        pass

    @plugin(name="scoped", encapsulate=True)
    def scoped(instance, opts):
        pass

    def first(instance, opts):
        instance.register(scoped)
        instance.after(lambda: seen.setdefault("first", instance.has_plugin("scoped")))

    def second(instance, opts):
        seen["second"] = (instance.has_plugin("db"), instance.has_plugin("scoped"))

    app.register(db)
    app.register(first)
    app.register(second)
    await app.ready()
    assert app.has_plugin("db")
    assert not app.has_plugin("first")
    assert seen == {"first": True, "second": (True, False)}


async def test_print_plugins_shows_the_tree_with_load_times():
    app = Lesto()

    def routes(instance, opts):
        pass

    def db(instance, opts):
        instance.register(routes)

    def cache(instance, opts):
        pass

    app.register(db)
    app.register(cache)
    before = app.print_plugins()
    assert "db (not loaded)" in before
    await app.ready()
    lines = app.print_plugins().splitlines()
    assert [line.rsplit(" ", 2)[0] for line in lines] == [
        "root",
        "├── db",
        "│   └── routes",
        "└── cache",
    ]
    assert all(line.endswith(" ms") for line in lines)


async def test_a_thousand_nested_plugins_load():
    app = Lesto()
    depth = 1000
    seen = []

    def nested(instance, opts):
        seen.append(opts["level"])
        if opts["level"] < depth:
            instance.register(nested, level=opts["level"] + 1)

    app.register(nested, level=1)
    await app.ready()
    assert seen == list(range(1, depth + 1))
    assert len(app.print_plugins().splitlines()) == depth + 1


async def test_a_plain_plugin_may_return_the_handle_of_register():
    app = Lesto()
    loaded = []
    app.register(lambda instance, opts: instance.register(lambda i, o: loaded.append("child")))
    await app.ready()
    assert loaded == ["child"]
