"""ContentTypeParsers: registration, Fastify's matching rules, encapsulation, built-ins."""

from __future__ import annotations

import contextlib
import functools
import re
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lesto import errors
from lesto.content_types import (
    ContentTypeParsers,
    ParserEntry,
    decode_text,
    parse_json,
    parse_text,
)


def first(request: Any, body: bytes) -> str:
    return "first"


def second(request: Any, body: bytes) -> str:
    return "second"


def third(request: Any, body: bytes) -> str:
    return "third"


async def async_parser(request: Any, body: bytes) -> str:
    return "async"


def parser_of(parsers: ContentTypeParsers, header: str) -> Any:
    entry = parsers.get(header)
    return None if entry is None else entry.parser


# --- built-ins -----------------------------------------------------------------------------


def test_built_in_parsers() -> None:
    parsers = ContentTypeParsers()
    json_entry = parsers.get("application/json")
    text_entry = parsers.get("text/plain")
    assert json_entry is not None
    assert text_entry is not None
    assert (json_entry.parser, json_entry.parse_as, json_entry.is_async) == (
        parse_json,
        "bytes",
        False,
    )
    assert (text_entry.parser, text_entry.parse_as, text_entry.as_str) == (parse_text, "str", True)
    assert json_entry.body_limit is None
    assert parsers.has("application/json")
    assert parsers.has("text/plain")
    assert not parsers.has("*")


def test_unknown_type_has_no_parser() -> None:
    parsers = ContentTypeParsers()
    assert parsers.get("text/html") is None
    assert parsers.get("") is None
    assert parsers.get("not a media type") is None


def test_json_parser_parses_bytes_and_str() -> None:
    assert parse_json(None, b'{"a": [1, 2.5, null, true]}') == {"a": [1, 2.5, None, True]}
    assert parse_json(None, '{"a": "é"}') == {"a": "é"}


def test_json_empty_body_is_400() -> None:
    for empty in (b"", ""):
        with pytest.raises(errors.LST_ERR_CTP_EMPTY_JSON_BODY) as info:
            parse_json(None, empty)
        assert info.value.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"   ",
        b"{'a': 1}",
        b'{"a": 1} trailing',
        b"NaN",
        b"Infinity",
        b"1e999",
        b"-" + b"9" * 400,
        b"[" * 5000 + b"]" * 5000,
        b'{"a":' * 2000 + b"1" + b"}" * 2000,
        b'"\xff"',
        b'"\xed\xa0\x80"',
        b'"\\ud800"',
        b"\xef\xbb\xbf{}",
        b'{"a": 1',
        b"\x00",
    ],
)
def test_json_invalid_bodies_are_400_never_500(body: bytes) -> None:
    with pytest.raises(errors.LST_ERR_CTP_INVALID_JSON_BODY) as info:
        parse_json(None, body)
    assert info.value.status_code == 400
    assert info.value.code == "LST_ERR_CTP_INVALID_JSON_BODY"


def test_json_edge_cases_that_are_valid() -> None:
    assert parse_json(None, b'{"a": 1, "a": 2}') == {"a": 2}
    assert parse_json(None, b"1" * 40) == pytest.approx(1.1111111111111111e39)
    assert parse_json(None, b"[" * 128 + b"]" * 128) is not None  # the depth limit
    assert parse_json(None, b'{"__proto__": {"x": 1}, "constructor": 2}') == {
        "__proto__": {"x": 1},
        "constructor": 2,
    }


@given(st.binary(max_size=100))
def test_json_any_bytes_parse_or_raise_a_coded_400(body: bytes) -> None:
    with contextlib.suppress(
        errors.LST_ERR_CTP_EMPTY_JSON_BODY, errors.LST_ERR_CTP_INVALID_JSON_BODY
    ):
        parse_json(None, body)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(json_values, st.integers(min_value=0), st.integers(min_value=0, max_value=5))
