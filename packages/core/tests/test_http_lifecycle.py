"""The request lifecycle: hook order, early answers, payload hooks, failures, scopes."""

import asyncio
import io
import json
import logging

import pytest
from lesto import Lesto, errors

REQUEST_PAIR_HOOKS = ("on_request", "pre_validation", "pre_handler")
PAYLOAD_HOOKS = ("pre_parsing", "pre_serialization", "on_send")


def recording_app(order, *, use_async=False):
    """An app whose every request hook (context level) appends its name to ``order``."""
    app = Lesto()

    def pair(name):
        if use_async:

            async def hook(request, reply):
                order.append(name)

            return hook
        return lambda request, reply: order.append(name)

    def payload(name):
        def hook(request, reply, value):
            order.append(name)

        return hook

    for name in REQUEST_PAIR_HOOKS:
        app.add_hook(name, pair(name))
    for name in PAYLOAD_HOOKS:
        app.add_hook(name, payload(name))
    app.add_hook("on_response", pair("on_response"))
    return app


@pytest.mark.parametrize("use_async", [False, True])
async def test_hooks_run_in_lifecycle_order(use_async):
    order = []
    app = recording_app(order, use_async=use_async)

    @app.post("/")
    async def handler(request, reply):
        order.append("handler")
        return {"got": request.body}

    response = await app.inject(method="POST", url="/", payload={"a": 1})
    assert response.json() == {"got": {"a": 1}}
    assert order == [
        "on_request",
        "pre_parsing",
        "pre_validation",
        "pre_handler",
        "handler",
        "pre_serialization",
        "on_send",
        "on_response",
    ]


async def test_routes_without_a_body_skip_pre_parsing_and_strings_skip_pre_serialization():
    order = []
    app = recording_app(order)
    app.get("/", lambda request, reply: "text")
    await app.inject(url="/")
    assert order == ["on_request", "pre_validation", "pre_handler", "on_send", "on_response"]


async def test_context_hooks_run_before_route_hooks():
    order = []
    app = Lesto()
    app.add_hook("pre_handler", lambda request, reply: order.append("context"))
    app.get(
        "/",
        lambda request, reply: order.append("handler"),
        pre_handler=[
            lambda request, reply: order.append("route 1"),
            lambda request, reply: order.append("route 2"),
        ],
        on_request=lambda request, reply: order.append("route on_request"),
    )
    await app.inject(url="/")
    assert order == ["route on_request", "context", "route 1", "route 2", "handler"]


@pytest.mark.parametrize("hook", REQUEST_PAIR_HOOKS)
async def test_a_hook_may_answer_early_and_the_rest_is_skipped(hook):
    order = []
    app = Lesto()

    def answer(request, reply):
        reply.code(401).send({"denied": hook})

    app.add_hook(hook, answer)
    app.add_hook(hook, lambda request, reply: order.append("next hook"))
    app.add_hook("pre_handler", lambda request, reply: order.append("pre_handler"))
    app.add_hook("on_send", lambda request, reply, payload: order.append("on_send"))
    app.add_hook("on_response", lambda request, reply: order.append("on_response"))
    app.post("/", lambda request, reply: order.append("handler"))

    response = await app.inject(method="POST", url="/", payload={"a": 1})
    assert response.status_code == 401
    assert response.json() == {"denied": hook}
    assert "handler" not in order
    assert "next hook" not in order
    assert order[-2:] == ["on_send", "on_response"]


async def test_pre_parsing_may_answer_early():
    app = Lesto()

    def stop(request, reply, receive):
        reply.code(429).send("slow down")

    app.add_hook("pre_parsing", stop)
    app.post("/", lambda request, reply: "handled")
    response = await app.inject(method="POST", url="/", payload={"a": 1})
    assert (response.status_code, response.body) == (429, "slow down")


async def test_pre_parsing_may_replace_the_body_source():
    app = Lesto()

    async def swap(request, reply, receive):
        message = await receive()

        async def replaced():
            return {"type": "http.request", "body": message["body"].upper(), "more_body": False}

        return replaced

    app.post("/", lambda request, reply: request.body, pre_parsing=swap)
    response = await app.inject(
        method="POST", url="/", payload="abc", headers={"content-type": "text/plain"}
    )
    assert response.body == "ABC"


