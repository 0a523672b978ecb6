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


STATIC_ROUTES = ["/", "/users", "/users/me", "/a//b", "/Mixed/Case", "/trail/", "/100%", "/café"]


def build_statics(**options: object) -> Router[str]:
    router: Router[str] = Router(**options)  # type: ignore[arg-type]
    for path in [*ROUTES, *STATIC_ROUTES]:
        try:
            router.on("GET", path, path)
        except errors.LST_ERR_DUPLICATED_ROUTE:
            continue  # the same route once slashes are collapsed or the trailing one dropped
    router.on("GET", "/hosted", "h", {"host": "example.com"})
    return router


EXACT_ROUTERS = [
    build_statics(),
    build_statics(case_sensitive=False),
    build_statics(ignore_trailing_slash=True, ignore_duplicate_slashes=True),
]
exact_candidates = st.one_of(
    paths, st.sampled_from([*STATIC_ROUTES, "/hosted", "/USERS", "/trail", "/a/b"])
)


@settings(max_examples=400)
@given(exact_candidates)
def test_the_exact_path_table_agrees_with_find(path: str) -> None:
    """What the app answers from ``exact_paths()`` is what find() would have matched."""
    for router in EXACT_ROUTERS:
        exact = router.exact_paths()["GET"]
        raw = path.encode("utf-8", "surrogatepass")
        if raw in exact:
            assert lookup(router, path) == (exact[raw], {})


def test_the_exact_path_table_leaves_out_what_needs_matching_work() -> None:
    exact = build_statics().exact_paths()["GET"]
    assert exact[b"/users/me"] == "/users/me"
    assert exact[b"/"] == "/"
    # constrained, percent-encoded and non-ASCII routes are left to find()
    assert b"/hosted" not in exact
    assert b"/100%" not in exact
    assert "/café".encode() not in exact
    assert not any(b":" in path or b"*" in path for path in exact)


def test_a_must_match_constraint_empties_the_exact_path_table() -> None:
    """With ``version`` in use every request must be checked for Accept-Version."""
    router = build_statics()
    router.on("GET", "/versioned", "v1", {"version": "1.0.0"})
    assert router.exact_paths()["GET"] == {}


TAIL_ROUTES = [
    "/t/:id",
    "/t/abc",
    "/t/ab:x",
    "/t/x/:y",
    "/t/q/*",
    "/h/:id",
    "/r/:id(^\\d+)",
    "/r/:name",
    "/w/:id",
    "/w/*",
    "/s/:a-:b",
    "/o/:id?",
    "/deep/a/b/:leaf",
    "/deep/a/:mid/c",
]


def build_tails(**options: object) -> Router[str]:
    router = build_statics(**options)
    for path in TAIL_ROUTES:
        try:
            router.on("GET", path, path)
        except errors.LST_ERR_DUPLICATED_ROUTE:
            continue
    router.on("GET", "/h/:id", "hosted", {"host": "example.com"})
    return router


TAIL_ROUTER = build_tails()
tail_candidates = st.one_of(
    paths,
    st.builds(fill, st.sampled_from(TAIL_ROUTES), st.lists(param_value, min_size=3, max_size=3)),
    st.builds(
        lambda prefix, value: prefix + value,
        st.sampled_from(["/t/", "/users/", "/img/", "/opt/", "/o/", "/deep/a/b/", "/h/", "/r/"]),
        st.one_of(param_value, st.sampled_from(["abc", "ab", "abcd", "x", "me", "a" * 101])),
    ),
)


@settings(max_examples=600)
@given(tail_candidates)
def test_the_tail_parameter_table_agrees_with_find(path: str) -> None:
    """What the app answers from ``tail_params()`` is what find() would have matched."""
    from lesto._router.router import match_tail

    tails = TAIL_ROUTER.tail_params()["GET"]
    hit = match_tail(tails, path.encode("utf-8"), TAIL_ROUTER.max_param_length)
    if hit is not None:
        assert lookup(TAIL_ROUTER, path) == hit


def test_the_tail_parameter_table_holds_only_unambiguous_last_parameters() -> None:
    tails = TAIL_ROUTER.tail_params()["GET"]
    assert tails[b"/users"].store == "/users/:id"
    assert tails[b"/users"].firsts == {b"m"}  # /users/me is tried first
    assert tails[b"/t"].firsts == {b"a", b"q", b"x"}
    assert tails[b"/deep/a/b"].store == "/deep/a/b/:leaf"
    # constrained, regex, several alternatives, wildcards and multi-parameter segments are not
    for prefix in [b"/h", b"/r", b"/w", b"/s", b"/img", b"/geo", b"/files"]:
        assert prefix not in tails, prefix
    from lesto._router.router import match_tail

    assert match_tail(tails, b"/users/42", 100) == ("/users/:id", {"id": "42"})
    assert match_tail(tails, b"/users/me", 100) is None  # the static route decides
    assert match_tail(tails, b"/users/mo", 100) is None  # /users/me may still match by prefix
    assert match_tail(tails, b"/users/", 100) is None  # empty value: find() decides
    assert match_tail(tails, b"/users/a%2Fb", 100) is None  # needs decoding
    assert match_tail(tails, b"/users/42?x=1", 100) is None  # a query in the raw path
    assert match_tail(tails, "/users/é".encode(), 100) is None  # not ASCII
    assert match_tail(tails, b"/users/" + b"a" * 101, 100) is None  # too long
    assert match_tail(tails, b"/users/" + b"a" * 100, 100) is not None


def test_the_tail_parameter_table_is_empty_with_path_normalising_options() -> None:
    for options in (
        {"case_sensitive": False},
        {"ignore_trailing_slash": True},
        {"ignore_duplicate_slashes": True},
    ):
        assert build_tails(**options).tail_params() == {}


def test_a_root_parameter_is_in_the_tail_table_and_needs_a_slash() -> None:
    from lesto._router.router import match_tail

    router: Router[str] = Router()
    router.on("GET", "/:slug", "slug")
    tails = router.tail_params()["GET"]
    assert set(tails) == {b""}
    assert match_tail(tails, b"/about", 100) == ("slug", {"slug": "about"})
    assert match_tail(tails, b"*", 100) is None  # asterisk-form: no slash, no match
    assert match_tail(tails, b"about", 100) is None
    assert router.find("GET", "*") is None
