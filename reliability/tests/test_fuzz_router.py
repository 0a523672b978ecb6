"""Fuzzing the router: arbitrary request targets against a tree of mixed routes.

Properties: no 5xx, no unhandled exception, a well-formed response with a
catalogued error code, and the app keeps answering afterwards.
"""

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lesto_reliability.apps import fuzz_app
from lesto_reliability.fuzzing import FUZZ, raw_paths
from lesto_reliability.probe import Probe, check_response

METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "QUERY", "BREW"]


@pytest.fixture(scope="module")
def probe() -> Iterator[Probe]:
    probe = Probe(fuzz_app())
    yield probe
    probe.close()


@pytest.fixture(scope="module")
def strict_probe() -> Iterator[Probe]:
    probe = Probe(
        fuzz_app(
            case_sensitive=False,
            ignore_trailing_slash=True,
            ignore_duplicate_slashes=True,
            max_param_length=5,
        )
    )
    yield probe
    probe.close()


def still_serving(probe: Probe) -> None:
    answer = probe.call("GET", b"/static/a?x=1")
    assert answer.status == 200
    assert answer.json() == {"params": {}, "query": {"x": "1"}}


@FUZZ
@given(path=raw_paths(), method=st.sampled_from(METHODS), query=st.binary(max_size=30))
def test_any_target(probe: Probe, path: bytes, method: str, query: bytes) -> None:
    target = path + b"?" + query if query else path
    answer = probe.call(method, target)
    check_response(answer, method=method)
    still_serving(probe)


@FUZZ
@given(path=raw_paths(), method=st.sampled_from(METHODS))
def test_any_target_with_other_router_options(
    strict_probe: Probe, path: bytes, method: str
) -> None:
    check_response(strict_probe.call(method, path), method=method)
    still_serving(strict_probe)


@FUZZ
@given(
    lat=st.text(min_size=1, max_size=20).filter(lambda s: "/" not in s and "-" not in s),
    rest=st.lists(st.text(min_size=1, max_size=10), min_size=1, max_size=4),
)
def test_parameters_round_trip(probe: Probe, lat: str, rest: list[str]) -> None:
    """Percent-encoded parameter values come back decoded, exactly."""
    answer = probe.call("GET", f"/geo/{quote(lat, safe='')}-1".encode())
    check_response(answer)
    assert answer.json()["params"] == {"lat": lat, "lng": "1"}
    wildcard = "/".join(rest)
    answer = probe.call("GET", ("/files/" + quote(wildcard, safe="/")).encode())
    check_response(answer)
    assert answer.json()["params"] == {"*": wildcard}
