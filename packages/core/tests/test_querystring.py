"""parse_query: Node-style query strings, never raising on malformed input."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lesto import errors
from lesto.querystring import DEFAULT_MAX_PARAMS, parse_query


def test_empty() -> None:
    assert parse_query("") == {}
    assert parse_query(b"") == {}


def test_simple_pairs_from_bytes_and_str() -> None:
    assert parse_query(b"a=1&b=two") == {"a": "1", "b": "two"}
    assert parse_query("a=1&b=two") == {"a": "1", "b": "two"}


def test_plus_is_space_and_escapes_are_decoded() -> None:
    assert parse_query("q=hello+world&x=%41%2B%26%3D") == {"q": "hello world", "x": "A+&="}
    assert parse_query("caf%C3%A9=cr%C3%A8me+br%C3%BBl%C3%A9e") == {"café": "crème brûlée"}
    assert parse_query("k%2Bey+name=v") == {"k+ey name": "v"}


def test_repeated_keys_become_lists_in_order() -> None:
    assert parse_query("a=1&b=2&a=3&a=4") == {"a": ["1", "3", "4"], "b": "2"}


def test_blank_values_are_kept() -> None:
    assert parse_query("a=&b&c=1") == {"a": "", "b": "", "c": "1"}
    assert parse_query("a&a=") == {"a": ["", ""]}


def test_empty_pairs_are_skipped_and_empty_key_is_kept() -> None:
    assert parse_query("&&a=1&&&b=2&") == {"a": "1", "b": "2"}
    assert parse_query("=x") == {"": "x"}


def test_only_the_first_equals_sign_splits() -> None:
    assert parse_query("a=b=c&d==") == {"a": "b=c", "d": "="}


def test_semicolon_is_not_a_separator() -> None:
    assert parse_query("a=1;b=2") == {"a": "1;b=2"}


@pytest.mark.parametrize(
    ("qs", "expected"),
    [
        ("a=%zz", {"a": "%zz"}),
        ("a=%", {"a": "%"}),
        ("a=100%", {"a": "100%"}),
        ("a=%4", {"a": "%4"}),
        ("a=%41%zz%42", {"a": "A%zzB"}),
        ("%=%%", {"%": "%%"}),
    ],
)
def test_malformed_escapes_are_left_as_is(qs: str, expected: dict[str, str]) -> None:
    assert parse_query(qs) == expected


def test_escapes_that_are_not_utf8_leave_the_component_as_written() -> None:
    assert parse_query("a=%E9t%E9&b=%C3%A9") == {"a": "%E9t%E9", "b": "é"}
    assert parse_query("a=%FF+x") == {"a": "%FF x"}


def test_raw_non_utf8_bytes_fall_back_to_latin1() -> None:
    assert parse_query(b"a=\xe9") == {"a": "é"}


def test_raw_utf8_bytes_are_decoded() -> None:
    assert parse_query("a=é".encode()) == {"a": "é"}


def test_too_many_params_is_414() -> None:
    qs = "&".join(f"k{i}=v" for i in range(DEFAULT_MAX_PARAMS + 1))
    with pytest.raises(errors.LST_ERR_QUERYSTRING_TOO_LARGE) as info:
        parse_query(qs)
    assert info.value.code == "LST_ERR_QUERYSTRING_TOO_LARGE"
    assert info.value.status_code == 414


def test_max_params_is_inclusive_and_ignores_empty_pairs() -> None:
    assert parse_query("a=1&b=2&&&", max_params=2) == {"a": "1", "b": "2"}
    with pytest.raises(errors.LST_ERR_QUERYSTRING_TOO_LARGE):
        parse_query("a=1&b=2&c=3", max_params=2)


def test_ten_thousand_params_is_a_coded_error() -> None:
    qs = ("a=1&" * 10_000).encode()
    with pytest.raises(errors.LST_ERR_QUERYSTRING_TOO_LARGE):
        parse_query(qs)
    assert parse_query(qs, max_params=10_000) == {"a": ["1"] * 10_000}


def test_max_value_length_counts_decoded_characters() -> None:
    assert parse_query("a=%41%42%43", max_value_length=3) == {"a": "ABC"}
    with pytest.raises(errors.LST_ERR_QUERYSTRING_VALUE_TOO_LARGE) as info:
        parse_query("a=1&b=abcd", max_value_length=3)
    assert info.value.code == "LST_ERR_QUERYSTRING_VALUE_TOO_LARGE"
    assert info.value.status_code == 414


def test_no_value_length_limit_by_default() -> None:
    assert parse_query("a=" + "x" * 100_000) == {"a": "x" * 100_000}


def test_results_are_fresh_dicts() -> None:
    first = parse_query("a=1")
    first["a"] = "changed"
    assert parse_query("a=1") == {"a": "1"}


@given(st.binary(max_size=200))
def test_any_bytes_parse_or_raise_a_coded_error(qs: bytes) -> None:
    try:
        result = parse_query(qs, max_params=20, max_value_length=30)
    except (errors.LST_ERR_QUERYSTRING_TOO_LARGE, errors.LST_ERR_QUERYSTRING_VALUE_TOO_LARGE):
        return
    for key, value in result.items():
        assert isinstance(key, str)
        if isinstance(value, list):
            assert len(value) >= 2
            assert all(isinstance(item, str) for item in value)
        else:
            assert isinstance(value, str)


query_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60)


@given(query_text)
def test_any_text_parses(qs: str) -> None:
    result = parse_query(qs, max_params=10_000)
    assert all(isinstance(key, str) for key in result)


pairs = st.lists(
    st.tuples(
        st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=10),
        st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=10),
    ),
    max_size=10,
)


@given(pairs)
def test_round_trips_what_urlencode_writes(items: list[tuple[str, str]]) -> None:
    expected: dict[str, str | list[str]] = {}
    for key, value in items:
        seen = expected.get(key)
        if seen is None:
            expected[key] = value
        elif isinstance(seen, str):
            expected[key] = [seen, value]
        else:
            seen.append(value)
    assert parse_query(urlencode(items).encode()) == expected


@given(pairs)
def test_agrees_with_parse_qs_on_well_formed_input(items: list[tuple[str, str]]) -> None:
    qs = urlencode(items)
    reference = parse_qs(qs, keep_blank_values=True)
    result = parse_query(qs)
    assert {k: v if isinstance(v, list) else [v] for k, v in result.items()} == reference
