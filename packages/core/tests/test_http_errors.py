"""Errors over HTTP: the default handler, encapsulated handlers, not-found handlers, timeouts."""

import asyncio
import io
import json
import logging

import pytest
from lesto import Lesto, errors
from lesto_errors import create_error

TeapotError = create_error("APP_ERR_TEAPOT", "I refuse to brew %s", 418)
NoStatusError = create_error("APP_ERR_NO_STATUS", "Something about %s")


def raising(error):
    def handler(request, reply):
        raise error

    return handler


# --- the default error handler -----------------------------------------------------------------


async def test_default_error_body_shape_for_a_lesto_error():
    app = Lesto()
    app.get("/", raising(TeapotError("coffee")))
    response = await app.inject(url="/")
    assert response.status_code == 418
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "statusCode": 418,
        "code": "APP_ERR_TEAPOT",
        "error": "I'm a Teapot",
        "message": "I refuse to brew coffee",
    }


async def test_unexpected_exception_is_a_500_without_its_text_and_logged_with_traceback():
    stream = io.StringIO()
    app = Lesto(logger={"stream": stream})
    app.get("/", raising(ValueError("database password is hunter2")))
    response = await app.inject(url="/")
    assert response.status_code == 500
    assert response.json() == {
        "statusCode": 500,
        "error": "Internal Server Error",
        "message": "Internal Server Error",
    }
    assert "hunter2" not in response.body
    logged = [json.loads(line) for line in stream.getvalue().splitlines()]
    (failure,) = [entry for entry in logged if entry["level"] == 50]
    assert failure["err"]["type"] == "ValueError"
    assert "hunter2" in failure["err"]["message"]
    assert "Traceback" in failure["err"]["stack"] or "raise error" in failure["err"]["stack"]


async def test_unexpected_exception_goes_to_the_stdlib_log_without_a_logger(caplog):
    app = Lesto()
    app.get("/", raising(KeyError("missing")))
    with caplog.at_level(logging.ERROR, logger="lesto"):
        response = await app.inject(url="/")
    assert response.status_code == 500
    (record,) = [r for r in caplog.records if r.exc_info]
    assert record.exc_info[0] is KeyError


async def test_status_below_400_becomes_500():
    app = Lesto()
    redirect_error = Exception("weird")
    redirect_error.status_code = 302
    app.get("/declared", raising(redirect_error))

    def after_code(request, reply):
        reply.code(201)
        raise RuntimeError("after setting 201")

    app.get("/reply-code", after_code)
    for url in ("/declared", "/reply-code"):
        response = await app.inject(url=url)
        assert response.status_code == 500
        assert response.json()["statusCode"] == 500


async def test_lesto_error_with_the_default_500_status_shows_its_message():
    app = Lesto()
    app.get("/", raising(NoStatusError("x")))
    response = await app.inject(url="/")
    assert response.status_code == 500
    assert response.json() == {
        "statusCode": 500,
        "code": "APP_ERR_NO_STATUS",
        "error": "Internal Server Error",
        "message": "Something about x",
    }


async def test_any_exception_with_a_4xx_status_code_shows_its_message():
    class ForbiddenError(Exception):
        status_code = 403

    app = Lesto()
    app.get("/", raising(ForbiddenError("not yours")))
    response = await app.inject(url="/")
    assert response.status_code == 403
    assert response.json() == {"statusCode": 403, "error": "Forbidden", "message": "not yours"}


async def test_a_reply_status_of_4xx_is_kept_for_an_unexpected_exception():
    def handler(request, reply):
        reply.code(409)
        raise RuntimeError("conflict details")

    app = Lesto()
    app.get("/", handler)
    response = await app.inject(url="/")
    assert response.status_code == 409
    assert response.json()["message"] == "Internal Server Error"


async def test_error_replaces_headers_describing_the_body_but_keeps_the_others():
    def handler(request, reply):
        reply.header("x-trace", "abc").type("text/html")
        raise TeapotError("tea")

    app = Lesto()
    app.get("/", handler)
    response = await app.inject(url="/")
    assert response.headers["x-trace"] == "abc"
    assert response.headers["content-type"] == "application/json; charset=utf-8"


async def test_async_handler_errors():
    app = Lesto()

    async def handler(request, reply):
        await asyncio.sleep(0)
        raise TeapotError("async")

    app.get("/", handler)
    assert (await app.inject(url="/")).status_code == 418


# --- set_error_handler ---------------------------------------------------------------------