async def test_on_send_may_replace_the_payload_and_pre_serialization_the_value():
    app = Lesto()
    app.add_hook("pre_serialization", lambda request, reply, payload: {**payload, "extra": 1})

    def on_send(request, reply, payload):
        return payload + b"\n"

    app.add_hook("on_send", on_send)
    app.get("/", lambda request, reply: {"a": 1})
    response = await app.inject(url="/")
    assert response.raw_payload == b'{"a":1,"extra":1}\n'
    assert response.headers["content-length"] == str(len(b'{"a":1,"extra":1}\n'))


async def test_async_on_send_returning_none_keeps_the_payload():
    app = Lesto()

    async def on_send(request, reply, payload):
        reply.header("x-seen", "1")

    app.add_hook("on_send", on_send)
    app.get("/", lambda request, reply: "kept")
    response = await app.inject(url="/")
    assert (response.body, response.headers["x-seen"]) == ("kept", "1")


async def test_a_payload_hook_failing_on_the_error_answer_too_ends_in_a_bare_500():
    app = Lesto()
    app.add_hook("on_send", lambda request, reply, payload: 1 / 0)
    app.get("/", lambda request, reply: "x")
    response = await app.inject(url="/")
    assert response.status_code == 500
    assert response.json() == {
        "statusCode": 500,
        "error": "Internal Server Error",
        "message": "Internal Server Error",
    }


async def test_on_send_returning_an_unsendable_value_is_an_error():
    app = Lesto()
    app.add_hook("on_send", lambda request, reply, payload: 42 if reply.status_code < 400 else None)
    app.get("/", lambda request, reply: "x")
    response = await app.inject(url="/")
    assert response.status_code == 500
    assert response.json()["code"] == "LST_ERR_REP_INVALID_PAYLOAD_TYPE"


async def test_on_response_failure_is_logged_not_sent():
    stream = io.StringIO()
    app = Lesto(logger={"stream": stream})
    done = []

    def broken(request, reply):
        raise RuntimeError("on_response broke")

    app.add_hook("on_response", broken)
    app.add_hook("on_response", lambda request, reply: done.append(reply.status_code))
    app.get("/", lambda request, reply: "fine")
    response = await app.inject(url="/")
    assert (response.status_code, response.body) == (200, "fine")
    assert done == [200]
    errors_logged = [json.loads(line) for line in stream.getvalue().splitlines()]
    failure = [entry for entry in errors_logged if entry["level"] == 50]
    assert failure
    assert failure[0]["err"]["message"] == "on_response broke"


async def test_on_response_failure_goes_to_the_stdlib_log_without_a_logger(caplog):
    app = Lesto()
    app.add_hook("on_response", lambda request, reply: 1 / 0)
    app.get("/", lambda request, reply: "fine")
    with caplog.at_level(logging.ERROR, logger="lesto"):
        response = await app.inject(url="/")
    assert response.status_code == 200
    assert any(
        record.exc_info and record.exc_info[0] is ZeroDivisionError for record in caplog.records
    )


@pytest.mark.parametrize("hook", [*REQUEST_PAIR_HOOKS, "pre_serialization", "on_send"])
async def test_an_exception_in_any_hook_goes_to_the_error_handler(hook):
    app = Lesto()
    seen = []
    app.set_error_handler(
        lambda error, request, reply: seen.append(str(error)) or {"handled": True}
    )

    def broken(request, reply, *payload):
        if reply.status_code < 400:  # payload hooks also see the error's answer: let it pass
            raise ValueError(hook)

    app.add_hook(hook, broken)
    app.get("/", lambda request, reply: {"a": 1})
    response = await app.inject(url="/")
    assert response.status_code == 500
    assert response.json() == {"handled": True}
    assert seen == [hook]


async def test_on_error_runs_before_the_error_handler_and_its_failure_is_logged(caplog):
    order = []
    app = Lesto()

    def on_error(request, reply, error):
        order.append(("on_error", str(error), reply.status_code))
        raise RuntimeError("on_error broke")

    app.add_hook("on_error", on_error)

    @app.set_error_handler
    def handler(error, request, reply):
        order.append(("handler", str(error)))
        return {"handled": True}

    app.get("/", lambda request, reply: (_ for _ in ()).throw(KeyError("k")))
    with caplog.at_level(logging.ERROR, logger="lesto"):
        response = await app.inject(url="/")
    assert response.json() == {"handled": True}
    assert order == [("on_error", "'k'", 500), ("handler", "'k'")]
    assert any("on_error hook failed" in record.getMessage() for record in caplog.records)


