"""lesto.logging: pino-like JSON lines, child loggers, pretty mode, stdlib loggers, request ids."""

from __future__ import annotations

import io
import logging
import os
import socket
import time
from typing import Any

import orjson
import pytest
from lesto import errors
from lesto import logging as lesto_logging
from lesto.logging import (
    Logger,
    NullLogger,
    build_req_id_generator,
    create_logger,
    log_incoming_request,
    log_request_completed,
    serialize_error,
)

LEVEL_NUMBERS = {"trace": 10, "debug": 20, "info": 30, "warn": 40, "error": 50, "fatal": 60}


def make(level: str = "trace", **options: Any) -> tuple[Logger, io.StringIO]:
    stream = io.StringIO()
    return create_logger({"level": level, "stream": stream, **options}), stream


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in stream.getvalue().splitlines()]


def only_line(stream: io.StringIO) -> dict[str, Any]:
    (line,) = lines(stream)
    return line


# --- creating loggers ----------------------------------------------------------------------


@pytest.mark.parametrize("option", [False, None])
def test_logging_off_gives_a_silent_null_logger(option: bool | None) -> None:
    log = create_logger(option)
    assert isinstance(log, NullLogger)
    assert log.level == "silent"
    assert not log.is_level_enabled("fatal")
    assert log.child({"reqId": "req-1"}) is log
    log.fatal("nothing happens")
    log.level = "trace"
    assert log.level == "silent"


def test_logger_true_writes_json_at_info_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    log = create_logger(True)
    log.debug("hidden")
    log.info("shown")
    (line,) = [orjson.loads(text) for text in capsys.readouterr().out.splitlines()]
    assert (line["level"], line["msg"]) == (30, "shown")
    assert log.level == "info"


def test_a_json_line_has_pino_fields_in_order() -> None:
    log, stream = make("info")
    before = time.time_ns() // 1_000_000
    log.info("hello")
    after = time.time_ns() // 1_000_000
    line = only_line(stream)
    assert list(line) == ["level", "time", "pid", "hostname", "msg"]
    assert line["level"] == 30
    assert before <= line["time"] <= after
    assert line["pid"] == os.getpid()
    assert line["hostname"] == socket.gethostname()
    assert line["msg"] == "hello"
    assert stream.getvalue().endswith("}\n")


def test_each_method_writes_its_pino_level_number() -> None:
    log, stream = make("trace")
    for name in LEVEL_NUMBERS:
        getattr(log, name)(name)
    log.warning("alias")
    assert [(line["level"], line["msg"]) for line in lines(stream)] == [
        *[(number, name) for name, number in LEVEL_NUMBERS.items()],
        (40, "alias"),
    ]


@pytest.mark.parametrize("level", list(LEVEL_NUMBERS))
def test_calls_below_the_level_are_not_written(level: str) -> None:
    log, stream = make(level)
    for name in LEVEL_NUMBERS:
        getattr(log, name)(name)
    written = [line["level"] for line in lines(stream)]
    assert written == [n for n in LEVEL_NUMBERS.values() if n >= LEVEL_NUMBERS[level]]
    assert log.level_value == LEVEL_NUMBERS[level]


def test_level_is_settable_and_checked() -> None:
    log, stream = make("error")
    assert not log.is_level_enabled("info")
    log.level = "INFO"
    assert log.level == "info"
    assert log.is_level_enabled("info")
    assert not log.is_level_enabled("debug")
    assert not log.is_level_enabled("silent")
    log.info("now shown")
    assert only_line(stream)["msg"] == "now shown"
    log.level = "silent"
    log.fatal("not shown")
    assert len(lines(stream)) == 1


def test_python_level_names_are_aliases() -> None:
    assert make("WARNING")[0].level == "warn"
    assert make("critical")[0].level == "fatal"


