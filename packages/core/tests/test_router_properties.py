"""Router properties over arbitrary request paths (hypothesis)."""

from __future__ import annotations

import re
from urllib.parse import unquote

from hypothesis import given, settings
from hypothesis import strategies as st
from lesto import errors
from lesto.router import Router

ROUTES = [
    "/",
    "/users",
    "/users/me",
    "/users/:id",
    "/users/:id/posts/{post}",
    "/geo/:lat-:lng",
    "/flights/:from.:to",
    "/img/:file(^\\d+).png",
    "/img/:name",
    "/files/*",
    "/a::b/:x",
    "/café/:x",
    "/v/:id(^[a-z]+$)/x",
    "/n/:a/:b/:c",
    "/:lang/about",
    "/opt/:o?",
]

PIECES = [
    "users",
    "me",
    "posts",
    "geo",
    "flights",
    "img",
    "files",
    "a:b",
    "a%3Ab",
    "caf%C3%A9",
    "café",
    "v",
    "n",
    "x",
    "about",
    "opt",
    "%2F",
    "%2f",
    "%25",
    "%252F",
    "%zz",
    "%E0%A4",
    "1.png",
    "12.png",
    "1-2",
    "1.5-2-3",
    "x.y",
    "",
]

piece = st.one_of(
    st.sampled_from(PIECES),
    st.text(alphabet="abxyz019-.:%/AFéé", max_size=10),
    st.text(max_size=6),
)
structured = st.lists(piece, max_size=6).map(lambda pieces: "/" + "/".join(pieces))
_PARAM = re.compile(r":([^(\-./:{}*?]+)(?:\((?:\\.|[^()])*\))?|\{([^{}]+)\}|\*")


def fill(route: str, values: list[str]) -> str:
    """A request path made from ``route`` with each parameter replaced by the next value."""
    supply = iter(values)
    protected = route.replace("?", "").replace("::", "\0")
    return _PARAM.sub(lambda _: next(supply), protected).replace("\0", ":")


param_value = st.one_of(
    st.sampled_from(PIECES), st.text(alphabet="abxyz019-.:%AFé", max_size=8), st.text(max_size=4)
)
templated = st.builds(fill, st.sampled_from(ROUTES), st.lists(param_value, min_size=3, max_size=3))
paths = st.one_of(
    structured, templated, st.text(max_size=30), st.text(max_size=30).map(lambda t: "/" + t)
)


def build(**options: object) -> Router[str]:
    router: Router[str] = Router(**options)  # type: ignore[arg-type]
    for path in ROUTES:
        router.on("GET", path, path)
    return router


def render(pattern: str, params: dict[str, str]) -> str:
    """The pattern with its parameters replaced by their values."""
    protected = pattern.replace("::", "\0")

    def value(match: re.Match[str]) -> str:
        if match.group(0) == "*":
            return params["*"]
        return params[match.group(1) or match.group(2)]

    return _PARAM.sub(value, protected).replace("\0", ":")


def lookup(router: Router[str], path: str) -> tuple[str, dict[str, str]] | None:
    """find(), allowing only LST_ERR_BAD_URL to escape (as None)."""
    try:
        return router.find("GET", path)
    except errors.LST_ERR_BAD_URL:
        return None


ROUTER = build()


@settings(max_examples=600)
@given(paths)
def test_found_params_rebuild_the_decoded_path(path: str) -> None:
    result = lookup(ROUTER, path)
    if result is None:
        return
    store, params = result
    record = next(
        record
        for record in ROUTER.routes()
        if record.store == store and set(record.params) == set(params)
    )
    assert render(record.path, params) == unquote(path, errors="strict")


@settings(max_examples=300)
@given(paths)
def test_find_only_raises_bad_url_with_any_options(path: str) -> None:
    for router in OTHER_ROUTERS:
        lookup(router, path)


OTHER_ROUTERS = [
    build(case_sensitive=False),
    build(ignore_trailing_slash=True, ignore_duplicate_slashes=True),
    build(max_param_length=3),
]


@settings(max_examples=300)
@given(paths)
def test_catch_all_always_matches_valid_paths(path: str) -> None:
    router: Router[str] = Router()
    router.on("GET", "*", "all")
    try:
        result = router.find("GET", path)
    except errors.LST_ERR_BAD_URL:
        return
    assert result == ("all", {"*": unquote(path, errors="strict")})