async def test_custom_error_handler_return_value_is_sent():
    app = Lesto()

    def handler(error, request, reply):
        reply.code(422)
        return {"problem": str(error), "status_seen": reply.status_code}

    app.set_error_handler(handler)
    app.get("/", raising(TeapotError("x")))
    response = await app.inject(url="/")
    assert response.status_code == 422
    assert response.json() == {"problem": "I refuse to brew x", "status_seen": 422}


async def test_custom_error_handler_sees_the_status_already_decided():
    app = Lesto()
    app.set_error_handler(lambda error, request, reply: {"status": reply.status_code})
    app.get("/teapot", raising(TeapotError("x")))
    app.get("/boom", raising(RuntimeError("x")))
    assert (await app.inject(url="/teapot")).json() == {"status": 418}
    assert (await app.inject(url="/boom")).json() == {"status": 500}


async def test_async_error_handler_using_send():
    app = Lesto()

    async def handler(error, request, reply):
        await asyncio.sleep(0)
        reply.code(400).send("handled: " + type(error).__name__)

    app.set_error_handler(handler)
    app.get("/", raising(ValueError()))
    response = await app.inject(url="/")
    assert (response.status_code, response.body) == (400, "handled: ValueError")


async def test_error_handlers_are_encapsulated():
    app = Lesto()
    app.set_error_handler(lambda error, request, reply: {"by": "root"})

    def child(instance, opts):
        instance.set_error_handler(lambda error, request, reply: {"by": "child"})
        instance.get("/", raising(ValueError()))

    def sibling(instance, opts):
        instance.get("/", raising(ValueError()))

    app.register(child, prefix="/child")
    app.register(sibling, prefix="/sibling")
    app.get("/", raising(ValueError()))
    assert (await app.inject(url="/child")).json() == {"by": "child"}
    assert (await app.inject(url="/sibling")).json() == {"by": "root"}
    assert (await app.inject(url="/")).json() == {"by": "root"}


async def test_an_error_raised_in_a_child_handler_goes_to_the_parent_handler():
    app = Lesto()
    app.set_error_handler(lambda error, request, reply: {"root got": str(error)})

    def child(instance, opts):
        def failing(error, request, reply):
            raise TeapotError("from the child handler")

        instance.set_error_handler(failing)
        instance.get("/", raising(ValueError("original")))

    app.register(child, prefix="/child")
    response = await app.inject(url="/child")
    assert response.status_code == 418
    assert response.json() == {"root got": "I refuse to brew from the child handler"}


async def test_a_failing_root_handler_falls_back_to_the_default():
    app = Lesto()

    def failing(error, request, reply):
        raise TeapotError("root handler")

    app.set_error_handler(failing)
    app.get("/", raising(ValueError()))
    response = await app.inject(url="/")
    assert response.status_code == 418
    assert response.json()["code"] == "APP_ERR_TEAPOT"


async def test_route_error_handler_comes_first():
    app = Lesto()
    app.set_error_handler(lambda error, request, reply: {"by": "context"})
    app.get("/", raising(ValueError()), error_handler=lambda e, request, reply: {"by": "route"})
    assert (await app.inject(url="/")).json() == {"by": "route"}


async def test_failure_while_serialising_an_error_is_still_a_500():
    app = Lesto()

    def handler(error, request, reply):
        reply.serializer(lambda payload: 1 / 0)
        return {"never": "serialised"}

    app.set_error_handler(handler)
    app.get("/", raising(TeapotError("x")))
    response = await app.inject(url="/")
    assert response.status_code == 500
    assert response.json()["statusCode"] == 500


async def test_error_handler_returning_an_unserialisable_value_is_a_500():
    app = Lesto()
    app.set_error_handler(lambda error, request, reply: {"obj": object()})
    app.get("/", raising(TeapotError("x")))
    response = await app.inject(url="/")
    assert response.status_code == 500


async def test_every_handler_failing_gives_the_bare_500():
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


def test_set_error_handler_needs_a_function():
    with pytest.raises(errors.LST_ERR_ERROR_HANDLER_NOT_FN):
        Lesto().set_error_handler("nope")


async def test_errors_after_the_response_are_logged_only(caplog):
    app = Lesto()

    async def stream():
        yield b"start"
        raise RuntimeError("mid-stream")

    app.get("/", lambda request, reply: stream())
    with caplog.at_level(logging.ERROR, logger="lesto"):
        response = await _inject_incomplete(app, "/")
    assert response[0] == 200
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)


async def _inject_incomplete(app, path):
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [],
    }
    await app(scope, receive, send)
    return sent[0]["status"], sent[1:]


# --- not found -----------------------------------------------------------------------------