@pytest.mark.parametrize("level", ["verbose", 20, None])
def test_an_unknown_level_is_an_error(level: object) -> None:
    with pytest.raises(errors.LST_ERR_LOG_INVALID_LEVEL):
        create_logger({"level": level})
    log, _ = make()
    with pytest.raises(errors.LST_ERR_LOG_INVALID_LEVEL):
        log.level = level  # type: ignore[assignment]
    if level is not None:
        with pytest.raises(errors.LST_ERR_LOG_INVALID_LEVEL):
            log.child({}, level=level)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("option", "instance", "code"),
    [
        ({"level": "info", "colour": True}, None, errors.LST_ERR_LOG_INVALID_LOGGER_CONFIG),
        ({"stream": object()}, None, errors.LST_ERR_LOG_INVALID_LOGGER_CONFIG),
        ({"redact": "password"}, None, errors.LST_ERR_LOG_INVALID_LOGGER_CONFIG),
        ({"redact": ["a..b"]}, None, errors.LST_ERR_LOG_INVALID_LOGGER_CONFIG),
        (logging.getLogger("x"), None, errors.LST_ERR_LOG_INVALID_LOGGER_CONFIG),
        (3, None, errors.LST_ERR_LOG_INVALID_LOGGER_CONFIG),
        (True, logging.getLogger("x"), errors.LST_ERR_LOG_LOGGER_AND_LOGGER_INSTANCE_PROVIDED),
        (False, "not a logger", errors.LST_ERR_LOG_INVALID_LOGGER_INSTANCE),
    ],
    ids=[
        "unknown-key",
        "stream-without-write",
        "redact-string",
        "redact-empty-segment",
        "logger-as-options",
        "not-a-dict",
        "both",
        "bad-instance",
    ],
)
def test_bad_logger_options_are_errors(option: Any, instance: Any, code: type[Exception]) -> None:
    with pytest.raises(code):
        create_logger(option, logger_instance=instance)


# --- what a call writes --------------------------------------------------------------------


def test_object_then_message_like_pino() -> None:
    log, stream = make()
    log.info({"user": 1, "tags": ["a"]}, "signed in")
    line = only_line(stream)
    assert (line["user"], line["tags"], line["msg"]) == (1, ["a"], "signed in")


def test_object_alone_has_no_msg() -> None:
    log, stream = make()
    log.info({"a": 1})
    assert "msg" not in only_line(stream)


def test_message_interpolation() -> None:
    log, stream = make()
    log.info("hello %s, %d", "you", 3)
    log.info({"k": 1}, "value %s", "v")
    log.info("broken %d", "not a number")
    log.info(42)
    log.info(None, "just text")
    assert [line["msg"] for line in lines(stream)] == [
        "hello you, 3",
        "value v",
        "broken %d not a number",
        "42",
        "just text",
    ]


def test_values_json_cannot_hold_are_written_as_text() -> None:
    class Thing:
        def __str__(self) -> str:
            return "a thing"

    log, stream = make()
    log.info({"thing": Thing(), "ids": {3}, 1: "int key"})
    line = only_line(stream)
    assert (line["thing"], line["ids"], line["1"]) == ("a thing", [3], "int key")


def test_logging_an_exception_writes_err_and_its_message() -> None:
    log, stream = make()
    try:
        raise ValueError("bad value")
    except ValueError as error:
        log.error(error)
    line = only_line(stream)
    assert line["msg"] == "bad value"
    assert line["err"]["type"] == "ValueError"
    assert line["err"]["message"] == "bad value"
    assert "Traceback" in line["err"]["stack"]
    assert "raise ValueError" in line["err"]["stack"]
    assert "code" not in line["err"]


def test_exception_with_message_and_in_fields() -> None:
    log, stream = make()
    log.error(KeyError("k"), "lookup failed")
    log.warn({"err": errors.LST_ERR_NOT_FOUND("GET", "/x")}, "not found")
    first, second = lines(stream)
    assert (first["msg"], first["err"]["type"]) == ("lookup failed", "KeyError")
    assert second["err"]["code"] == "LST_ERR_NOT_FOUND"
    assert second["err"]["statusCode"] == 404
    assert second["err"]["message"] == "Route GET:/x not found"


def test_serialize_error_includes_the_cause_chain() -> None:
    try:
        try:
            raise OSError("disk")
        except OSError as cause:
            raise RuntimeError("save failed") from cause
    except RuntimeError as error:
        serialized = serialize_error(error)
    assert serialized["type"] == "RuntimeError"
    assert "OSError: disk" in str(serialized["stack"])
    assert str(serialized["stack"]).endswith("RuntimeError: save failed")