def test_json_truncated_or_corrupted_documents_are_400(value: Any, cut: int, flip: int) -> None:
    document = orjson.dumps(value)
    mutated = document[: cut % (len(document) + 1)] + bytes([flip * 50]) * (flip > 0)
    with contextlib.suppress(
        errors.LST_ERR_CTP_EMPTY_JSON_BODY, errors.LST_ERR_CTP_INVALID_JSON_BODY
    ):
        parse_json(None, mutated)


def test_text_parser_and_decoding() -> None:
    assert parse_text(None, "héllo") == "héllo"
    assert decode_text("héllo".encode()) == "héllo"
    assert decode_text(b"") == ""


@pytest.mark.parametrize("body", [b"\xff", b"caf\xe9", b"\xed\xa0\x80", b"\xc3"])
def test_invalid_utf8_text_is_400(body: bytes) -> None:
    with pytest.raises(errors.LST_ERR_CTP_INVALID_UTF8_BODY) as info:
        decode_text(body)
    assert info.value.status_code == 400


# --- matching ------------------------------------------------------------------------------


def test_media_type_is_case_insensitive_and_ignores_parameters() -> None:
    parsers = ContentTypeParsers()
    for header in (
        "application/json",
        "APPLICATION/JSON",
        "Application/Json; charset=utf-8",
        "application/json;charset=UTF-8",
        "  application/json  ; foo=bar; baz",
    ):
        assert parser_of(parsers, header) is parse_json, header


def test_media_type_must_match_exactly_not_by_prefix_or_substring() -> None:
    parsers = ContentTypeParsers()
    for header in (
        "application/jsonx",
        "application/json-patch+json",
        "xapplication/json",
        "application/js",
        "text/plainx",
        "application /json",
        "application/ json",
        "application/json garbage",
        "application/json, text/plain",
    ):
        assert parsers.get(header) is None, header


def test_parser_registered_with_parameters_needs_them() -> None:
    parsers = ContentTypeParsers()
    parsers.add("text/html; charset=utf-8", first)
    assert parser_of(parsers, "text/html; charset=utf-8") is first
    assert parser_of(parsers, "text/html;charset=UTF-8") is first
    assert parser_of(parsers, 'text/html; q=1; charset="utf-8"') is first
    assert parsers.get("text/html") is None
    assert parsers.get("text/html; charset=latin-1") is None


def test_parameterized_parser_is_tried_before_the_bare_one() -> None:
    parsers = ContentTypeParsers()
    parsers.add("application/json; version=2", first)
    assert parser_of(parsers, "application/json; version=2") is first
    assert parser_of(parsers, "application/json; version=1") is parse_json
    assert parser_of(parsers, "application/json") is parse_json


def test_most_recent_parameterized_parser_wins_among_matches() -> None:
    parsers = ContentTypeParsers()
    parsers.add("text/x; a=1", first)
    parsers.add("text/x; b=2", second)
    assert parser_of(parsers, "text/x; a=1; b=2") is second
    assert parser_of(parsers, "text/x; a=1") is first


def test_string_parsers_come_before_regex_parsers() -> None:
    parsers = ContentTypeParsers()
    parsers.add(re.compile(r"^application/.*json$"), first)
    assert parser_of(parsers, "application/json") is parse_json
    assert parser_of(parsers, "application/vnd.api+json") is first


def test_regex_parsers_newest_first() -> None:
    parsers = ContentTypeParsers()
    parsers.add(re.compile(r"^image/"), first)
    parsers.add(re.compile(r"^image/png"), second)
    assert parser_of(parsers, "image/png") is second
    assert parser_of(parsers, "image/gif") is first


def test_regex_without_semicolon_sees_the_lowercase_media_type_only() -> None:
    parsers = ContentTypeParsers()
    parsers.add(re.compile(r"^application/[\w.+-]+$"), first)
    assert parser_of(parsers, "Application/XML; charset=utf-8") is first


def test_regex_with_semicolon_sees_the_whole_header() -> None:
    parsers = ContentTypeParsers()
    parsers.add(re.compile(r"^text/csv;\s*header=present"), first)
    assert parser_of(parsers, "text/csv; header=present") is first
    assert parsers.get("text/csv") is None


