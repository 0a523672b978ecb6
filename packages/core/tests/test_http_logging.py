"""Logging at the HTTP level: the ``logger`` options, request logs, request ids, levels."""

from __future__ import annotations

import io
import logging
import os
import socket
from typing import Any

import orjson
import pytest
from lesto import Lesto


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in stream.getvalue().splitlines()]


def by_message(entries: list[dict[str, Any]], msg: str) -> list[dict[str, Any]]:
    return [entry for entry in entries if entry.get("msg") == msg]


async def test_logger_is_off_by_default_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    app = Lesto()

    @app.get("/")
    def index(request, reply):
        request.log.info("from the handler")
        request.log.error("an error, still silent")
        return "ok"

    with caplog.at_level(logging.DEBUG):
        assert (await app.inject(url="/")).body == "ok"
    assert app.log.level == "silent"
    assert capsys.readouterr() == ("", "")
    assert caplog.records == []


async def test_logger_true_writes_json_lines_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    app = Lesto(logger=True)
    app.get("/", lambda request, reply: "ok")
    await app.inject(url="/")
    entries = [orjson.loads(line) for line in capsys.readouterr().out.splitlines()]
    incoming, completed = entries
    for entry in entries:
        assert entry["level"] == 30
        assert isinstance(entry["time"], int)
        assert entry["pid"] == os.getpid()
        assert entry["hostname"] == socket.gethostname()
        assert entry["reqId"] == "req-1"
    assert incoming["msg"] == "incoming request"
    assert completed["msg"] == "request completed"


async def test_every_request_logs_incoming_and_completed_with_status_and_time() -> None:
    stream = io.StringIO()
    app = Lesto(logger={"stream": stream})

    @app.post("/items")
    def create(request, reply):
        request.log.info({"item": request.body["name"]}, "creating")
        reply.code(201)
        return {"ok": True}

    response = await app.inject(
        method="POST",
        url="/items?x=1",
        payload={"name": "pen"},
        remote_address="10.0.0.7",
        headers={"host": "example.com"},
    )
    assert response.status_code == 201
    incoming, handler_line, completed = lines(stream)
    assert incoming["msg"] == "incoming request"
    assert incoming["req"] == {
        "method": "POST",
        "url": "/items?x=1",
        "host": "example.com",
        "remoteAddress": "10.0.0.7",
        "remotePort": 0,
    }
    assert (handler_line["msg"], handler_line["item"]) == ("creating", "pen")
    assert completed["msg"] == "request completed"
    assert completed["res"] == {"statusCode": 201}
    assert isinstance(completed["responseTime"], float)
    assert completed["responseTime"] >= 0
    assert incoming["reqId"] == handler_line["reqId"] == completed["reqId"]


async def test_each_request_gets_its_own_id() -> None:
    stream = io.StringIO()
    app = Lesto(logger={"stream": stream})
    app.get("/", lambda request, reply: request.id)
    first = (await app.inject(url="/")).body
    second = (await app.inject(url="/")).body
    assert first != second
    ids = [entry["reqId"] for entry in lines(stream)]
    assert ids == [first, first, second, second]


async def test_a_404_and_an_error_are_logged_as_completed_with_their_status() -> None:
    stream = io.StringIO()
    app = Lesto(logger={"stream": stream})
    app.get("/bad", lambda request, reply: reply.code(400).send({"bad": True}))
    await app.inject(url="/missing")
    await app.inject(url="/bad")
    statuses = [
        entry["res"]["statusCode"] for entry in by_message(lines(stream), "request completed")
    ]
    assert statuses == [404, 400]


async def test_disable_request_logging_keeps_other_logs() -> None:
    stream = io.StringIO()
    app = Lesto(logger={"stream": stream}, disable_request_logging=True)

    @app.get("/")
    def index(request, reply):
        request.log.info("handler line")
        return "ok"

    await app.inject(url="/")
    (entry,) = lines(stream)
    assert (entry["msg"], entry["reqId"]) == ("handler line", "req-1")


async def test_request_id_header_is_used_when_present() -> None:
    stream = io.StringIO()
    app = Lesto(logger={"stream": stream}, request_id_header="x-request-id")
    app.get("/", lambda request, reply: request.id)
    assert (await app.inject(url="/", headers={"X-Request-Id": "abc-123"})).body == "abc-123"
    assert (await app.inject(url="/")).body == "req-1"
    assert [entry["reqId"] for entry in lines(stream)] == ["abc-123"] * 2 + ["req-1"] * 2


async def test_request_id_header_is_off_by_default() -> None:
    app = Lesto()
    app.get("/", lambda request, reply: request.id)
    assert (await app.inject(url="/", headers={"request-id": "mine"})).body == "req-1"


async def test_gen_req_id_receives_the_scope() -> None:
    stream = io.StringIO()
    seen: list[str] = []

    def gen_req_id(scope: Any) -> str:
        seen.append(scope["path"])
        return f"id-{len(seen)}"

    app = Lesto(logger={"stream": stream}, gen_req_id=gen_req_id)
    app.get("/a", lambda request, reply: request.id)
    assert (await app.inject(url="/a")).body == "id-1"
    assert seen == ["/a"]
    assert {entry["reqId"] for entry in lines(stream)} == {"id-1"}


