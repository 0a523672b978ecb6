"""Decorators: decorate, decorate_request, decorate_reply, has_*, get_decorator, their errors."""

import warnings

import pytest
from lesto import Lesto, errors
from lesto.deprecations import LSTDEP001


def make_request(instance, headers=()):
    scope = {"type": "http", "headers": list(headers)}
    return instance._ctx.request_class(scope, None, {}, None, None)


def make_reply(instance):
    return instance._ctx.reply_class(make_request(instance), None, None, None)


def code_of(call, *args, **kwargs):
    with pytest.raises(errors.LestoError) as info:
        call(*args, **kwargs)
    return info.value.code


# --- instance decorators -----------------------------------------------------------------


def test_decorate_adds_a_value_and_an_unbound_function():
    app = Lesto()
    app.decorate("util", lambda a, b: a + b)
    app.decorate("answer", 42)
    assert app.util("that is ", "awesome") == "that is awesome"
    assert app.answer == 42
    assert app.has_decorator("util")
    assert not app.has_decorator("nope")
    assert app.get_decorator("answer") == 42


def test_decorate_accepts_a_property_of_the_instance():
    app = Lesto()
    app.decorate("chain", property(lambda self: self.plugin_name))
    assert app.chain == "root"


def test_instance_decorators_do_not_leak_between_applications():
    first, second = Lesto(), Lesto()
    first.decorate("util", 1)
    assert not second.has_decorator("util")
    assert not hasattr(second, "util")


def test_decorate_twice_fails_with_already_present():
    app = Lesto()
    app.decorate("util", 1)
    assert code_of(app.decorate, "util", 2) == "LST_ERR_DEC_ALREADY_PRESENT"
    app.decorate_request("user", None)
    assert code_of(app.decorate_request, "user", 1) == "LST_ERR_DEC_ALREADY_PRESENT"
    app.decorate_reply("html", None)
    assert code_of(app.decorate_reply, "html", 1) == "LST_ERR_DEC_ALREADY_PRESENT"


async def test_a_child_cannot_redeclare_an_ancestor_decorator():
    app = Lesto()
    app.decorate("util", 1)
    codes = []
    app.register(lambda instance, opts: codes.append(code_of(instance.decorate, "util", 2)))
    await app.ready()
    assert codes == ["LST_ERR_DEC_ALREADY_PRESENT"]


def test_core_names_are_reserved():
    app = Lesto()
    assert code_of(app.decorate, "register", 1) == "LST_ERR_DEC_RESERVED_NAME"
    assert code_of(app.decorate, "_ctx", 1) == "LST_ERR_DEC_RESERVED_NAME"
    assert code_of(app.decorate, "__call__", 1) == "LST_ERR_DEC_RESERVED_NAME"
    for name in ("params", "body", "headers", "query", "method", "server", "get_decorator"):
        assert code_of(app.decorate_request, name, None) == "LST_ERR_DEC_RESERVED_NAME"
    for name in ("send", "code", "status_code", "request", "headers", "sent"):
        assert code_of(app.decorate_reply, name, None) == "LST_ERR_DEC_RESERVED_NAME"


def test_dependencies_must_be_declared_first():
    app = Lesto()
    assert code_of(app.decorate, "b", 1, ["a"]) == "LST_ERR_DEC_MISSING_DEPENDENCY"
    app.decorate("a", 1)
    app.decorate("b", 2, ["a"])
    assert app.b == 2
    assert code_of(app.decorate_request, "y", 1, ["x"]) == "LST_ERR_DEC_MISSING_DEPENDENCY"
    app.decorate_request("x", 1)
    app.decorate_request("y", 2, dependencies=("x",))
    assert code_of(app.decorate_reply, "y", 1, ["x"]) == "LST_ERR_DEC_MISSING_DEPENDENCY"