def test_catch_all_comes_last_and_takes_missing_or_invalid_headers() -> None:
    parsers = ContentTypeParsers()
    parsers.add("*", first)
    parsers.add(re.compile(r"^image/"), second)
    assert parser_of(parsers, "application/json") is parse_json
    assert parser_of(parsers, "image/png") is second
    assert parser_of(parsers, "application/octet-stream") is first
    assert parser_of(parsers, "") is first
    assert parser_of(parsers, "garbage") is first
    assert parsers.has("*")


def test_lookups_are_cached_and_the_cache_follows_changes() -> None:
    parsers = ContentTypeParsers()
    assert parsers.get("text/html") is None
    assert parsers.get("text/html") is None
    parsers.add("text/html", first)
    assert parser_of(parsers, "text/html") is first
    parsers.remove("text/html")
    assert parsers.get("text/html") is None


def test_cache_is_bounded() -> None:
    parsers = ContentTypeParsers()
    for index in range(5000):
        parsers.get(f"application/x-{index}")
    assert len(parsers._cache) <= 256
    assert parser_of(parsers, "application/json") is parse_json


def test_very_long_header_values_are_matched_but_not_cached() -> None:
    parsers = ContentTypeParsers()
    header = "application/json; " + "x=y; " * 10_000
    assert parser_of(parsers, header) is parse_json
    assert header not in parsers._cache


# --- registration errors -------------------------------------------------------------------


@pytest.mark.parametrize("content_type", [42, None, b"text/plain", [re.compile(b"x")], ["a/b", 1]])
def test_invalid_type(content_type: Any) -> None:
    parsers = ContentTypeParsers()
    with pytest.raises(errors.LST_ERR_CTP_INVALID_TYPE):
        parsers.add(content_type, first)


@pytest.mark.parametrize("content_type", ["json", "application/", "/json", "a/b c", "a/b; x"])
def test_string_that_is_not_a_media_type_is_invalid(content_type: str) -> None:
    with pytest.raises(errors.LST_ERR_CTP_INVALID_TYPE):
        ContentTypeParsers().add(content_type, first)


@pytest.mark.parametrize("content_type", ["", "   ", []])
def test_empty_type(content_type: Any) -> None:
    with pytest.raises(errors.LST_ERR_CTP_EMPTY_TYPE):
        ContentTypeParsers().add(content_type, first)


@pytest.mark.parametrize("parser", [None, "parser", 42])
def test_invalid_handler(parser: Any) -> None:
    with pytest.raises(errors.LST_ERR_CTP_INVALID_HANDLER):
        ContentTypeParsers().add("text/html", parser)


@pytest.mark.parametrize("parse_as", ["string", "buffer", "json", None])
def test_invalid_parse_as(parse_as: Any) -> None:
    with pytest.raises(errors.LST_ERR_CTP_INVALID_PARSE_TYPE):
        ContentTypeParsers().add("text/html", first, parse_as=parse_as)


@pytest.mark.parametrize("body_limit", [0, -1, 1.5, "10", True])
def test_invalid_body_limit(body_limit: Any) -> None:
    with pytest.raises(errors.LST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT):
        ContentTypeParsers().add("text/html", first, body_limit=body_limit)


def test_already_present() -> None:
    parsers = ContentTypeParsers()
    parsers.add("text/html", first)
    with pytest.raises(errors.LST_ERR_CTP_ALREADY_PRESENT):
        parsers.add("text/html", second)
    with pytest.raises(errors.LST_ERR_CTP_ALREADY_PRESENT):
        parsers.add("Text/HTML", second)
    parsers.add("*", first)
    with pytest.raises(errors.LST_ERR_CTP_ALREADY_PRESENT):
        parsers.add("*", second)
    parsers.add(re.compile("^image/"), first)
    with pytest.raises(errors.LST_ERR_CTP_ALREADY_PRESENT):
        parsers.add(re.compile("^image/"), second)
    parsers.add(re.compile("^image/", re.IGNORECASE), second)


def test_already_present_ignores_parameter_order_and_spacing() -> None:
    parsers = ContentTypeParsers()
    parsers.add("text/x; a=1; b=2", first)
    with pytest.raises(errors.LST_ERR_CTP_ALREADY_PRESENT):
        parsers.add('text/x;b="2";a=1', second)
    parsers.add("text/x; a=1", second)


