"""close(): pre_close, on_close order, failures, idempotence, use after close."""

import asyncio
import logging

import pytest
from lesto import Lesto, errors, plugin


async def test_on_close_runs_in_reverse_order_children_before_parents():
    app = Lesto()
    order = []
    app.add_hook("on_close", lambda instance: order.append("root"))

    def parent(instance, opts):
        instance.add_hook("on_close", lambda inner: order.append("parent"))

        async def child(grandchild, opts):
            async def close(inner):
                await asyncio.sleep(0)
                order.append("child")

            grandchild.add_hook("on_close", close)

        instance.register(child)

    def sibling(instance, opts):
        instance.add_hook("on_close", lambda inner: order.append("sibling"))

    app.register(parent)
    app.register(sibling)
    await app.ready()
    await app.close()
    assert order == ["sibling", "child", "parent", "root"]


async def test_on_close_receives_its_instance_and_awaits_returned_awaitables():
    app = Lesto()
    closed = []

    class Client:
        async def close(self):
            closed.append(True)

    @plugin(name="db")
    async def db(instance, opts):
        instance.decorate("db", Client())
        instance.add_hook("on_close", lambda inner: inner.db.close())

    app.register(db)
    await app.ready()
    await app.close()
    assert closed == [True]


async def test_pre_close_runs_before_on_close():
    app = Lesto()
    order = []
    app.add_hook("on_close", lambda instance: order.append("on_close"))
    app.add_hook("pre_close", lambda instance: order.append("pre_close"))
    app.register(
        lambda instance, opts: instance.add_hook("pre_close", lambda i: order.append("child pre"))
    )
    await app.ready()
    await app.close()
    assert order == ["pre_close", "child pre", "on_close"]


async def test_a_failing_on_close_is_logged_and_the_others_still_run(caplog):
    app = Lesto()
    ran = []

    def broken(instance):
        raise RuntimeError("cannot close")

    app.add_hook("on_close", lambda instance: ran.append("first"))
    app.add_hook("on_close", broken)
    app.add_hook("on_close", lambda instance: ran.append("last"))
    await app.ready()
    with caplog.at_level(logging.ERROR, logger="lesto"):
        await app.close()
    assert ran == ["last", "first"]
    assert any(
        record.exc_info and "cannot close" in str(record.exc_info[1]) for record in caplog.records
    )


async def test_a_hanging_on_close_times_out_and_closing_continues(caplog):
    app = Lesto(plugin_timeout=0.05)
    ran = []
    app.add_hook("on_close", lambda instance: ran.append("other"))

    async def hanging(instance):
        await asyncio.Event().wait()

    app.add_hook("on_close", hanging)
    await app.ready()
    with caplog.at_level(logging.ERROR, logger="lesto"):
        await app.close()
    assert ran == ["other"]
    assert any(
        getattr(r.exc_info[1], "code", None) == "LST_ERR_HOOK_TIMEOUT" for r in caplog.records
    )


async def test_close_is_idempotent():
    app = Lesto()
    calls = []
    app.add_hook("on_close", lambda instance: calls.append(1))
    await app.ready()
    await asyncio.gather(app.close(), app.close())
    await app.close()
    assert calls == [1]


async def test_close_without_ready_runs_the_hooks_added_so_far():
    app = Lesto()
    calls = []
    app.add_hook("on_close", lambda instance: calls.append(1))
    app.register(lambda instance, opts: calls.append("never loaded"))
    await app.close()
    assert calls == [1]


async def test_using_the_app_after_close_fails():
    app = Lesto()
    await app.ready()
    await app.close()
    for call in (
        lambda: app.register(lambda instance, opts: None),
        lambda: app.after(),
        lambda: app.decorate("late", 1),
        lambda: app.add_hook("on_close", lambda instance: None),
    ):
        with pytest.raises(errors.LestoError) as info:
            call()
        assert info.value.code == "LST_ERR_REOPENED_CLOSE_SERVER"
    with pytest.raises(errors.LestoError) as info:
        await app.ready()
    assert info.value.code == "LST_ERR_REOPENED_CLOSE_SERVER"
