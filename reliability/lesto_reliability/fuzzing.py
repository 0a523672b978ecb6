"""Shared Hypothesis settings and strategies of the fuzz tests.

``RELIABILITY_FUZZ_EXAMPLES`` sets the examples per property (CI: 150; the
``reliability:fuzz`` script runs many more).
"""

from __future__ import annotations

import os
import string

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

__all__ = ["FUZZ", "header_names", "header_values", "raw_paths"]

EXAMPLES = int(os.environ.get("RELIABILITY_FUZZ_EXAMPLES", "150"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

_PATH_ALPHABET = string.ascii_letters + string.digits + "/:%.-_~*?#&=+;@!$'()[],{} \t\\" + "é€"
_SEGMENT = st.one_of(
    st.sampled_from(
        ["static", "a", "b", "geo", "files", "img", "opt", "users", "posts", "deep", "colon"]
    ),
    st.text(_PATH_ALPHABET, max_size=12),
    st.from_regex(r"\A(%[0-9A-Fa-f]{2}|%[^0-9A-Fa-f]?|[0-9]{1,4}(\.png)?)+\Z"),
    st.just("a" * 101),
)


@st.composite
def raw_paths(draw: st.DrawFn) -> bytes:
    """Request targets: segments from the route tree mixed with hostile text and bytes."""
    segments = draw(st.lists(_SEGMENT, max_size=8))
    path = "/" + "/".join(segments)
    raw = path.encode("utf-8")
    if draw(st.booleans()):
        raw += draw(st.binary(max_size=8))
    return raw


_TOKEN = string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~"
header_names = st.one_of(
    st.sampled_from(
        [
            b"host",
            b"content-type",
            b"content-length",
            b"accept-version",
            b"x-forwarded-for",
            b"x-forwarded-host",
            b"x-forwarded-proto",
            b"user-agent",
            b"x-n",
            b"transfer-encoding",
            b"cookie",
        ]
    ),
    st.text(_TOKEN, min_size=1, max_size=20).map(lambda s: s.lower().encode()),
)
header_values = st.one_of(
    st.binary(max_size=64),
    st.text(max_size=40).map(lambda s: s.encode("utf-8")),
    st.sampled_from(
        [
            b"",
            b"1.x",
            b"*",
            b"2.0.0",
            b"api.example.com",
            b"[::1]:99999",
            b"a" * 5000,
            b"10.0.0.1, 203.0.113.9, garbage, , ::1",
            b"-1",
            b"99999999999999999999999999",
            b"application/json; charset=utf-8",
        ]
    ),
)
