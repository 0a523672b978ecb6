"""Pino-like logging: JSON lines (or a pretty form) and cheap per-request child loggers.

:func:`create_logger` turns the app's ``logger`` option into a :class:`Logger`:

- ``False``/``None``: a :class:`NullLogger`, whose methods do nothing and whose
  ``child()`` returns itself, so ``request.log`` costs almost nothing;
- ``True``: JSON lines on ``sys.stdout`` at level ``info``;
- a dict with ``level`` (default ``"info"``), ``pretty`` (readable lines,
  coloured on a terminal unless ``NO_COLOR`` is set), ``stream`` (any text
  stream, default ``sys.stdout``) and ``redact`` (dotted paths such as
  ``"req.headers.authorization"`` whose values become ``"[Redacted]"``);
- ``logger_instance=`` a ``logging.Logger``: records go to its handlers, with
  bound and logged fields as record attributes (a field whose name a
  ``LogRecord`` already uses gets a trailing ``_``).

A JSON line holds ``level`` (pino numbers: trace 10, debug 20, info 30, warn 40,
error 50, fatal 60), ``time`` (epoch ms), ``pid``, ``hostname``, the bindings
(``reqId`` for a request logger), the logged fields and ``msg``. Exceptions
anywhere in the fields are written as ``{"type", "message", "stack", "code"?,
"statusCode"?}``; logging an exception itself logs it under ``err``.

Log methods take pino's arguments: ``log.info("text %s", value)``,
``log.info({"user": 1}, "text")`` or ``log.error(exc)``.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from datetime import datetime
from itertools import count
from typing import Any, Protocol, TextIO

import orjson

from . import errors

__all__ = [
    "DEBUG",
    "ERROR",
    "FATAL",
    "INFO",
    "LEVELS",
    "SILENT",
    "TRACE",
    "WARN",
    "Logger",
    "NullLogger",
    "build_req_id_generator",
    "create_logger",
    "log_incoming_request",
    "log_request_completed",
    "serialize_error",
]

TRACE = 10
DEBUG = 20
INFO = 30
WARN = 40
ERROR = 50
FATAL = 60
SILENT = sys.maxsize

LEVELS: Mapping[str, int] = {
    "trace": TRACE,
    "debug": DEBUG,
    "info": INFO,
    "warn": WARN,
    "error": ERROR,
    "fatal": FATAL,
    "silent": SILENT,
}
_LEVEL_NAMES = {value: name for name, value in LEVELS.items()}
_LEVEL_ALIASES = {"warning": "warn", "critical": "fatal"}
_PYTHON_LEVELS = {TRACE: 5, DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, FATAL: 50}
_OPTION_NAMES = frozenset({"level", "pretty", "stream", "redact"})
_JSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE
_MAX_REQUEST_ID_LENGTH = 256
_REDACTED = "[Redacted]"

Scope = Mapping[str, Any]
Fields = Mapping[str, object]


class _Sink(Protocol):
    def emit(self, level: int, bindings: Fields, fields: Fields | None, msg: str | None) -> None:
        """Write one log entry."""


class Logger:
    """A pino-like logger: level methods, ``child()`` bindings and a settable ``level``.

    Make one with :func:`create_logger`. Calls below the level cost a method
    call and a comparison.
    """

    __slots__ = ("_bindings", "_sink", "_value")

    _bindings: Fields
    _sink: _Sink
    _value: int

    def __init__(self, sink: _Sink, level: str = "info", bindings: Fields | None = None) -> None:
        self._sink = sink
        self._value = _level_value(level)
        self._bindings = dict(bindings or {})

    @property
    def level(self) -> str:
        """The level name; set it to change what this logger writes."""
        return _LEVEL_NAMES[self._value]

    @level.setter
    def level(self, name: str) -> None:
        self._value = _level_value(name)

    @property
    def level_value(self) -> int:
        """The level as a pino number (``SILENT`` when nothing is written)."""
        return self._value

    def is_level_enabled(self, level: str) -> bool:
        """Whether a call at ``level`` would be written."""
        value = _level_value(level)
        return value != SILENT and value >= self._value

    def bindings(self) -> dict[str, object]:
        """A copy of the fields bound to this logger (by :meth:`child`)."""
        return dict(self._bindings)

    def child(self, bindings: Fields, level: str | None = None) -> Logger:
        """A logger writing ``bindings`` with every entry, at ``level`` or this one's.

        Cheap enough to call per request: no validation beyond the level name and
        no serialisation until something is written.
        """
        child = Logger.__new__(Logger)
        child._sink = self._sink
        child._bindings = {**self._bindings, **bindings}
        child._value = self._value if level is None else _level_value(level)
        return child

    def trace(self, obj: object, msg: object = None, *args: object) -> None:
        """Log at ``trace`` (10). See the module docstring for the arguments."""
        if self._value <= TRACE:
            self._write(TRACE, obj, msg, args)

    def debug(self, obj: object, msg: object = None, *args: object) -> None:
        """Log at ``debug`` (20)."""
        if self._value <= DEBUG:
            self._write(DEBUG, obj, msg, args)

    def info(self, obj: object, msg: object = None, *args: object) -> None:
        """Log at ``info`` (30)."""
        if self._value <= INFO:
            self._write(INFO, obj, msg, args)

    def warn(self, obj: object, msg: object = None, *args: object) -> None:
        """Log at ``warn`` (40)."""
        if self._value <= WARN:
            self._write(WARN, obj, msg, args)

    warning = warn

    def error(self, obj: object, msg: object = None, *args: object) -> None:
        """Log at ``error`` (50)."""
        if self._value <= ERROR:
            self._write(ERROR, obj, msg, args)

    def fatal(self, obj: object, msg: object = None, *args: object) -> None:
        """Log at ``fatal`` (60)."""
        if self._value <= FATAL:
            self._write(FATAL, obj, msg, args)

    def _write(self, level: int, obj: object, msg: object, args: tuple[object, ...]) -> None:
        fields, text = _split_arguments(obj, msg, args)
        self._sink.emit(level, self._bindings, fields, text)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} level={self.level!r} bindings={self._bindings!r}>"


class NullLogger(Logger):
    """The logger of an app created with ``logger=False``: it writes nothing.

    Its level stays ``silent`` and :meth:`child` returns the logger itself.
    """

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(_NullSink(), "silent")

    @property
    def level(self) -> str:
        """Always ``"silent"``; a valid level may be assigned and is ignored."""
        return "silent"

    @level.setter
    def level(self, name: str) -> None:
        _level_value(name)

    def child(self, bindings: Fields, level: str | None = None) -> Logger:
        """This logger itself: a disabled logger has no use for bindings."""
        return self


class _NullSink:
    def emit(self, level: int, bindings: Fields, fields: Fields | None, msg: str | None) -> None:
        """Drop the entry."""


# --- creating a logger ---------------------------------------------------------------------


def create_logger(
    option: bool | Mapping[str, Any] | None = False,
    *,
    logger_instance: logging.Logger | Logger | None = None,
) -> Logger:
    """The app's root logger from its ``logger`` and ``logger_instance`` options.

    Raises:
        LST_ERR_LOG_LOGGER_AND_LOGGER_INSTANCE_PROVIDED: both were given.
        LST_ERR_LOG_INVALID_LOGGER_INSTANCE: ``logger_instance`` is not a logger.
        LST_ERR_LOG_INVALID_LOGGER_CONFIG: ``option`` is a logger, or a dict with
            an unknown key or a bad value.
        LST_ERR_LOG_INVALID_LEVEL: the level is not a known level name.
    """
    if logger_instance is not None:
        if option:
            raise errors.LST_ERR_LOG_LOGGER_AND_LOGGER_INSTANCE_PROVIDED()
        return _from_instance(logger_instance)
    if isinstance(option, logging.Logger | Logger):
        raise errors.LST_ERR_LOG_INVALID_LOGGER_CONFIG("pass a logger as logger_instance=")
    if option is None or option is False:
        return NullLogger()
    if option is True:
        return _from_options({})
    if isinstance(option, Mapping):
        return _from_options(option)
    raise errors.LST_ERR_LOG_INVALID_LOGGER_CONFIG(
        f"expected a bool or a dict of options, got {type(option).__name__}"
    )


def _from_instance(instance: object) -> Logger:
    if isinstance(instance, Logger):
        return instance.child({})
    if isinstance(instance, logging.Logger):
        level = _level_from_python(instance.getEffectiveLevel())
        return Logger(_StdlibSink(instance), level)
    raise errors.LST_ERR_LOG_INVALID_LOGGER_INSTANCE(type(instance).__name__)


def _from_options(options: Mapping[str, Any]) -> Logger:
    unknown = sorted(set(options) - _OPTION_NAMES)
    if unknown:
        raise errors.LST_ERR_LOG_INVALID_LOGGER_CONFIG(
            f"unknown option(s) {', '.join(unknown)}; expected {', '.join(sorted(_OPTION_NAMES))}"
        )
    stream = options.get("stream") or sys.stdout
    if not callable(getattr(stream, "write", None)):
        raise errors.LST_ERR_LOG_INVALID_LOGGER_CONFIG("'stream' must have a write() method")
    redact = _redact_paths(options.get("redact", ()))
    render = _PrettyRenderer(_wants_colour(stream)) if options.get("pretty") else _render_json
    return Logger(_StreamSink(stream, render, redact), options.get("level", "info"))


def _redact_paths(paths: object) -> tuple[tuple[str, ...], ...]:
    if isinstance(paths, str) or not isinstance(paths, Iterable):
        raise errors.LST_ERR_LOG_INVALID_LOGGER_CONFIG("'redact' must be a list of dotted paths")
    result = tuple(tuple(str(path).split(".")) for path in paths)
    if any("" in path for path in result):
        raise errors.LST_ERR_LOG_INVALID_LOGGER_CONFIG("'redact' paths cannot be empty")
    return result


def _wants_colour(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return "NO_COLOR" not in os.environ and callable(isatty) and bool(isatty())


def _level_value(name: object) -> int:
    if isinstance(name, str):
        key = name.lower()
        value = LEVELS.get(_LEVEL_ALIASES.get(key, key))
        if value is not None:
            return value
    raise errors.LST_ERR_LOG_INVALID_LEVEL(name, ", ".join(LEVELS))


def _level_from_python(level: int) -> str:
    """The pino level name for a stdlib level number (``NOTSET`` counts as trace)."""
    for value, python_level in _PYTHON_LEVELS.items():
        if level <= python_level:
            return _LEVEL_NAMES[value]
    return "fatal"


# --- what a call writes --------------------------------------------------------------------


def _split_arguments(
    obj: object, msg: object, args: tuple[object, ...]
) -> tuple[Fields | None, str | None]:
    """``(fields, message)`` from pino-style arguments."""
    if isinstance(obj, BaseException):
        return {"err": obj}, str(obj) if msg is None else _interpolate(msg, args)
    if isinstance(obj, Mapping):
        return obj, None if msg is None else _interpolate(msg, args)
    if obj is None:
        return None, None if msg is None else _interpolate(msg, args)
    if msg is not None:
        args = (msg, *args)
    return None, _interpolate(obj, args)


def _interpolate(msg: object, args: tuple[object, ...]) -> str:
    text = str(msg)
    if not args:
        return text
    try:
        return text % args
    except (TypeError, ValueError):
        return " ".join([text, *map(str, args)])


def serialize_error(error: BaseException) -> dict[str, object]:
    """An exception as logged: ``type``, ``message``, ``stack``, and ``code``/``statusCode``.

    ``stack`` is the formatted traceback, including chained causes.
    """
    result: dict[str, object] = {
        "type": type(error).__name__,
        "message": str(error),
        "stack": "".join(traceback.format_exception(error)).rstrip("\n"),
    }
    code = getattr(error, "code", None)
    if isinstance(code, str | int) and not isinstance(code, bool):
        result["code"] = code
    status = getattr(error, "status_code", None)
    if isinstance(status, int) and not isinstance(status, bool):
        result["statusCode"] = status
    return result


def _json_default(value: object) -> object:
    if isinstance(value, BaseException):
        return serialize_error(value)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


# --- sinks ---------------------------------------------------------------------------------


class _StreamSink:
    """Writes entries as text lines (JSON or pretty) to a stream."""

    __slots__ = ("_base", "_flush", "_redact", "_render", "_write")

    def __init__(
        self,
        stream: TextIO,
        render: Callable[[dict[str, object]], str],
        redact: tuple[tuple[str, ...], ...],
    ) -> None:
        self._base = {"pid": os.getpid(), "hostname": socket.gethostname()}
        self._write = stream.write
        self._flush = getattr(stream, "flush", None)
        self._render = render
        self._redact = redact

    def emit(self, level: int, bindings: Fields, fields: Fields | None, msg: str | None) -> None:
        """Build the entry, redact it, render it and write one line."""
        record: dict[str, object] = {"level": level, "time": time.time_ns() // 1_000_000}
        record.update(self._base)
        record.update(bindings)
        if fields:
            record.update(fields)
        if msg is not None:
            record["msg"] = msg
        for path in self._redact:
            _redact(record, path)
        self._write(self._render(record))
        if self._flush is not None:
            self._flush()


def _redact(record: MutableMapping[str, object], path: tuple[str, ...]) -> None:
    """Replace the value at ``path``, copying the mappings on the way (never the caller's)."""
    node = record
    for key in path[:-1]:
        inner = node.get(key)
        if not isinstance(inner, Mapping):
            return
        copy = dict(inner)
        node[key] = copy
        node = copy
    if path[-1] in node:
        node[path[-1]] = _REDACTED


def _render_json(record: dict[str, object]) -> str:
    return orjson.dumps(record, default=_json_default, option=_JSON_OPTIONS).decode()


_CORE_KEYS = frozenset({"level", "time", "pid", "hostname", "msg"})
_COLOURS = {
    TRACE: "\x1b[90m",
    DEBUG: "\x1b[34m",
    INFO: "\x1b[32m",
    WARN: "\x1b[33m",
    ERROR: "\x1b[31m",
    FATAL: "\x1b[41m",
}
_MESSAGE_COLOUR = "\x1b[36m"
_RESET = "\x1b[0m"


class _PrettyRenderer:
    """Readable lines for development: ``[12:00:00.000] INFO (pid): message`` then fields."""

    __slots__ = ("_colour",)

    def __init__(self, colour: bool) -> None:
        self._colour = colour

    def __call__(self, record: dict[str, object]) -> str:
        level = record["level"]
        label = _LEVEL_NAMES.get(level, str(level)).upper() if isinstance(level, int) else "?"
        message = str(record.get("msg", ""))
        if self._colour and isinstance(level, int):
            label = f"{_COLOURS.get(level, '')}{label}{_RESET}"
            message = f"{_MESSAGE_COLOUR}{message}{_RESET}"
        lines = [f"[{_clock(record['time'])}] {label} ({record['pid']}): {message}"]
        for key, value in record.items():
            if key not in _CORE_KEYS:
                lines.append(f"    {key}:{_pretty_value(value)}")
        return "\n".join(lines) + "\n"


def _clock(epoch_ms: object) -> str:
    millis = epoch_ms if isinstance(epoch_ms, int) else 0
    return datetime.fromtimestamp(millis / 1000).strftime("%H:%M:%S.") + f"{millis % 1000:03d}"


def _pretty_value(value: object) -> str:
    if isinstance(value, BaseException):
        value = serialize_error(value)
    if isinstance(value, Mapping) and isinstance(value.get("stack"), str):
        return "\n" + _indent(str(value["stack"]), 8)
    text = orjson.dumps(value, default=_json_default, option=orjson.OPT_INDENT_2).decode()
    return " " + _indent(text, 4).lstrip()


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line for line in text.splitlines())


