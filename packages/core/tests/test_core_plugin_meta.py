"""The @plugin marker: skip-override, name, version range, decorators and dependencies."""

import pytest
from lesto import Lesto, __version__, errors, plugin
from lesto.plugin_meta import get_meta


async def load_error(app):
    with pytest.raises(errors.LestoError) as info:
        await app.ready()
    return info.value.code


def test_plugin_marks_the_function_and_returns_it():
    def db(instance, opts):
        pass

    assert plugin(db) is db
    meta = get_meta(db)
    assert meta.name == "db"
    assert meta.encapsulate is False
    assert get_meta(plugin(name="other")(lambda i, o: None)).name == "other"
    assert get_meta(lambda i, o: None) is None


async def test_version_range_is_checked_at_load():
    app = Lesto()
    app.register(plugin(lambda i, o: None, name="ok", lesto=f"=={__version__}"))
    app.register(plugin(lambda i, o: None, name="ok2", lesto=">=0.1,<1"))
    await app.ready()

    app = Lesto()
    app.register(plugin(lambda i, o: None, name="future", lesto=">=99"))
    assert await load_error(app) == "LST_ERR_PLUGIN_VERSION_MISMATCH"


async def test_required_decorators_must_be_present():
    for kind in ("instance", "request", "reply"):
        app = Lesto()
        app.register(plugin(lambda i, o: None, name="needs", decorators={kind: ["db"]}))
        assert await load_error(app) == "LST_ERR_PLUGIN_NOT_PRESENT_IN_INSTANCE"

    app = Lesto()
    app.decorate("db", 1)
    app.decorate_request("user", None)
    app.decorate_reply("html", None)
    needs = {"instance": ["db"], "request": ["user"], "reply": ["html"]}
    app.register(plugin(lambda i, o: None, name="needs", decorators=needs))
    await app.ready()


async def test_dependencies_must_be_registered_before():
    @plugin(name="db")
    def db(instance, opts):
        instance.decorate("db", "conn")

    @plugin(name="routes", dependencies=["db"])
    def routes(instance, opts):
        instance.decorate("routes_ok", instance.db)

    app = Lesto()
    app.register(db)
    app.register(routes)
    await app.ready()
    assert app.routes_ok == "conn"

    app = Lesto()
    app.register(routes)
    assert await load_error(app) == "LST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED"


async def test_a_dependency_in_a_sibling_context_is_not_visible():
    @plugin(name="db")
    def db(instance, opts):
        pass

    app = Lesto()
    app.register(lambda instance, opts: instance.register(db))
    app.register(
        lambda instance, opts: instance.register(plugin(dependencies=["db"])(lambda i, o: None))
    )
    assert await load_error(app) == "LST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED"


def test_invalid_metadata_is_refused_when_marking():
    bad_arguments = [
        {"name": ""},
        {"name": 3},
        {"lesto": "not a range"},
        {"lesto": 1},
        {"dependencies": "db"},
        {"dependencies": [1]},
        {"decorators": ["db"]},
        {"decorators": {"server": ["db"]}},
        {"decorators": {"instance": "db"}},
        {"encapsulate": "yes"},
    ]
    for arguments in bad_arguments:
        with pytest.raises(errors.LestoError) as info:
            plugin(lambda i, o: None, **arguments)
        assert info.value.code == "LST_ERR_PLUGIN_META_INVALID", arguments


def test_marking_what_is_not_callable_fails():
    with pytest.raises(errors.LestoError) as info:
        plugin(42)
    assert info.value.code == "LST_ERR_PLUGIN_NOT_VALID"


def test_a_callable_without_attributes_cannot_be_marked():
    with pytest.raises(errors.LestoError) as info:
        plugin(len)
    assert info.value.code == "LST_ERR_PLUGIN_META_INVALID"


async def test_on_register_is_not_called_for_marked_plugins():
    app = Lesto()
    seen = []
    app.add_hook("on_register", lambda instance, opts: seen.append(opts))
    app.register(plugin(lambda i, o: None, name="marked"), marked=True)
    app.register(lambda i, o: None, plain=True)
    app.register(plugin(lambda i, o: None, name="scoped", encapsulate=True), scoped=True)
    await app.ready()
    assert seen == [{"plain": True}, {"scoped": True}]
