"""The content-type parser registry (Fastify's ContentTypeParser), one per context.

A registry maps a request's ``Content-Type`` header to a :class:`ParserEntry`:
the user's ``parser(request, body)`` function, whether it wants the body as
``bytes`` or ``str``, its own body limit and whether it is ``async`` (decided
once, when it is added).

Matching, for a header value (see :meth:`ContentTypeParsers.get`):

1. the media type (``type/subtype``) is compared case-insensitively. A parser
   registered with parameters (``"text/html; charset=utf-8"``) matches when the
   header has the same media type and every registered parameter with the same
   value (values compared case-insensitively); it is tried before a parser
   registered for the bare media type, which matches any parameters;
2. then regex parsers, the most recently added first. A pattern with no ``;``
   in its source is searched in the lower-case media type only; a pattern with
   ``;`` is searched in the whole header value;
3. then the catch-all parser registered as ``"*"``, which also gets headers
   that are missing, empty or not a valid media type.

Results are cached per header value (the 256 most recent values up to 256
characters; the lookup itself is linear in the header length). A child
context gets :meth:`copy`, which shares the tables until one side changes
them (copy on write).

Built in: ``application/json`` (orjson) and ``text/plain`` (the decoded text).
Either may be replaced directly, once, or removed; any other type already
registered fails with ``LST_ERR_CTP_ALREADY_PRESENT``.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any, Final, Literal

import orjson

from . import errors

__all__ = [
    "ContentTypeParsers",
    "ContentTypeSpec",
    "ParseAs",
    "Parser",
    "ParserEntry",
    "decode_text",
    "parse_json",
    "parse_text",
]

ParseAs = Literal["bytes", "str"]
"""How a parser receives the body: the raw ``bytes`` or the UTF-8 decoded ``str``."""

Parser = Callable[[Any, Any], Any]
"""``parser(request, body)``, a plain or ``async`` function returning the parsed body."""

ContentTypeSpec = str | re.Pattern[str]
"""A media type (``"application/json"``, ``"text/html; charset=utf-8"``), ``"*"`` or a regex."""

_CACHE_SIZE: Final = 256
_CACHE_KEY_MAX: Final = 256  # longer header values are looked up every time, not kept
_CATCH_ALL: Final = "*"
_OWS: Final = " \t"
_TOKEN: Final = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


class ParserEntry:
    """A registered parser and what was decided about it when it was added.

    Attributes:
        parser: the ``parser(request, body)`` function.
        parse_as: ``"bytes"`` or ``"str"``.
        body_limit: the parser's own limit in bytes, or ``None`` for the
            route's or app's limit.
        is_async: ``True`` when ``parser(...)`` returns an awaitable to await.
        as_str: ``parse_as == "str"``, for a cheap test per request.
    """

    __slots__ = ("as_str", "body_limit", "is_async", "parse_as", "parser")

    def __init__(
        self, parser: Parser, parse_as: ParseAs, body_limit: int | None, is_async: bool
    ) -> None:
        """Record a parser; :meth:`ContentTypeParsers.add` validates the arguments first."""
        self.parser: Final = parser
        self.parse_as: Final = parse_as
        self.body_limit: Final = body_limit
        self.is_async: Final = is_async
        self.as_str: Final = parse_as == "str"

    def __repr__(self) -> str:
        return (
            f"ParserEntry(parser={self.parser!r}, parse_as={self.parse_as!r},"
            f" body_limit={self.body_limit!r}, is_async={self.is_async!r})"
        )


# --- built-in parsers ----------------------------------------------------------------------


def decode_text(body: bytes) -> str:
    """Decode a body for a ``parse_as="str"`` parser.

    Raises:
        LST_ERR_CTP_INVALID_UTF8_BODY: the body is not valid UTF-8 (400).
    """
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise errors.LST_ERR_CTP_INVALID_UTF8_BODY() from exc


def parse_json(request: Any, body: bytes | str) -> Any:
    """The built-in ``application/json`` parser (orjson).

    Duplicate keys keep the last value, as ``JSON.parse`` does; nesting deeper
    than :data:`MAX_JSON_DEPTH` levels (128: a reply must be able to send it back),
    numbers out of the float range, invalid UTF-8 and trailing content are all
    invalid JSON.

    Raises:
        LST_ERR_CTP_EMPTY_JSON_BODY: the body is empty (400).
        LST_ERR_CTP_INVALID_JSON_BODY: the body is not valid JSON (400).
    """
    if not body:
        raise errors.LST_ERR_CTP_EMPTY_JSON_BODY()
    try:
        value = orjson.loads(body)
    except ValueError as exc:
        raise errors.LST_ERR_CTP_INVALID_JSON_BODY("application/json") from exc
    if _may_be_too_deep(body) and _too_deep(value):
        raise errors.LST_ERR_CTP_INVALID_JSON_BODY("application/json")
    return value


MAX_JSON_DEPTH = 128
"""The deepest nesting of arrays and objects a JSON body may have (Ruby's default is 100).

Replies serialise up to 254 levels (orjson's limit), so a body echoed inside
the application's own envelope still fits.
"""


def _may_be_too_deep(body: bytes | str) -> bool:
    """A quick bound: fewer opening brackets than the limit cannot nest past it."""
    if isinstance(body, str):
        return body.count("[") + body.count("{") > MAX_JSON_DEPTH
    return body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH


def _too_deep(value: Any) -> bool:
    """Whether arrays and objects in ``value`` nest deeper than :data:`MAX_JSON_DEPTH`."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        for child in children:
            if isinstance(child, dict | list):
                if depth >= MAX_JSON_DEPTH:
                    return True
                stack.append((child, depth + 1))
    return False


def parse_text(request: Any, body: str) -> str:
    """The built-in ``text/plain`` parser: the decoded body itself."""
    return body


_BUILT_INS: Final[dict[str, Parser]] = {"application/json": parse_json, "text/plain": parse_text}


# --- media types ---------------------------------------------------------------------------


def _split_media_type(value: str) -> tuple[str, str] | None:
    """``(lower-case "type/subtype", parameter text)``, or None when not a media type."""
    media, _, rest = value.partition(";")
    media = media.strip(_OWS).lower()
    kind, slash, subtype = media.partition("/")
    if not slash or _TOKEN.fullmatch(kind) is None or _TOKEN.fullmatch(subtype) is None:
        return None
    return media, rest


def _parse_params(text: str, *, strict: bool) -> dict[str, str] | None:
    """Parameters as lower-case names and values; None for a malformed one when ``strict``."""
    params: dict[str, str] = {}
    for item in text.split(";"):
        name, eq, value = item.partition("=")
        name = name.strip(_OWS).lower()
        value = value.strip(_OWS)
        if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
            value = value[1:-1]
        if eq and value and _TOKEN.fullmatch(name) is not None:
            params[name] = value.lower()
        elif strict and (eq or name):
            return None
    return params


def _normalize(content_type: str) -> tuple[str, str, dict[str, str]] | None:
    """``(key, media type, parameters)`` of a registered type, or None when invalid."""
    split = _split_media_type(content_type)
    if split is None:
        return None
    media, rest = split
    params = _parse_params(rest, strict=True)
    if params is None:
        return None
    key = "; ".join([media, *(f"{name}={params[name]}" for name in sorted(params))])
    return key, media, params


def _is_async(parser: Parser) -> bool:
    return inspect.iscoroutinefunction(parser) or inspect.iscoroutinefunction(
        getattr(parser, "__call__", None)  # noqa: B004
    )


# --- the registry --------------------------------------------------------------------------

_StringItem = tuple[str, dict[str, str], ParserEntry]
_RegexItem = tuple[re.Pattern[str], bool, ParserEntry]


class _Table:
    """The parsers of one or more registries; ``shared`` ones are copied before a change."""

    __slots__ = ("by_media", "catch_all", "regexes", "shared", "strings")

    def __init__(
        self,
        strings: dict[str, _StringItem],
        regexes: list[_RegexItem],
        catch_all: ParserEntry | None,
    ) -> None:
        self.strings = strings
        self.regexes = regexes
        self.catch_all = catch_all
        self.shared = False
        self.by_media: dict[str, list[tuple[dict[str, str], ParserEntry]]] = {}
        self.reindex()

    def clone(self) -> _Table:
        return _Table(dict(self.strings), list(self.regexes), self.catch_all)

    def reindex(self) -> None:
        """Group string parsers by media type: with parameters first, newest first."""
        by_media: dict[str, list[tuple[dict[str, str], ParserEntry]]] = {}
        for media, params, entry in reversed(self.strings.values()):
            by_media.setdefault(media, []).append((params, entry))
        for candidates in by_media.values():
            candidates.sort(key=lambda candidate: not candidate[0])
        self.by_media = by_media

    def regex_index(self, pattern: re.Pattern[str]) -> int:
        for index, (known, _, _) in enumerate(self.regexes):
            if known.pattern == pattern.pattern and known.flags == pattern.flags:
                return index
        return -1


class ContentTypeParsers:
    """The content-type parsers of one context.

    ``ContentTypeParsers()`` holds the built-in JSON and text parsers; a child
    context uses :meth:`copy`. See the module docstring for the matching rules.
    """

    __slots__ = ("_cache", "_table")

    def __init__(self) -> None:
        """A registry with the built-in ``application/json`` and ``text/plain`` parsers."""
        json_entry = ParserEntry(parse_json, "bytes", None, False)
        text_entry = ParserEntry(parse_text, "str", None, False)
        strings: dict[str, _StringItem] = {
            "application/json": ("application/json", {}, json_entry),
            "text/plain": ("text/plain", {}, text_entry),
        }
        self._table = _Table(strings, [], None)
        self._cache: dict[str, ParserEntry | None] = {}

    def copy(self) -> ContentTypeParsers:
        """A registry with the same parsers; changes to either stay out of the other."""
        twin = ContentTypeParsers.__new__(ContentTypeParsers)
        self._table.shared = True
        twin._table = self._table
        twin._cache = {}
        return twin

    # --- lookup (per request) ----------------------------------------------------------------

    def get(self, content_type: str) -> ParserEntry | None:
        """The parser for a ``Content-Type`` header value (``""`` when absent), or None.

        None means the media type is unsupported: answer 415
        ``LST_ERR_CTP_INVALID_MEDIA_TYPE``. Never raises.
        """
        try:
            return self._cache[content_type]
        except KeyError:
            pass
        entry = self._lookup(content_type)
        if len(content_type) <= _CACHE_KEY_MAX:
            cache = self._cache
            if len(cache) >= _CACHE_SIZE:
                del cache[next(iter(cache))]
            cache[content_type] = entry
        return entry

    def _lookup(self, content_type: str) -> ParserEntry | None:
        table = self._table
        split = _split_media_type(content_type)
        if split is None:
            return table.catch_all
        media, rest = split
        candidates = table.by_media.get(media)
        if candidates is not None:
            params: dict[str, str] | None = None
            for wanted, entry in candidates:
                if not wanted:
                    return entry
                if params is None:
                    params = _parse_params(rest, strict=False) or {}
                if all(params.get(name) == value for name, value in wanted.items()):
                    return entry
        for pattern, essence_only, entry in table.regexes:
            if pattern.search(media if essence_only else content_type) is not None:
                return entry
        return table.catch_all

    # --- registration ------------------------------------------------------------------------

    def add(
        self,
        content_type: ContentTypeSpec | list[ContentTypeSpec] | tuple[ContentTypeSpec, ...],
        parser: Parser,
        *,
        parse_as: ParseAs = "bytes",
        body_limit: int | None = None,
    ) -> None:
        """Register ``parser(request, body)`` for one or more content types.

        ``content_type`` is a media type (parameters allowed), ``"*"`` (the
        catch-all), a compiled regex, or a list of these. Either every type is
        added or, on error, none.

        Raises:
            LST_ERR_CTP_INVALID_TYPE: not a str, regex or list of them, or not a media type.
            LST_ERR_CTP_EMPTY_TYPE: an empty string (or empty list).
            LST_ERR_CTP_INVALID_HANDLER: ``parser`` is not callable.
            LST_ERR_CTP_INVALID_PARSE_TYPE: ``parse_as`` is not ``"bytes"`` or ``"str"``.
            LST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT: ``body_limit`` is not a positive int.
            LST_ERR_CTP_ALREADY_PRESENT: a parser for that type is already registered.
        """
        specs = _as_list(content_type)
        for spec in specs:
            _validate(spec)
        if not callable(parser):
            raise errors.LST_ERR_CTP_INVALID_HANDLER()
        if parse_as not in ("bytes", "str"):
            raise errors.LST_ERR_CTP_INVALID_PARSE_TYPE(parse_as)
        if body_limit is not None and (type(body_limit) is not int or body_limit <= 0):
            raise errors.LST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT(body_limit)
        self._check_absent(specs)
        entry = ParserEntry(parser, parse_as, body_limit, _is_async(parser))
        table = self._writable()
        for spec in specs:
            _insert(table, spec, entry)
        table.reindex()

    def _check_absent(self, specs: list[ContentTypeSpec]) -> None:
        seen: set[str | tuple[str, int]] = set()
        for spec in specs:
            identity = _identity(spec)
            if identity in seen or self._blocks(spec):
                raise errors.LST_ERR_CTP_ALREADY_PRESENT(_display(spec))
            seen.add(identity)

    def _blocks(self, spec: ContentTypeSpec) -> bool:
        """Whether registering ``spec`` would clash (a built-in still in place does not)."""
        if isinstance(spec, re.Pattern):
            return self._table.regex_index(spec) >= 0
        key = _lookup_key(spec)
        if key == _CATCH_ALL:
            return self._table.catch_all is not None
        item = self._table.strings.get(key)
        return item is not None and item[2].parser is not _BUILT_INS.get(key)

    def has(self, content_type: ContentTypeSpec) -> bool:
        """Whether a parser is registered for exactly this type (``"*"``, media type or regex).

        Media types are compared normalized: case, spaces and parameter order do not matter.

        Raises:
            LST_ERR_CTP_INVALID_TYPE: ``content_type`` is not a str or a regex.
        """
        if isinstance(content_type, re.Pattern):
            return self._table.regex_index(content_type) >= 0
        if not isinstance(content_type, str):
            raise errors.LST_ERR_CTP_INVALID_TYPE()
        key = _lookup_key(content_type)
        if key == _CATCH_ALL:
            return self._table.catch_all is not None
        return key in self._table.strings

    def remove(
        self,
        content_type: ContentTypeSpec | list[ContentTypeSpec] | tuple[ContentTypeSpec, ...],
    ) -> bool:
        """Remove the parser of each given type; True when at least one was registered.

        Removing a type that has no parser is not an error.

        Raises:
            LST_ERR_CTP_INVALID_TYPE: not a str, regex or list of them.
        """
        specs = [content_type] if isinstance(content_type, str | re.Pattern) else content_type
        if not isinstance(specs, list | tuple) or not all(
            isinstance(spec, str | re.Pattern) for spec in specs
        ):
            raise errors.LST_ERR_CTP_INVALID_TYPE()
        removed = False
        for spec in specs:
            if self.has(spec):
                _delete(self._writable(), spec)
                removed = True
        if removed:
            self._table.reindex()
        return removed

    def remove_all(self) -> None:
        """Remove every parser, the built-in ones and the catch-all included."""
        self._table = _Table({}, [], None)
        self._cache = {}

    def _writable(self) -> _Table:
        """This registry's own table, copied first if shared; the cache is dropped."""
        if self._table.shared:
            self._table = self._table.clone()
        self._cache = {}
        return self._table


def _as_list(
    content_type: ContentTypeSpec | list[ContentTypeSpec] | tuple[ContentTypeSpec, ...],
) -> list[ContentTypeSpec]:
    if isinstance(content_type, str | re.Pattern):
        return [content_type]
    if isinstance(content_type, list | tuple):
        if not content_type:
            raise errors.LST_ERR_CTP_EMPTY_TYPE()
        return list(content_type)
    raise errors.LST_ERR_CTP_INVALID_TYPE()


def _validate(spec: object) -> None:
    """Raise the add() error for a spec that is not ``"*"``, a media type or a str regex."""
    if isinstance(spec, re.Pattern):
        if not isinstance(spec.pattern, str):
            raise errors.LST_ERR_CTP_INVALID_TYPE()
        return
    if not isinstance(spec, str):
        raise errors.LST_ERR_CTP_INVALID_TYPE()
    if not spec.strip(_OWS):
        raise errors.LST_ERR_CTP_EMPTY_TYPE()
    if not _lookup_key(spec):
        raise errors.LST_ERR_CTP_INVALID_TYPE()


def _lookup_key(content_type: str) -> str:
    """The registry key: ``"*"``, the normalized media type, or ``""`` when invalid."""
    if content_type.strip(_OWS) == _CATCH_ALL:
        return _CATCH_ALL
    normalized = _normalize(content_type)
    return "" if normalized is None else normalized[0]


def _identity(spec: ContentTypeSpec) -> str | tuple[str, int]:
    if isinstance(spec, re.Pattern):
        return spec.pattern, spec.flags
    return _lookup_key(spec)


def _display(spec: ContentTypeSpec) -> str:
    return spec.pattern if isinstance(spec, re.Pattern) else spec


def _insert(table: _Table, spec: ContentTypeSpec, entry: ParserEntry) -> None:
    if isinstance(spec, re.Pattern):
        table.regexes.insert(0, (spec, ";" not in spec.pattern, entry))
        return
    if spec.strip(_OWS) == _CATCH_ALL:
        table.catch_all = entry
        return
    normalized = _normalize(spec)
    if normalized is not None:
        key, media, params = normalized
        table.strings[key] = (media, params, entry)


def _delete(table: _Table, spec: ContentTypeSpec) -> None:
    if isinstance(spec, re.Pattern):
        del table.regexes[table.regex_index(spec)]
        return
    key = _lookup_key(spec)
    if key == _CATCH_ALL:
        table.catch_all = None
    else:
        del table.strings[key]