def test_built_in_parsers_can_be_replaced_once_directly() -> None:
    parsers = ContentTypeParsers()
    parsers.add("application/json", first)
    parsers.add("text/plain", second, parse_as="bytes")
    assert parser_of(parsers, "application/json") is first
    assert parser_of(parsers, "text/plain") is second
    with pytest.raises(errors.LST_ERR_CTP_ALREADY_PRESENT):
        parsers.add("application/json", third)
    with pytest.raises(errors.LST_ERR_CTP_ALREADY_PRESENT):
        parsers.add("text/plain", third)


def test_built_in_parser_can_be_replaced_after_removal() -> None:
    parsers = ContentTypeParsers()
    assert parsers.remove("application/json")
    assert parsers.get("application/json") is None
    parsers.add("application/json", first)
    assert parser_of(parsers, "application/json") is first


def test_built_in_parser_function_can_serve_other_types() -> None:
    parsers = ContentTypeParsers()
    parsers.add("text/json", parse_json, parse_as="str")
    entry = parsers.get("text/json")
    assert entry is not None
    assert entry.as_str
    assert entry.parser(None, '{"a": 1}') == {"a": 1}


def test_list_adds_every_type_or_none() -> None:
    parsers = ContentTypeParsers()
    parsers.add(["text/xml", "application/xml", re.compile(r"\+xml;?")], first)
    assert parser_of(parsers, "text/xml") is first
    assert parser_of(parsers, "application/xml") is first
    assert parser_of(parsers, "image/svg+xml") is first
    with pytest.raises(errors.LST_ERR_CTP_ALREADY_PRESENT):
        parsers.add(["text/csv", "text/xml"], second)
    assert not parsers.has("text/csv")
    with pytest.raises(errors.LST_ERR_CTP_ALREADY_PRESENT):
        parsers.add(("text/tsv", "Text/TSV"), second)
    assert not parsers.has("text/tsv")


def test_entry_records_options_and_async_once() -> None:
    class CallableParser:
        async def __call__(self, request: Any, body: bytes) -> str:
            return "call"

    parsers = ContentTypeParsers()
    parsers.add("a/sync", first, parse_as="str", body_limit=10)
    parsers.add("a/async", async_parser)
    parsers.add("a/partial", functools.partial(async_parser))
    parsers.add("a/object", CallableParser())
    sync_entry = parsers.get("a/sync")
    assert isinstance(sync_entry, ParserEntry)
    assert (sync_entry.parse_as, sync_entry.as_str, sync_entry.body_limit) == ("str", True, 10)
    assert not sync_entry.is_async
    assert "first" in repr(sync_entry)
    for name in ("a/async", "a/partial", "a/object"):
        entry = parsers.get(name)
        assert entry is not None
        assert entry.is_async, name
        assert entry.parse_as == "bytes"


async def test_async_parser_is_awaited_by_its_caller() -> None:
    parsers = ContentTypeParsers()
    parsers.add("a/async", async_parser)
    entry = parsers.get("a/async")
    assert entry is not None
    assert await entry.parser(None, b"") == "async"


# --- has / remove --------------------------------------------------------------------------


def test_has_normalizes_and_checks_types() -> None:
    parsers = ContentTypeParsers()
    parsers.add("text/x; b=2; a=1", first)
    assert parsers.has(" TEXT/X;a=1;b=2 ")
    assert not parsers.has("text/x")
    assert not parsers.has("")
    assert not parsers.has("garbage")
    assert not parsers.has(re.compile("x"))
    with pytest.raises(errors.LST_ERR_CTP_INVALID_TYPE):
        parsers.has(42)  # type: ignore[arg-type]