def test_redact_replaces_paths_without_touching_the_callers_objects() -> None:
    log, stream = make(redact=["req.headers.authorization", "password", "missing.path"])
    headers = {"authorization": "Bearer secret", "accept": "*/*"}
    log.info({"req": {"headers": headers}, "password": "p", "other": 1})
    line = only_line(stream)
    assert line["req"]["headers"] == {"authorization": "[Redacted]", "accept": "*/*"}
    assert (line["password"], line["other"]) == ("[Redacted]", 1)
    assert headers["authorization"] == "Bearer secret"


# --- child loggers -------------------------------------------------------------------------


def test_child_writes_its_bindings_before_the_fields() -> None:
    log, stream = make()
    log.child({"reqId": "req-1"}).info({"a": 1}, "hi")
    line = only_line(stream)
    assert list(line) == ["level", "time", "pid", "hostname", "reqId", "a", "msg"]
    assert line["reqId"] == "req-1"


def test_children_merge_bindings_and_do_not_change_the_parent() -> None:
    log, stream = make()
    bindings = {"reqId": "req-7"}
    child = log.child(bindings)
    grandchild = child.child({"plugin": "db"})
    bindings["reqId"] = "changed"
    grandchild.info("deep")
    log.info("root")
    deep, root = lines(stream)
    assert (deep["reqId"], deep["plugin"]) == ("req-7", "db")
    assert "reqId" not in root
    assert grandchild.bindings() == {"reqId": "req-7", "plugin": "db"}
    assert log.bindings() == {}


def test_child_level_overrides_and_is_independent() -> None:
    log, stream = make("warn")
    verbose = log.child({"reqId": "r"}, level="debug")
    inherited = log.child({})
    verbose.debug("route debug")
    inherited.info("hidden")
    log.level = "error"
    verbose.info("still shown")
    assert [line["msg"] for line in lines(stream)] == ["route debug", "still shown"]
    assert inherited.level == "warn"


def test_a_lesto_logger_instance_is_shared_through_a_child() -> None:
    parent, stream = make("info")
    log = create_logger(False, logger_instance=parent)
    assert log is not parent
    log.info("shared")
    assert only_line(stream)["msg"] == "shared"


# --- pretty mode ---------------------------------------------------------------------------


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_pretty_lines_are_readable_and_plain_off_a_terminal() -> None:
    log, stream = make("info", pretty=True)
    log.child({"reqId": "req-1"}).info({"req": {"method": "GET"}}, "incoming request")
    text = stream.getvalue()
    first, *rest = text.splitlines()
    assert first.endswith(f"INFO ({os.getpid()}): incoming request")
    assert first.startswith("[")
    assert first[13] == "]"
    assert '    reqId: "req-1"' in rest
    assert '      "method": "GET"' in rest
    assert "\x1b[" not in text


def test_pretty_prints_an_error_stack() -> None:
    log, stream = make("info", pretty=True)
    try:
        raise ValueError("shown in the stack")
    except ValueError as error:
        log.error(error)
    text = stream.getvalue()
    assert "ERROR" in text
    assert "        ValueError: shown in the stack" in text.splitlines()


def test_pretty_is_coloured_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    stream = TTY()
    create_logger({"pretty": True, "stream": stream}).warn("careful")
    assert "\x1b[33mWARN\x1b[0m" in stream.getvalue()


def test_no_color_turns_colours_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    stream = TTY()
    create_logger({"pretty": True, "stream": stream}).warn("careful")
    assert "\x1b[" not in stream.getvalue()


# --- a stdlib logging.Logger as logger_instance --------------------------------------------


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def stdlib_logger() -> Any:
    logger = logging.getLogger(f"lesto-test-{id(object())}")
    logger.propagate = False
    handler = Collect()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield logger, handler
    logger.removeHandler(handler)


def test_stdlib_logger_level_becomes_the_lesto_level(stdlib_logger: Any) -> None:
    logger, handler = stdlib_logger
    log = create_logger(logger_instance=logger)
    assert log.level == "debug"
    log.trace("hidden")
    log.debug("shown")
    assert [record.getMessage() for record in handler.records] == ["shown"]
    logger.setLevel(logging.ERROR)
    assert create_logger(logger_instance=logger).level == "error"


