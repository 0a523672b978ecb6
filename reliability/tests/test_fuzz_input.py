"""Fuzzing the request input: query strings, headers, JSON and other bodies,
the content-type matcher and schema coercion.

Properties: no 5xx for client input, no unhandled exception, a well-formed
response with a catalogued error code, and the app keeps answering.
"""

from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lesto_reliability.apps import fuzz_app
from lesto_reliability.fuzzing import FUZZ, header_names, header_values
from lesto_reliability.probe import Probe, check_response


@pytest.fixture(scope="module")
def probe() -> Iterator[Probe]:
    probe = Probe(fuzz_app(trust_proxy="10.0.0.0/8,::1"))
    yield probe
    probe.close()


def still_serving(probe: Probe) -> None:
    answer = probe.call(
        "POST",
        b"/body",
        [(b"content-type", b"application/json"), (b"content-length", b"9")],
        [b'{"ok": 1}'],
    )
    assert (answer.status, answer.json()) == (200, {"body": {"ok": 1}})


def post(probe: Probe, path: bytes, content_type: bytes | None, chunks: list[bytes]) -> Any:
    headers = [(b"content-length", str(sum(map(len, chunks))).encode())]
    if content_type is not None:
        headers.append((b"content-type", content_type))
    answer = probe.call("POST", path, headers, chunks)
    check_response(answer, method="POST")
    return answer


# --- query strings -------------------------------------------------------------------------------

query_parts = st.one_of(
    st.binary(max_size=20),
    st.sampled_from([b"%", b"%zz", b"%C3", b"%C3%A9", b"+", b"=", b"&&", b"a[]=1", b"__proto__"]),
    st.text(max_size=10).map(lambda s: s.encode()),
)


@FUZZ
@given(parts=st.lists(query_parts, max_size=30), path=st.sampled_from([b"/static/a", b"/coerce"]))
def test_query_strings(probe: Probe, parts: list[bytes], path: bytes) -> None:
    answer = probe.call("GET", path + b"?" + b"&".join(parts))
    check_response(answer)
    still_serving(probe)


def test_query_parameter_flood(probe: Probe) -> None:
    """10,000 parameters: 414 with the documented code; 1000 still parse."""
    flood = b"&".join(b"k%d=%d" % (i, i) for i in range(10_000))
    answer = probe.call("GET", b"/static/a?" + flood)
    check_response(answer)
    assert answer.json()["code"] == "LST_ERR_QUERYSTRING_TOO_LARGE"
    answer = probe.call("GET", b"/static/a?" + b"&".join([b"k=v"] * 1000))
    assert answer.status == 200
    assert len(answer.json()["query"]["k"]) == 1000


# --- headers -------------------------------------------------------------------------------------


@FUZZ
@given(
    headers=st.lists(st.tuples(header_names, header_values), max_size=12),
    path=st.sampled_from([b"/who", b"/v", b"/site", b"/coerce-headers", b"/static/a"]),
    client=st.sampled_from(["127.0.0.1", "10.1.2.3", "::1", "203.0.113.5"]),
)
def test_headers(
    probe: Probe, headers: list[tuple[bytes, bytes]], path: bytes, client: str
) -> None:
    answer = probe.call("GET", path, headers, client=client)
    check_response(answer)
    still_serving(probe)


@FUZZ
@given(value=st.text(max_size=30))
def test_reply_headers_from_user_input(probe: Probe, value: str) -> None:
    """Reflected values with CR/LF/NUL or non-latin-1 text: 400, never a split response."""
    from urllib.parse import quote

    answer = probe.call("GET", b"/reflect?v=" + quote(value).encode())
    check_response(answer)
    if answer.status == 200:
        assert answer.header(b"x-v") == value.encode("latin-1")
    else:
        assert answer.json()["code"] == "LST_ERR_INVALID_HEADER_VALUE"


# --- JSON bodies ---------------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=20,
)


@st.composite
def hostile_json(draw: st.DrawFn) -> bytes:
    """Valid JSON, then perhaps truncated, nested deep, numbers huge, bytes invalid, keys twice."""
    kind = draw(
        st.sampled_from(["valid", "truncated", "deep", "huge", "utf8", "dupkeys", "garbage"])
    )
    text = orjson.dumps(draw(json_values))
    if kind == "truncated":
        return text[: draw(st.integers(0, max(len(text) - 1, 0)))]
    if kind == "deep":
        depth = draw(st.sampled_from([100, 1000, 5000]))
        return b"[" * depth + b"]" * draw(st.sampled_from([depth, 0]))
    if kind == "huge":
        digits = draw(st.sampled_from([20, 400, 4000]))
        return (
            b'{"n": 1'
            + b"0" * digits
            + draw(st.sampled_from([b"", b".5", b"e999", b"e-999"]))
            + b"}"
        )
    if kind == "utf8":
        cut = draw(st.integers(0, len(text)))
        return (
            text[:cut]
            + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"]))
            + text[cut:]
        )
    if kind == "dupkeys":
        return b'{"a": 1, "a": 2, "b": {"c": 1, "c": [' + text + b"]}}"
    if kind == "garbage":
        return draw(st.binary(max_size=60))
    return text


