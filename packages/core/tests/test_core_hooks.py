"""Hooks: add_hook validation, application hooks (on_ready, on_route, on_register, ...)."""

import asyncio

import pytest
from lesto import Lesto, errors
from lesto.hooks import HOOK_PARAMETERS


def code_of(call, *args):
    with pytest.raises(errors.LestoError) as info:
        call(*args)
    return info.value.code


ARGUMENTS = {
    1: lambda a: None,
    2: lambda a, b: None,
    3: lambda a, b, c: None,
}


def test_every_hook_name_is_accepted_with_its_signature():
    app = Lesto()
    for name, parameters in HOOK_PARAMETERS.items():
        app.add_hook(name, ARGUMENTS[len(parameters)])
        assert app._ctx.hooks[name][-1].fn is ARGUMENTS[len(parameters)]


def test_sync_or_async_is_recorded_once():
    app = Lesto()

    async def on_request(request, reply):
        pass

    def pre_handler(request, reply):
        pass

    app.add_hook("on_request", on_request)
    app.add_hook("pre_handler", pre_handler)
    assert app._ctx.hooks["on_request"][0].is_async is True
    assert app._ctx.hooks["pre_handler"][0].is_async is False


def test_add_hook_works_as_a_decorator():
    app = Lesto()

    @app.add_hook("on_close")
    async def close_db(instance):
        pass

    assert app._ctx.hooks["on_close"][0].fn is close_db


def test_hook_errors_at_add_time():
    app = Lesto()
    assert code_of(app.add_hook, 42, lambda a: None) == "LST_ERR_HOOK_INVALID_TYPE"
    assert code_of(app.add_hook, "onRequest", lambda a, b: None) == "LST_ERR_HOOK_NOT_SUPPORTED"
    assert code_of(app.add_hook, "on_request", "handler") == "LST_ERR_HOOK_INVALID_HANDLER"
    assert code_of(app.add_hook, "on_request", lambda: None) == "LST_ERR_HOOK_INVALID_SIGNATURE"
    assert code_of(app.add_hook, "on_send", lambda a, b: None) == "LST_ERR_HOOK_INVALID_SIGNATURE"

    async def async_route_hook(route_options):
        pass

    assert code_of(app.add_hook, "on_route", async_route_hook) == (
        "LST_ERR_HOOK_INVALID_ASYNC_HANDLER"
    )


def test_flexible_signatures_are_accepted():
    app = Lesto()
    app.add_hook("on_send", lambda *args: None)
    app.add_hook("on_request", lambda request, reply, extra=None: None)


async def test_add_hook_after_start_fails():
    app = Lesto()
    await app.ready()
    assert code_of(app.add_hook, "on_request", lambda a, b: None) == (
        "LST_ERR_INSTANCE_ALREADY_LISTENING"
    )


async def test_on_ready_hooks_run_serially_in_tree_order_with_their_instance():
    app = Lesto()
    order = []

    async def root_ready(instance):
        await asyncio.sleep(0.01)
        order.append(("root", instance is app))

    app.add_hook("on_ready", root_ready)

    def child(instance, opts):
        instance.add_hook("on_ready", lambda inner: order.append(("child", inner is instance)))

    app.register(child)
    await app.ready()
    await app.ready()
    assert order == [("root", True), ("child", True)]


async def test_on_ready_error_fails_ready():
    app = Lesto()

    def broken(instance):
        raise RuntimeError("not ready")

    app.add_hook("on_ready", broken)
    with pytest.raises(RuntimeError):
        await app.ready()


async def test_a_hanging_on_ready_hook_times_out():
    app = Lesto(plugin_timeout=0.05)

    async def hanging(instance):
        await asyncio.Event().wait()

    app.add_hook("on_ready", hanging)
    with pytest.raises(errors.LestoError) as info:
        await app.ready()
    assert info.value.code == "LST_ERR_HOOK_TIMEOUT"


async def test_on_ready_is_skipped_when_loading_failed():
    app = Lesto()
    ran = []
    app.add_hook("on_ready", lambda instance: ran.append(True))

    def broken(instance, opts):
        raise ValueError("boom")

    app.register(broken)
    with pytest.raises(ValueError):
        await app.ready()
    assert ran == []


async def test_on_register_runs_for_new_contexts_of_descendants():
    app = Lesto()
    seen = []
    app.add_hook("on_register", lambda instance, opts: seen.append((instance.plugin_name, opts)))

    def child(instance, opts):
        instance.register(lambda grandchild, opts: None, level=2)

    app.register(child, level=1)
    await app.ready()
    assert seen == [("root -> child", {"level": 1}), ("root -> child -> <lambda>", {"level": 2})]


async def test_on_route_hook_point_lets_a_plugin_change_route_options():
    app = Lesto()

    def handler(request, reply):
        pass

    contexts = []

    def util_plugin(instance, opts):
        def on_route(route_options):
            if route_options.get("config", {}).get("use_util") is True:
                hooks = route_options.setdefault("pre_handler", [])
                hooks.append(handler)

        instance.add_hook("on_route", on_route)
        contexts.append(instance._ctx)

    app.register(util_plugin)
    await app.ready()
    with_util = {"url": "/plugin1", "config": {"use_util": True}}
    without_util = {"url": "/plugin2"}
    contexts[0].run_on_route(with_util)
    contexts[0].run_on_route(without_util)
    app._ctx.run_on_route(outside := {"url": "/other", "config": {"use_util": True}})
    assert with_util["pre_handler"] == [handler]
    assert "pre_handler" not in without_util
    assert "pre_handler" not in outside


async def test_on_listen_hooks_are_kept_per_context_for_the_server():
    app = Lesto()
    app.add_hook("on_listen", lambda instance: None)
    app.register(lambda instance, opts: instance.add_hook("on_listen", lambda inner: None))
    await app.ready()
    assert len(app._ctx.application_hooks("on_listen")) == 2