async def test_default_404_names_method_and_path():
    app = Lesto()
    response = await app.inject(method="DELETE", url="/nothing/here?x=1")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "LST_ERR_NOT_FOUND"
    assert body["error"] == "Not Found"
    assert "DELETE" in body["message"]
    assert "/nothing/here" in body["message"]


async def test_not_found_handler_is_scoped_to_its_prefix():
    app = Lesto()
    calls = []
    app.set_not_found_handler(lambda request, reply: reply.code(404).send({"scope": "root"}))

    def api(instance, opts):
        def not_found(request, reply):
            reply.code(404)
            return {"scope": "api", "url": request.url}

        instance.set_not_found_handler(
            not_found,
            pre_validation=lambda request, reply: calls.append("pre_validation"),
            pre_handler=[lambda request, reply: calls.append("pre_handler")],
        )

    app.register(api, prefix="/api")
    assert (await app.inject(url="/api/missing")).json() == {"scope": "api", "url": "/api/missing"}
    assert (await app.inject(url="/api")).json()["scope"] == "api"
    assert calls == ["pre_validation", "pre_handler"] * 2
    assert (await app.inject(url="/apix")).json() == {"scope": "root"}
    assert (await app.inject(url="/other")).json() == {"scope": "root"}
    assert calls == ["pre_validation", "pre_handler"] * 2


async def test_not_found_handler_runs_context_hooks_and_can_answer_from_them():
    app = Lesto()

    def plugin(instance, opts):
        instance.add_hook("on_request", lambda request, reply: reply.header("x-scope", "plugin"))
        instance.set_not_found_handler(lambda request, reply: reply.code(404).send("nope"))

    app.register(plugin, prefix="/p")
    response = await app.inject(url="/p/x")
    assert (response.status_code, response.body, response.headers["x-scope"]) == (
        404,
        "nope",
        "plugin",
    )


async def test_not_found_handler_as_a_decorator_and_set_twice():
    app = Lesto()

    @app.set_not_found_handler
    async def not_found(request, reply):
        reply.code(404)
        return "custom 404"

    with pytest.raises(errors.LST_ERR_NOT_FOUND_HANDLER_ALREADY_SET):
        app.set_not_found_handler(lambda request, reply: None)
    assert (await app.inject(url="/x")).body == "custom 404"


async def test_not_found_handler_errors_go_to_the_error_handler():
    app = Lesto()
    app.set_not_found_handler(raising(TeapotError("404 handler")))
    response = await app.inject(url="/x")
    assert (response.status_code, response.json()["code"]) == (418, "APP_ERR_TEAPOT")


async def test_unknown_methods_are_404():
    app = Lesto()
    app.get("/", lambda request, reply: "x")
    response = await app.inject(method="PROPFIND", url="/")
    assert response.status_code == 404
    assert response.json()["code"] == "LST_ERR_NOT_FOUND"


async def test_bad_url_is_400_through_the_root_error_handler():
    app = Lesto()
    app.set_error_handler(lambda error, request, reply: {"code": error.code})
    app.get("/:id", lambda request, reply: "x")
    response = await app.inject(url="/%E0%A4%A")
    assert response.status_code == 400
    assert response.json() == {"code": "LST_ERR_BAD_URL"}


# --- handler timeout -------------------------------------------------------------------------


async def test_handler_timeout_is_503_and_cancels_the_handler():
    app = Lesto(handler_timeout=0.05)
    state = {}
    timeouts = []

    async def slow(request, reply):
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            state["cancelled with is_aborted"] = request.is_aborted
            raise
        state["finished"] = True

    app.add_hook("on_timeout", lambda request, reply: timeouts.append(request.url))
    app.get("/slow", slow)
    response = await app.inject(url="/slow")
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "LST_ERR_HANDLER_TIMEOUT"
    assert body["error"] == "Service Unavailable"
    assert state == {"cancelled with is_aborted": True}
    assert timeouts == ["/slow"]


async def test_handler_timeout_goes_through_custom_error_handlers():
    app = Lesto()
    app.set_error_handler(lambda error, request, reply: {"timed out": error.code})

    async def slow(request, reply):
        await asyncio.sleep(30)

    app.get("/", slow, handler_timeout=0.02)
    response = await app.inject(url="/")
    assert (response.status_code, response.json()) == (
        503,
        {"timed out": "LST_ERR_HANDLER_TIMEOUT"},
    )


def test_handler_timeout_option_is_checked():
    with pytest.raises(errors.LST_ERR_ROUTE_OPTION_INVALID):
        Lesto().get("/", lambda request, reply: None, handler_timeout=-1)
