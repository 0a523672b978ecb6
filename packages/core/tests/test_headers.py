"""Headers: a case-insensitive, read-only view of the ASGI header list."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lesto.headers import SINGLE_VALUE_HEADERS, Headers

RAW = [
    (b"host", b"example.com"),
    (b"content-type", b"application/json"),
    (b"accept", b"text/html"),
    (b"accept", b"application/json"),
    (b"x-empty", b""),
]


def test_lookup_is_case_insensitive() -> None:
    headers = Headers(RAW)
    assert headers["content-type"] == "application/json"
    assert headers["Content-Type"] == "application/json"
    assert headers["HOST"] == "example.com"


def test_names_from_the_server_are_lowercased_too() -> None:
    headers = Headers([(b"X-Request-Id", b"abc")])
    assert headers["x-request-id"] == "abc"
    assert list(headers) == ["x-request-id"]


def test_missing_header_raises_key_error_and_get_returns_default() -> None:
    headers = Headers(RAW)
    with pytest.raises(KeyError):
        headers["x-missing"]
    assert headers.get("x-missing") is None
    assert headers.get("X-Missing", "fallback") == "fallback"
    assert headers.get("Host") == "example.com"


def test_blank_value_is_kept() -> None:
    headers = Headers(RAW)
    assert headers["x-empty"] == ""
    assert headers.get("x-empty", "default") == ""
    assert "x-empty" in headers


def test_repeated_headers_are_joined_with_comma() -> None:
    headers = Headers(RAW)
    assert headers["accept"] == "text/html, application/json"
    assert headers.getlist("Accept") == ["text/html", "application/json"]


def test_repeated_cookie_lines_are_joined_with_semicolon() -> None:
    headers = Headers([(b"cookie", b"a=1"), (b"cookie", b"b=2")])
    assert headers["cookie"] == "a=1; b=2"
    assert headers.getlist("cookie") == ["a=1", "b=2"]


def test_set_cookie_is_never_joined() -> None:
    raw = [
        (b"set-cookie", b"a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT"),
        (b"set-cookie", b"b=2"),
    ]
    headers = Headers(raw)
    assert headers["set-cookie"] == "a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT"
    assert headers.getlist("Set-Cookie") == [
        "a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT",
        "b=2",
    ]


@pytest.mark.parametrize("name", sorted(SINGLE_VALUE_HEADERS))
def test_single_value_headers_keep_the_first_value(name: str) -> None:
    headers = Headers([(name.encode(), b"first"), (name.encode(), b"second")])
    assert headers[name] == "first"
    assert headers.getlist(name) == ["first", "second"]


def test_getlist_of_missing_header_is_empty() -> None:
    assert Headers(RAW).getlist("x-missing") == []


def test_contains() -> None:
    headers = Headers(RAW)
    assert "host" in headers
    assert "Content-Type" in headers
    assert "x-missing" not in headers
    assert 42 not in headers  # type: ignore[comparison-overlap]
    assert None not in headers


def test_iteration_len_and_views_follow_first_seen_order() -> None:
    headers = Headers(RAW)
    assert list(headers) == ["host", "content-type", "accept", "x-empty"]
    assert len(headers) == 4
    assert list(headers.keys()) == ["host", "content-type", "accept", "x-empty"]
    assert list(headers.values())[2] == "text/html, application/json"
    assert dict(headers.items()) == {
        "host": "example.com",
        "content-type": "application/json",
        "accept": "text/html, application/json",
        "x-empty": "",
    }


def test_is_a_read_only_mapping() -> None:
    headers = Headers(RAW)
    assert isinstance(headers, Mapping)
    assert headers == {
        "host": "example.com",
        "content-type": "application/json",
        "accept": "text/html, application/json",
        "x-empty": "",
    }
    with pytest.raises(TypeError):
        headers["host"] = "other"  # type: ignore[index]
    with pytest.raises(AttributeError):
        headers.extra = 1  # type: ignore[attr-defined]


def test_raw_is_the_list_given() -> None:
    assert Headers(RAW).raw is RAW


def test_empty_headers() -> None:
    headers = Headers()
    assert len(headers) == 0
    assert headers.get("host") is None
    assert list(headers.items()) == []


def test_invalid_bytes_are_decoded_as_latin1() -> None:
    headers = Headers([(b"x-bin\xff", b"\x00\xc3\x28\xff\x80")])
    assert headers["x-bin\xff"] == "\x00\xc3\x28\xff\x80"
    assert headers.getlist("X-BIN\xff") == ["\x00\xc3\x28\xff\x80"]


def test_nothing_is_decoded_before_first_use() -> None:
    consumed: list[int] = []

    class Tracking(list[tuple[bytes, bytes]]):
        def __iter__(self):  # type: ignore[no-untyped-def]
            consumed.append(1)
            return super().__iter__()

    headers = Headers(Tracking(RAW))
    assert consumed == []
    assert headers["host"] == "example.com"
    assert headers["accept"] == "text/html, application/json"
    assert consumed == [1]


def test_repr_shows_the_values() -> None:
    assert "example.com" in repr(Headers(RAW))


header_names = st.binary(min_size=0, max_size=12) | st.sampled_from(
    [b"cookie", b"set-cookie", b"content-type", b"Accept", b"host"]
)
header_lists = st.lists(st.tuples(header_names, st.binary(max_size=20)), max_size=12)


@given(header_lists)
def test_any_header_list_is_readable(raw: list[tuple[bytes, bytes]]) -> None:
    headers = Headers(raw)
    names = {name.decode("latin-1").lower() for name, _ in raw}
    assert set(headers) == names
    for name in names:
        probe = name.upper() if name.isascii() else name
        values = headers.getlist(probe)
        assert values == [
            v.decode("latin-1") for n, v in raw if n.decode("latin-1").lower() == name
        ]
        joined = headers[probe]
        assert joined.startswith(values[0])
        assert name in headers
    assert dict(headers.items()) == {name: headers[name] for name in names}
    repr(headers)


@given(header_lists, st.text(max_size=12))
def test_any_lookup_never_raises_but_key_error(raw: list[tuple[bytes, bytes]], name: str) -> None:
    headers = Headers(raw)
    assert headers.get(name, None) is None or isinstance(headers[name], str)
    assert isinstance(headers.getlist(name), list)