async def test_request_id_log_label_renames_the_field() -> None:
    stream = io.StringIO()
    app = Lesto(logger={"stream": stream}, request_id_log_label="traceId")
    app.get("/", lambda request, reply: "ok")
    await app.inject(url="/")
    assert all(entry["traceId"] == "req-1" and "reqId" not in entry for entry in lines(stream))


async def test_per_route_log_level() -> None:
    stream = io.StringIO()
    app = Lesto(logger={"stream": stream, "level": "info"})

    @app.get("/quiet", log_level="warn")
    def quiet(request, reply):
        request.log.info("hidden")
        request.log.warn("shown")
        return "q"

    @app.get("/verbose", log_level="debug")
    def verbose(request, reply):
        request.log.debug("details")
        return "v"

    @app.get("/default")
    def default(request, reply):
        request.log.debug("hidden too")
        return "d"

    for url in ("/quiet", "/verbose", "/default"):
        await app.inject(url=url)
    assert [entry["msg"] for entry in lines(stream)] == [
        "shown",
        "incoming request",
        "details",
        "request completed",
        "incoming request",
        "request completed",
    ]


async def test_plugin_log_level_applies_to_its_routes() -> None:
    stream = io.StringIO()
    app = Lesto(logger={"stream": stream})

    def admin(instance: Lesto, opts: object) -> None:
        @instance.get("/")
        def index(request, reply):
            request.log.debug("admin debug")
            return "admin"

    app.register(admin, prefix="/admin", log_level="debug")
    app.get("/", lambda request, reply: request.log.debug("root debug") or "root")
    await app.inject(url="/admin")
    await app.inject(url="/")
    debug = [entry["msg"] for entry in lines(stream) if entry["level"] == 20]
    assert debug == ["admin debug"]


async def test_logger_instance_sends_records_to_a_stdlib_logger() -> None:
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    std = logging.getLogger("test_http_logging.instance")
    std.setLevel(logging.INFO)
    std.propagate = False
    std.addHandler(Collect())
    app = Lesto(logger_instance=std)

    @app.get("/")
    def index(request, reply):
        request.log.info({"user": 7}, "hello %s", "there")
        request.log.debug("below the level")
        return "ok"

    await app.inject(url="/")
    assert [(r.levelname, r.getMessage()) for r in records] == [
        ("INFO", "incoming request"),
        ("INFO", "hello there"),
        ("INFO", "request completed"),
    ]
    assert {record.reqId for record in records} == {"req-1"}  # type: ignore[attr-defined]
    assert records[1].user == 7  # type: ignore[attr-defined]
    assert records[2].res == {"statusCode": 200}  # type: ignore[attr-defined]


async def test_pretty_mode_writes_readable_lines() -> None:
    stream = io.StringIO()
    app = Lesto(logger={"stream": stream, "pretty": True})
    app.get("/", lambda request, reply: "ok")
    await app.inject(url="/")
    text = stream.getvalue()
    first = text.splitlines()[0]
    assert f"INFO ({os.getpid()}): incoming request" in first
    assert '    reqId: "req-1"' in text
    assert "request completed" in text
    assert "\x1b[" not in text  # no colours on a stream that is not a terminal
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(first)


async def test_an_unexpected_error_is_logged_with_its_traceback_not_sent() -> None:
    stream = io.StringIO()
    app = Lesto(logger={"stream": stream})

    @app.get("/boom")
    def boom(request, reply):
        raise KeyError("database password is hunter2")

    response = await app.inject(url="/boom")
    assert response.status_code == 500
    assert response.json() == {
        "statusCode": 500,
        "error": "Internal Server Error",
        "message": "Internal Server Error",
    }
    assert "hunter2" not in response.body
    entries = lines(stream)
    (error_entry,) = [entry for entry in entries if entry["level"] == 50]
    assert error_entry["reqId"] == "req-1"
    err = error_entry["err"]
    assert err["type"] == "KeyError"
    assert "hunter2" in err["message"]
    assert "hunter2" in error_entry["msg"]
    assert "Traceback (most recent call last)" in err["stack"]
    assert 'raise KeyError("database password is hunter2")' in err["stack"]
    assert by_message(entries, "request completed")[0]["res"] == {"statusCode": 500}


async def test_client_errors_are_logged_below_error_level() -> None:
    stream = io.StringIO()
    app = Lesto(logger={"stream": stream})
    app.post("/", lambda request, reply: "ok")
    response = await app.inject(
        method="POST", url="/", body="{", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert all(entry["level"] < 50 for entry in lines(stream))


async def test_app_log_is_the_root_logger_without_request_id() -> None:
    stream = io.StringIO()
    app = Lesto(logger={"stream": stream, "level": "debug"})
    app.log.debug("booting")
    (entry,) = lines(stream)
    assert (entry["level"], entry["msg"]) == (20, "booting")
    assert "reqId" not in entry