class _StdlibSink:
    """Hands entries to a ``logging.Logger`` as records; the Lesto level decides what passes."""

    __slots__ = ("_logger",)

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger

    def emit(self, level: int, bindings: Fields, fields: Fields | None, msg: str | None) -> None:
        """Make a record with the fields as attributes and let the logger handle it."""
        merged = {**bindings, **fields} if fields else bindings
        error = merged.get("err")
        exc_info = (
            (type(error), error, error.__traceback__) if isinstance(error, BaseException) else None
        )
        record = self._logger.makeRecord(
            self._logger.name, _PYTHON_LEVELS[level], "(unknown file)", 0, msg or "", (), exc_info
        )
        if level == TRACE:
            record.levelname = "TRACE"
        attributes = record.__dict__
        for key, value in merged.items():
            attributes[key + "_" if key in attributes else key] = value
        self._logger.handle(record)


# --- request helpers -----------------------------------------------------------------------


class _IncomingRequest(Protocol):
    @property
    def raw(self) -> Scope: ...
    @property
    def method(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def host(self) -> str: ...
    @property
    def ip(self) -> str | None: ...


class _CompletedReply(Protocol):
    @property
    def status_code(self) -> int: ...
    @property
    def elapsed_time(self) -> float: ...


def log_incoming_request(log: Logger, request: _IncomingRequest) -> None:
    """Log "incoming request" at info with ``req: {method, url, host, remoteAddress, remotePort}``.

    Reads the request's attributes only when ``log`` writes info lines.
    """
    if log._value <= INFO:
        client = request.raw.get("client")
        req = {
            "method": request.method,
            "url": request.url,
            "host": request.host,
            "remoteAddress": request.ip,
            "remotePort": client[1] if client else None,
        }
        log._write(INFO, {"req": req}, "incoming request", ())


def log_request_completed(log: Logger, reply: _CompletedReply) -> None:
    """Log "request completed" at info with ``res: {statusCode}`` and ``responseTime`` (ms)."""
    if log._value <= INFO:
        fields = {"res": {"statusCode": reply.status_code}, "responseTime": reply.elapsed_time}
        log._write(INFO, fields, "request completed", ())


def build_req_id_generator(
    request_id_header: str | bool | None = None,
    gen_req_id: Callable[[Scope], str] | None = None,
) -> Callable[[Scope], str]:
    """The function giving each request its id, from the app's options.

    ``gen_req_id(scope)`` defaults to ``req-1``, ``req-2``... counted per
    generator. With ``request_id_header`` (``True`` means ``"request-id"``) a
    non-empty header value of at most 256 characters is used instead.
    """
    generate = gen_req_id or _counting_generator()
    if not request_id_header:
        return generate
    name = "request-id" if request_id_header is True else str(request_id_header)
    return _header_generator(name.lower().encode("latin-1"), generate)


def _counting_generator() -> Callable[[Scope], str]:
    counter = count(1)

    def default_gen_req_id(scope: Scope) -> str:
        return f"req-{next(counter)}"

    return default_gen_req_id


def _header_generator(name: bytes, fallback: Callable[[Scope], str]) -> Callable[[Scope], str]:
    def header_req_id(scope: Scope) -> str:
        for key, value in scope.get("headers", ()):
            if key == name:
                if value and len(value) <= _MAX_REQUEST_ID_LENGTH:
                    return bytes(value).decode("latin-1")
                break
        return fallback(scope)

    return header_req_id