def test_remove() -> None:
    parsers = ContentTypeParsers()
    pattern = re.compile("^image/")
    parsers.add(["text/html", "*"], first)
    parsers.add(pattern, second)
    assert parsers.remove(re.compile("^image/"))
    assert parsers.get("image/png") is parsers.get("*")
    assert parsers.remove(["text/html", "*"])
    assert parsers.get("text/html") is None
    assert not parsers.remove("text/html")
    assert not parsers.remove("garbage")
    assert parsers.remove(("text/plain", "text/none"))
    assert not parsers.has("text/plain")


@pytest.mark.parametrize("content_type", [42, None, [1], ("a/b", None)])
def test_remove_invalid_type(content_type: Any) -> None:
    with pytest.raises(errors.LST_ERR_CTP_INVALID_TYPE):
        ContentTypeParsers().remove(content_type)


def test_remove_all() -> None:
    parsers = ContentTypeParsers()
    parsers.add(["*", re.compile("x")], first)
    parsers.get("application/json")
    parsers.remove_all()
    for header in ("application/json", "text/plain", "x/x", "", "garbage"):
        assert parsers.get(header) is None
    assert not parsers.has("*")
    parsers.add("application/json", first)
    assert parser_of(parsers, "application/json") is first


# --- encapsulation -------------------------------------------------------------------------


def test_child_sees_the_parent_parsers_when_copied() -> None:
    parent = ContentTypeParsers()
    parent.add("text/html", first)
    child = parent.copy()
    assert parser_of(child, "text/html") is first
    assert parser_of(child, "application/json") is parse_json


def test_child_changes_stay_out_of_the_parent() -> None:
    parent = ContentTypeParsers()
    parent.get("text/html")
    child = parent.copy()
    child.add(["text/html", "*", re.compile("^image/")], first)
    child.remove("application/json")
    assert parser_of(child, "text/html") is first
    assert child.get("application/json") is child.get("*")
    assert parent.get("text/html") is None
    assert parent.get("image/png") is None
    assert parser_of(parent, "application/json") is parse_json
    assert not parent.has("*")


def test_parent_changes_after_the_copy_stay_out_of_the_child() -> None:
    parent = ContentTypeParsers()
    child = parent.copy()
    parent.add("text/html", first)
    parent.remove("text/plain")
    assert child.get("text/html") is None
    assert parser_of(child, "text/plain") is parse_text


def test_siblings_are_independent() -> None:
    parent = ContentTypeParsers()
    left = parent.copy()
    right = parent.copy()
    left.add("text/html", first)
    right.add("text/html", second)
    right.remove_all()
    assert parser_of(left, "text/html") is first
    assert right.get("text/html") is None
    assert parser_of(parent, "application/json") is parse_json


def test_copy_shares_tables_until_a_change() -> None:
    parent = ContentTypeParsers()
    child = parent.copy()
    grandchild = child.copy()
    assert parent._table is child._table is grandchild._table
    grandchild.add("text/html", first)
    assert parent._table is child._table
    assert grandchild._table is not child._table


# --- fuzzing -------------------------------------------------------------------------------

header_text = st.text(max_size=60) | st.sampled_from(
    [
        "application/json",
        "text/plain; charset=utf-8",
        "text/html; charset=UTF-8; q",
        'multipart/form-data; boundary="a;b"',
        "a/b;;;=;x=;=y",
        "*/*",
        "image/png",
    ]
)


@given(header_text)
def test_any_header_value_gets_a_parser_or_none(header: str) -> None:
    parsers = ContentTypeParsers()
    parsers.add("text/html; charset=utf-8", first)
    parsers.add(re.compile(r"^image/"), second)
    parsers.add(re.compile(r"charset=latin-1;?"), third)
    result = parsers.get(header)
    assert result is None or isinstance(result, ParserEntry)
    assert parsers.get(header) is result


@given(st.text(max_size=40))
def test_any_registered_type_is_added_or_a_coded_error(content_type: str) -> None:
    parsers = ContentTypeParsers()
    try:
        parsers.add(content_type, first)
    except (errors.LST_ERR_CTP_INVALID_TYPE, errors.LST_ERR_CTP_EMPTY_TYPE):
        assert not parsers.has(content_type)
        return
    assert parsers.has(content_type)
    assert parsers.remove(content_type)
    assert not parsers.has(content_type)