@FUZZ
@given(body=hostile_json(), split=st.integers(0, 5), path=st.sampled_from([b"/body", b"/typed"]))
def test_json_bodies(probe: Probe, body: bytes, split: int, path: bytes) -> None:
    chunks = (
        [body[i : i + max(1, split)] for i in range(0, len(body), max(1, split))]
        if split
        else [body]
    )
    answer = post(probe, path, b"application/json", chunks or [b""])
    if answer.status == 200:
        assert answer.json()["body"] == orjson.loads(body)
    still_serving(probe)


def test_deep_json_is_400() -> None:
    """orjson refuses nesting past 1024 levels: a 400, not a recursion error."""
    probe = Probe(fuzz_app())
    try:
        answer = post(probe, b"/body", b"application/json", [b"[" * 100_000 + b"]" * 100_000])
        assert answer.json()["code"] in {
            "LST_ERR_CTP_INVALID_JSON_BODY",
            "LST_ERR_CTP_BODY_TOO_LARGE",
        }
    finally:
        probe.close()


# --- the content-type matcher --------------------------------------------------------------------

content_types = st.one_of(
    st.none(),
    st.binary(max_size=40),
    st.sampled_from(
        [
            b"application/json",
            b"APPLICATION/JSON ; charset=UTF-8",
            b"application/json; charset=latin-1",
            b"application/jsonx",
            b"application/vnd.a+json; version=1",
            b"application/vnd.a+json; version=2",
            b"text/csv;",
            b"text/plain; charset=",
            b"image/png",
            b"image/pngx",
            b"image/",
            b"/",
            b";",
            b"multipart/form-data; boundary=",
            b"application/x-www-form-urlencoded",
            b'text/plain; charset="utf-8"; x="\\"',
        ]
    ),
)


@FUZZ
@given(
    content_type=content_types,
    body=st.binary(max_size=40),
    path=st.sampled_from([b"/body", b"/scoped/any", b"/body/1"]),
)
def test_content_types(probe: Probe, content_type: bytes | None, body: bytes, path: bytes) -> None:
    method = "PUT" if path == b"/body/1" else "POST"
    headers = [(b"content-length", str(len(body)).encode())]
    if content_type is not None:
        headers.append((b"content-type", content_type))
    answer = probe.call(method, path, headers, [body])
    check_response(answer, method=method)
    if path == b"/scoped/any" and answer.status >= 400:  # the catch-all parser takes any type
        assert answer.json()["code"] != "LST_ERR_CTP_INVALID_MEDIA_TYPE"
    still_serving(probe)


# --- schema coercion -----------------------------------------------------------------------------

scalar_texts = st.one_of(
    st.text(max_size=8),
    st.sampled_from(
        [
            "1",
            "-0",
            "1e3",
            " 12 ",
            "1.5",
            "true",
            "false",
            "",
            "null",
            "1e999",
            "NaN",
            "0x10",
            "9" * 5000,
        ]
    ),
)
coercible = st.one_of(
    scalar_texts,
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.lists(scalar_texts, max_size=3),
)


@FUZZ
@given(
    body=st.dictionaries(
        st.sampled_from(
            [
                "n",
                "x",
                "flag",
                "tags",
                "nested",
                "either",
                "nullable",
                "when",
                "email",
                "pattern",
                "extra",
            ]
        ),
        coercible | st.fixed_dictionaries({"deep": st.lists(coercible, max_size=3)}),
        max_size=6,
    ),
    param=scalar_texts,
)
def test_schema_coercion_of_bodies(probe: Probe, body: dict[str, Any], param: str) -> None:
    from urllib.parse import quote

    raw = orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS) if _finite(body) else b"{}"
    answer = post(probe, b"/coerce/" + quote(param, safe="").encode(), b"application/json", [raw])
    if answer.status >= 400:
        assert answer.json()["code"] in {
            "LST_ERR_VALIDATION",
            "LST_ERR_CTP_BODY_TOO_LARGE",
            "LST_ERR_NOT_FOUND",
        }
    still_serving(probe)


@FUZZ
@given(
    pairs=st.lists(
        st.tuples(
            st.sampled_from(["n", "x", "flag", "tags", "either", "nullable", "when", "zz"]),
            scalar_texts,
        ),
        max_size=8,
    ),
    header=scalar_texts,
)
def test_schema_coercion_of_query_and_headers(
    probe: Probe, pairs: list[tuple[str, str]], header: str
) -> None:
    from urllib.parse import urlencode

    answer = probe.call("GET", b"/coerce?" + urlencode(pairs).encode())
    check_response(answer)
    answer = probe.call("GET", b"/coerce-headers", [(b"x-n", header.encode("utf-8"))])
    check_response(answer)
    still_serving(probe)


def _finite(value: Any) -> bool:
    try:
        orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        return False
    return True