def test_dependencies_must_be_a_list_of_names():
    app = Lesto()
    app.decorate("a", 1)
    for bad in ("a", 42, [1]):
        assert code_of(app.decorate, "b", 1, bad) == "LST_ERR_DEC_DEPENDENCY_INVALID_TYPE"
        assert code_of(app.decorate_request, "b", 1, bad) == "LST_ERR_DEC_DEPENDENCY_INVALID_TYPE"


async def test_decorating_after_start_fails():
    app = Lesto()
    await app.ready()
    assert code_of(app.decorate, "late", 1) == "LST_ERR_DEC_AFTER_START"
    assert code_of(app.decorate_request, "late", 1) == "LST_ERR_DEC_AFTER_START"
    assert code_of(app.decorate_reply, "late", 1) == "LST_ERR_DEC_AFTER_START"


def test_get_decorator_of_an_undeclared_name_fails():
    app = Lesto()
    assert code_of(app.get_decorator, "missing") == "LST_ERR_DEC_UNDECLARED"
    assert code_of(app.get_decorator, "register") == "LST_ERR_DEC_UNDECLARED"
    assert code_of(make_request(app).get_decorator, "missing") == "LST_ERR_DEC_UNDECLARED"
    assert code_of(make_request(app).get_decorator, "params") == "LST_ERR_DEC_UNDECLARED"
    assert code_of(make_reply(app).get_decorator, "missing") == "LST_ERR_DEC_UNDECLARED"


# --- request and reply decorators ----------------------------------------------------------


def test_request_decorator_functions_become_methods():
    app = Lesto()

    def set_header(self, header):
        self.is_happy = dict(self.raw["headers"])[header]

    app.decorate_request("set_header", set_header)
    app.decorate_request("is_happy", False)
    request = make_request(app, [("happy", "yes")])
    assert request.is_happy is False
    request.set_header("happy")
    assert request.is_happy == "yes"
    assert make_request(app).is_happy is False  # each request starts from the initial value
    assert request.get_decorator("set_header").__self__ is request


def test_reply_decorator_function_sees_the_reply():
    app = Lesto()

    def html(self, payload):
        self.status_code = 201
        return f"<h1>{payload['hello']}</h1>"

    app.decorate_reply("html", html)
    reply = make_reply(app)
    assert reply.html({"hello": "world"}) == "<h1>world</h1>"
    assert reply.status_code == 201


def test_a_property_works_as_a_request_decorator():
    app = Lesto()
    app.decorate_request("user_id", property(lambda self: self.params.get("id")))
    request = make_request(app)
    request.params = {"id": "7"}
    assert request.user_id == "7"


def test_a_getter_setter_mapping_works_and_is_deprecated():
    app = Lesto()
    LSTDEP001.emitted = False
    with pytest.warns(DeprecationWarning, match="LSTDEP001"):
        app.decorate_reply(
            "tagged",
            {"getter": lambda self: self.status_code, "setter": lambda self, v: None},
        )
    assert make_reply(app).tagged == 200
    LSTDEP001.emitted = False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app.decorate_request("getter_only", {"getter": lambda self: "ok"})
    assert make_request(app).getter_only == "ok"


def test_mutable_values_are_refused_on_request_and_reply():
    app = Lesto()
    for bad in ([], {}, set(), bytearray()):
        assert code_of(app.decorate_request, "shared", bad) == "LST_ERR_DEC_REFERENCE_TYPE"
        assert code_of(app.decorate_reply, "shared", bad) == "LST_ERR_DEC_REFERENCE_TYPE"
    app.decorate_request("frozen", (1, 2))
    app.decorate("config", {"instance": "values may be mutable"})


def test_per_request_assignment_does_not_touch_the_class():
    app = Lesto()
    app.decorate_request("counter", 0)
    first, second = make_request(app), make_request(app)
    first.counter += 1
    assert (first.counter, second.counter) == (1, 0)


def test_plain_requests_keep_core_attributes_in_slots():
    app = Lesto()
    request = make_request(app)
    assert (request.params, request.body, request.is_aborted) == ({}, None, False)
    assert request.server is app
    assert make_reply(app).server is app