async def test_on_route_adds_hooks_from_route_config():
    """The Hooks guide: an on_route hook turning route config into a pre_handler."""
    app = Lesto()

    def on_route(route_options):
        if route_options["config"].get("auth"):
            route_options["pre_handler"].append(require_token)

    def require_token(request, reply):
        if request.headers.get("authorization") != "Bearer secret":
            reply.code(401).send({"error": "unauthorized"})

    app.add_hook("on_route", on_route)
    app.get("/public", lambda request, reply: {"public": True})
    app.get("/private", lambda request, reply: {"private": True}, config={"auth": True})

    assert (await app.inject(url="/public")).status_code == 200
    assert (await app.inject(url="/private")).status_code == 401
    authorized = await app.inject(url="/private", headers={"authorization": "Bearer secret"})
    assert authorized.json() == {"private": True}


async def test_on_route_sees_the_prefix_and_may_change_options():
    app = Lesto()
    seen = []

    def on_route(route_options):
        seen.append((route_options["method"], route_options["url"], route_options["prefix"]))
        route_options["config"]["stamped"] = True

    def plugin(instance, opts):
        instance.add_hook("on_route", on_route)
        instance.get("/x", lambda request, reply: dict(request.route_options.config))

    app.register(plugin, prefix="/p")
    app.get("/outside", lambda request, reply: dict(request.route_options.config))
    assert (await app.inject(url="/p/x")).json() == {"stamped": True}
    assert (await app.inject(url="/outside")).json() == {}
    assert seen == [("GET", "/x", "/p")]


async def test_per_scope_pre_handler():
    """The Hooks guide: a pre_handler added in a plugin runs for that plugin's routes only."""
    app = Lesto()
    calls = []

    def private(instance, opts):
        instance.add_hook("pre_handler", lambda request, reply: calls.append(request.url))
        instance.get("/secret", lambda request, reply: "secret")

    def public(instance, opts):
        instance.get("/open", lambda request, reply: "open")

    app.register(private, prefix="/private")
    app.register(public, prefix="/public")
    await app.inject(url="/private/secret")
    await app.inject(url="/public/open")
    assert calls == ["/private/secret"]


async def test_parent_hooks_added_before_a_child_reach_the_child_but_not_the_other_way():
    app = Lesto()
    calls = []
    app.add_hook("on_request", lambda request, reply: calls.append(("root", request.url)))

    def child(instance, opts):
        instance.add_hook("on_request", lambda request, reply: calls.append(("child", request.url)))
        instance.get("/c", lambda request, reply: "c")

    app.register(child)
    app.get("/r", lambda request, reply: "r")
    await app.inject(url="/c")
    await app.inject(url="/r")
    assert calls == [("root", "/c"), ("child", "/c"), ("root", "/r")]


async def test_request_hooks_run_for_not_found_requests():
    app = Lesto()
    calls = []
    app.add_hook("on_request", lambda request, reply: calls.append("on_request"))
    app.add_hook("on_response", lambda request, reply: calls.append(reply.status_code))
    response = await app.inject(url="/missing")
    assert response.status_code == 404
    assert calls == ["on_request", 404]


async def test_handler_timeout_cancels_with_is_aborted_set_and_runs_on_timeout():
    app = Lesto()
    seen = {}

    async def slow(request, reply):
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            seen["aborted when cancelled"] = request.is_aborted
            raise

    def on_timeout(request, reply):
        seen["on_timeout"] = request.is_aborted

    app.get("/slow", slow, handler_timeout=0.05, on_timeout=on_timeout)
    response = await app.inject(url="/slow")
    assert response.status_code == 503
    assert response.json()["code"] == "LST_ERR_HANDLER_TIMEOUT"
    assert seen == {"aborted when cancelled": True, "on_timeout": True}


async def test_handler_timeout_app_wide_and_fast_handlers_unaffected():
    app = Lesto(handler_timeout=0.05)

    async def fast(request, reply):
        return {"fast": True}

    async def slow(request, reply):
        await asyncio.sleep(30)

    app.get("/fast", fast)
    app.get("/slow", slow)
    app.get("/slow-allowed", slow, handler_timeout=0)  # 0 turns it off for this route
    assert (await app.inject(url="/fast")).json() == {"fast": True}
    assert (await app.inject(url="/slow")).status_code == 503
    pending = asyncio.ensure_future(app.inject(url="/slow-allowed"))
    await asyncio.sleep(0.1)
    assert not pending.done()
    pending.cancel()


async def test_handler_errors_surface_normally_under_a_timeout():
    app = Lesto()

    async def broken(request, reply):
        raise errors.LST_ERR_NOT_FOUND("GET", "/thing")

    app.get("/", broken, handler_timeout=5)
    response = await app.inject(url="/")
    assert response.status_code == 404