def test_stdlib_records_carry_python_levels_and_fields(stdlib_logger: Any) -> None:
    logger, handler = stdlib_logger
    log = create_logger(logger_instance=logger)
    log.level = "trace"
    child = log.child({"reqId": "req-3"})
    for name in LEVEL_NUMBERS:
        getattr(child, name)({"name": "clash", "n": 1}, "%s line", name)
    levels = [(record.levelno, record.levelname) for record in handler.records]
    assert levels == [
        (5, "TRACE"),
        (10, "DEBUG"),
        (20, "INFO"),
        (30, "WARNING"),
        (40, "ERROR"),
        (50, "CRITICAL"),
    ]
    record = handler.records[2]
    assert record.getMessage() == "info line"
    assert record.__dict__["reqId"] == "req-3"
    assert record.__dict__["n"] == 1
    assert record.name == logger.name
    assert record.__dict__["name_"] == "clash"


def test_stdlib_records_get_exc_info_for_errors(stdlib_logger: Any) -> None:
    logger, handler = stdlib_logger
    log = create_logger(logger_instance=logger)
    error = ValueError("broken")
    log.error(error)
    (record,) = handler.records
    assert record.exc_info is not None
    assert record.exc_info[1] is error
    assert record.getMessage() == "broken"


# --- request helpers -----------------------------------------------------------------------


class FakeRequest:
    method = "POST"
    url = "/items?x=1"
    host = "localhost:80"
    ip = "127.0.0.1"
    raw = {"client": ("127.0.0.1", 51928)}


class FakeReply:
    status_code = 201
    elapsed_time = 1.25


class Exploding:
    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"{name} read although the level is off")


def test_incoming_request_and_request_completed_lines() -> None:
    log, stream = make("info")
    child = log.child({"reqId": "req-1"})
    log_incoming_request(child, FakeRequest())
    log_request_completed(child, FakeReply())
    incoming, completed = lines(stream)
    assert incoming["msg"] == "incoming request"
    assert incoming["reqId"] == "req-1"
    assert incoming["req"] == {
        "method": "POST",
        "url": "/items?x=1",
        "host": "localhost:80",
        "remoteAddress": "127.0.0.1",
        "remotePort": 51928,
    }
    assert completed["msg"] == "request completed"
    assert completed["res"] == {"statusCode": 201}
    assert completed["responseTime"] == 1.25
    assert completed["level"] == incoming["level"] == 30


@pytest.mark.parametrize("log", [create_logger(False), make("warn")[0]], ids=["off", "warn"])
def test_request_helpers_read_nothing_when_info_is_off(log: Logger) -> None:
    log_incoming_request(log, Exploding())
    log_request_completed(log, Exploding())


def test_default_request_ids_count_per_generator() -> None:
    generate = build_req_id_generator()
    assert [generate({}) for _ in range(3)] == ["req-1", "req-2", "req-3"]
    assert build_req_id_generator()({}) == "req-1"


def test_request_id_header_is_honoured() -> None:
    generate = build_req_id_generator("X-Request-Id")
    with_header = {"headers": [(b"accept", b"*/*"), (b"x-request-id", b"abc-123")]}
    assert generate(with_header) == "abc-123"
    assert generate({"headers": []}) == "req-1"
    assert generate({"headers": [(b"x-request-id", b"")]}) == "req-2"
    assert generate({"headers": [(b"x-request-id", b"a" * 257)]}) == "req-3"
    assert generate({"headers": [(b"x-request-id", b"a" * 256)]}) == "a" * 256


def test_request_id_header_true_means_request_id() -> None:
    generate = build_req_id_generator(True)
    assert generate({"headers": [(b"request-id", b"given")]}) == "given"


def test_custom_gen_req_id_gets_the_scope_and_is_the_header_fallback() -> None:
    seen: list[Any] = []

    def gen(scope: Any) -> str:
        seen.append(scope)
        return "custom"

    assert build_req_id_generator(None, gen)({"path": "/"}) == "custom"
    assert build_req_id_generator("x-id", gen)({"headers": []}) == "custom"
    assert seen == [{"path": "/"}, {"headers": []}]


def test_module_constants_are_pino_numbers() -> None:
    assert {name: lesto_logging.LEVELS[name] for name in LEVEL_NUMBERS} == LEVEL_NUMBERS
    assert lesto_logging.SILENT > lesto_logging.FATAL
