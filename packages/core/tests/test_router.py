"""Router: matching, priority, syntax, options, decoding, registration (find-my-way behaviours)."""

from __future__ import annotations

import pytest
from lesto import errors
from lesto.router import Router


def build(*paths: str, **options: object) -> Router[str]:
    router: Router[str] = Router(**options)  # type: ignore[arg-type]
    for path in paths:
        router.on("GET", path, path)
    return router


def found(router: Router[str], path: str, method: str = "GET") -> tuple[str, dict[str, str]]:
    result = router.find(method, path)
    assert result is not None, path
    return result


# --- static, parametric, wildcard ----------------------------------------------------------


def test_static_routes_match_exactly() -> None:
    router = build("/", "/test", "/test/hello", "/hello/world")
    assert found(router, "/") == ("/", {})
    assert found(router, "/test") == ("/test", {})
    assert found(router, "/test/hello") == ("/test/hello", {})
    assert router.find("GET", "/tes") is None
    assert router.find("GET", "/test/") is None
    assert router.find("GET", "/hello") is None


def test_unknown_method_and_methods_are_arbitrary_strings() -> None:
    router: Router[str] = Router()
    router.on("PROPFIND", "/a", "pf")
    assert router.find("PROPFIND", "/a") == ("pf", {})
    assert router.find("GET", "/a") is None


def test_parametric_routes_both_syntaxes() -> None:
    router = build("/users/:id", "/posts/{post}/comments/{comment}")
    assert found(router, "/users/42") == ("/users/:id", {"id": "42"})
    assert found(router, "/posts/7/comments/9")[1] == {"post": "7", "comment": "9"}
    assert router.find("GET", "/users/42/x") is None


def test_empty_parameter_matches() -> None:
    router = build("/a/:param")
    assert found(router, "/a/")[1] == {"param": ""}
    assert router.find("GET", "/a") is None


def test_regex_parameter_does_not_match_empty_segment() -> None:
    router = build("/users/:userId(^\\d+)")
    assert router.find("GET", "/users/") is None
    assert found(router, "/users/12")[1] == {"userId": "12"}


def test_wildcard_captures_the_rest() -> None:
    router = build("/static/*", "*")
    assert found(router, "/static/a/b/c") == ("/static/*", {"*": "a/b/c"})
    assert found(router, "/static/") == ("/static/*", {"*": ""})
    assert found(router, "/other/x") == ("*", {"*": "/other/x"})


def test_wildcard_inside_a_segment() -> None:
    router = build("/foo*")
    assert found(router, "/foobar/baz")[1] == {"*": "bar/baz"}


# --- priority and backtracking -------------------------------------------------------------


def test_static_beats_parametric_beats_wildcard() -> None:
    router = build("/foo/bar", "/foo/:id", "/foo/*")
    assert found(router, "/foo/bar")[0] == "/foo/bar"
    assert found(router, "/foo/baz")[0] == "/foo/:id"
    assert found(router, "/foo/baz/qux")[0] == "/foo/*"


def test_backtracks_from_static_to_parametric() -> None:
    router = build("/foo/bar/static", "/foo/:param/dynamic")
    assert found(router, "/foo/bar/dynamic") == ("/foo/:param/dynamic", {"param": "bar"})


def test_backtracks_to_wildcard_and_drops_stale_params() -> None:
    router = build("/a/:b/c/:d/e", "/a/*")
    assert found(router, "/a/1/c/2/e")[1] == {"b": "1", "d": "2"}
    assert found(router, "/a/1/c/2/x") == ("/a/*", {"*": "1/c/2/x"})


def test_matching_order_with_constraints() -> None:
    router: Router[str] = Router()
    router.on("GET", "/foo/bar/static", "constrained", {"host": "test"})
    router.on("GET", "/foo/bar/*", "wild")
    router.on("GET", "/foo/:param/static", "param")
    assert router.find("GET", "/foo/bar/static", {"host": "test"}) == ("constrained", {})
    assert router.find("GET", "/foo/bar/static") == ("wild", {"*": "static"})
    assert router.find("GET", "/foo/value/static") == ("param", {"param": "value"})


def test_parametric_routes_sharing_a_node_keep_their_names() -> None:
    router = build("/users/:id", "/users/:name/posts")
    assert found(router, "/users/1")[1] == {"id": "1"}
    assert found(router, "/users/bob/posts")[1] == {"name": "bob"}


# --- multi-parameter and regex segments ----------------------------------------------------


def test_multi_parameter_segments() -> None:
    router = build("/geo/:lat-:lng", "/flights/:from.:to", "/at/:hour(^\\d+)h:minute(^\\d+)m")
    assert found(router, "/geo/1.5-2.5")[1] == {"lat": "1.5", "lng": "2.5"}
    assert found(router, "/geo/1-2-3")[1] == {"lat": "1-2", "lng": "3"}
    assert found(router, "/flights/LHR.JFK")[1] == {"from": "LHR", "to": "JFK"}
    assert found(router, "/at/12h30m")[1] == {"hour": "12", "minute": "30"}
    assert router.find("GET", "/at/12h3xm") is None


def test_regex_parameters() -> None:
    router = build("/img/:file(^\\d+).png", "/img/:name", "/n/:id(^\\d+$)")
    assert found(router, "/img/12.png") == ("/img/:file(^\\d+).png", {"file": "12"})
    assert found(router, "/img/ab.png") == ("/img/:name", {"name": "ab.png"})
    assert found(router, "/n/12")[1] == {"id": "12"}
    assert router.find("GET", "/n/1a") is None


def test_regex_with_inner_groups_keeps_param_alignment() -> None:
    router = build("/v/:kind(^(a|b)+)-:rest")
    assert found(router, "/v/abab-x")[1] == {"kind": "abab", "rest": "x"}


def test_regex_node_beats_plain_node_and_longer_suffix_first() -> None:
    router = build("/foo/:bar", "/foo/:bar(123)", "/foo/:b.png", "/foo/:c.png.png")
    assert found(router, "/foo/value")[0] == "/foo/:bar"
    assert found(router, "/foo/123")[0] == "/foo/:bar(123)"
    assert found(router, "/foo/v.png")[0] == "/foo/:b.png"
    assert found(router, "/foo/v.png.png") == ("/foo/:c.png.png", {"c": "v"})


def test_different_regexes_are_different_routes() -> None:
    router = build("/foo/:bar(123).png", "/foo/:bar(456).jpeg")
    assert found(router, "/foo/123.png")[0] == "/foo/:bar(123).png"
    assert found(router, "/foo/456.jpeg")[0] == "/foo/:bar(456).jpeg"


def test_double_colon_is_a_literal_colon() -> None:
    router = build("/name::verb", "/a/:id::b")
    assert found(router, "/name:verb") == ("/name::verb", {})
    assert found(router, "/a/x:b")[1] == {"id": "x"}
    assert router.find("GET", "/nameverb") is None


def test_optional_last_parameter() -> None:
    router = build("/opt/:id?")
    assert found(router, "/opt/1")[1] == {"id": "1"}
    assert found(router, "/opt")[1] == {}
    root = build("/:id?")
    assert found(root, "/")[1] == {}
    assert found(root, "/x")[1] == {"id": "x"}


def test_optional_parameter_followed_by_slash() -> None:
    router = build("/a/:id?/")
    assert found(router, "/a/1/")[1] == {"id": "1"}
    assert found(router, "/a/")[1] == {}


# --- options -------------------------------------------------------------------------------


def test_case_sensitive_by_default() -> None:
    router = build("/woo")
    assert router.find("GET", "/WOO") is None


def test_case_insensitive_keeps_param_case() -> None:
    router = build(
        "/Foo/bar/:param", "/foo/my-:p", "/x/:a-:b", "/w/*", "/f/:n.PNG", case_sensitive=False
    )
    assert found(router, "/FOO/BAR/baZ")[1] == {"param": "baZ"}
    assert found(router, "/Foo/MY-bAR")[1] == {"p": "bAR"}
    assert found(router, "/X/My-bAR")[1] == {"a": "My", "b": "bAR"}
    assert found(router, "/W/baR")[1] == {"*": "baR"}
    assert found(router, "/f/Img.png")[1] == {"n": "Img"}


def test_case_insensitive_with_length_changing_lowercase() -> None:
    router = build("/a/:x/b", case_sensitive=False)
    assert found(router, "/A/\u0130x/B")[1] == {"x": "\u0130x"}


def test_ignore_trailing_slash() -> None:
    router = build("/foo", "/bar/", "/p/:id/", ignore_trailing_slash=True)
    assert found(router, "/foo/")[0] == "/foo"
    assert found(router, "/foo")[0] == "/foo"
    assert found(router, "/bar")[0] == "/bar/"
    assert found(router, "/p/1/")[1] == {"id": "1"}
    with pytest.raises(errors.LST_ERR_DUPLICATED_ROUTE):
        router.on("GET", "/foo/", "again")


def test_trailing_slash_is_significant_by_default() -> None:
    router = build("/foo")
    assert router.find("GET", "/foo/") is None


def test_ignore_duplicate_slashes() -> None:
    router = build("//a//b", "/c/:id", ignore_duplicate_slashes=True)
    assert found(router, "/a/b")[0] == "//a//b"
    assert found(router, "///a///b")[0] == "//a//b"
    assert found(router, "//c//1")[1] == {"id": "1"}


def test_duplicate_slashes_are_significant_by_default() -> None:
    router = build("/a/b", "/c/:id")
    assert router.find("GET", "/a//b") is None
    assert router.find("GET", "/c//1") is None


def test_max_param_length() -> None:
    router = build("/p/:id", "/r/:id(^\\w+).png", "/w/*", max_param_length=5)
    assert found(router, "/p/12345")[1] == {"id": "12345"}
    assert router.find("GET", "/p/123456") is None
    assert router.find("GET", "/r/123456.png") is None
    assert found(router, "/w/1234567890")[1] == {"*": "1234567890"}


def test_too_long_param_backtracks_to_a_sibling() -> None:
    router = build("/p/:id", "/p/*", max_param_length=3)
    assert found(router, "/p/1234") == ("/p/*", {"*": "1234"})


def test_default_max_param_length_is_100() -> None:
    router = build("/p/:id")
    assert router.find("GET", "/p/" + "a" * 100) is not None
    assert router.find("GET", "/p/" + "a" * 101) is None


# --- percent-decoding ----------------------------------------------------------------------


def test_params_are_percent_decoded_after_extraction() -> None:
    router = build("/users/:id", "/files/*", "/m/:a-:b")
    assert found(router, "/users/a%2Fb")[1] == {"id": "a/b"}
    assert found(router, "/users/a%2fb")[1] == {"id": "a/b"}
    assert found(router, "/users/caf%C3%A9")[1] == {"id": "café"}
    assert found(router, "/users/100%25")[1] == {"id": "100%"}
    assert found(router, "/users/%252F")[1] == {"id": "%2F"}
    assert found(router, "/users/a%20b%3Fc%23")[1] == {"id": "a b?c#"}
    assert found(router, "/files/a%2Fb/c")[1] == {"*": "a/b/c"}
    assert found(router, "/m/x%2Dy-z")[1] == {"a": "x-y", "b": "z"}


def test_encoded_slash_is_not_a_separator() -> None:
    router = build("/a/b", "/a/:x")
    assert router.find("GET", "/a%2Fb") is None
    assert found(router, "/a/b%2Fc")[1] == {"x": "b/c"}


def test_static_parts_match_their_decoded_route() -> None:
    router = build("/café", "/a b/:id", "/100%", "/x:y/z")
    assert found(router, "/caf%C3%A9")[0] == "/café"
    assert found(router, "/café")[0] == "/café"
    assert found(router, "/a%20b/1")[1] == {"id": "1"}
    assert found(router, "/100%25")[0] == "/100%"
    assert found(router, "/x%3Ay/z")[0] == "/x:y/z"
    assert found(router, "/%61%20b/2")[1] == {"id": "2"}


def test_regex_sees_decoded_value() -> None:
    router = build("/r/:name(^a b$)")
    assert found(router, "/r/a%20b")[1] == {"name": "a b"}


@pytest.mark.parametrize(
    "path",
    [
        "/users/%zz",
        "/users/%",
        "/users/%2",
        "/users/%E0%A4",
        "/users/%C3%28",
        "/users/%FF",
        "/users/%ED%A0%80",
        "/%zz/static",
    ],
)
def test_bad_encodings_raise_bad_url(path: str) -> None:
    router = build("/users/:id", "/%zz/static")
    with pytest.raises(errors.LST_ERR_BAD_URL) as caught:
        router.find("GET", path)
    assert caught.value.status_code == 400


def test_router_keeps_working_after_bad_url() -> None:
    router = build("/users/:id")
    with pytest.raises(errors.LST_ERR_BAD_URL):
        router.find("GET", "/users/%zz")
    assert found(router, "/users/1")[1] == {"id": "1"}


# --- registration errors -------------------------------------------------------------------


def test_duplicate_routes_raise() -> None:
    router = build("/foo/:bar", "/static")
    with pytest.raises(errors.LST_ERR_DUPLICATED_ROUTE):
        router.on("GET", "/foo/:baz", "x")
    with pytest.raises(errors.LST_ERR_DUPLICATED_ROUTE):
        router.on("GET", "/static", "x")
    router.on("POST", "/static", "post")
    assert router.find("POST", "/static") == ("post", {})


def test_duplicate_from_optional_expansion() -> None:
    router = build("/a")
    with pytest.raises(errors.LST_ERR_DUPLICATED_ROUTE):
        router.on("GET", "/a/:id?", "x")
    assert router.find("GET", "/a/1") is None


@pytest.mark.parametrize(
    "path",
    [
        "",
        "foo",
        "/a/*/b",
        "/a/:",
        "/a/:/b",
        "/a/{}",
        "/a/{id",
        "/a/id}",
        "/a/:id(\\d+",
        "/a/:id([)",
        "/a/:a:b",
        "/a/{a}{b}",
        "/a/:id?/b",
        "/a/:x/:x",
        "/a/:x*",
    ],
)
def test_invalid_paths_raise(path: str) -> None:
    with pytest.raises(errors.LST_ERR_ROUTER_INVALID_PATH):
        build(path)


def test_non_string_path_raises_invalid_url() -> None:
    router: Router[str] = Router()
    with pytest.raises(errors.LST_ERR_INVALID_URL):
        router.on("GET", 42, "x")  # type: ignore[arg-type]


def test_adjacent_params_allowed_after_a_regex() -> None:
    router = build("/a/:x(^\\d+):y")
    assert found(router, "/a/12ab")[1] == {"x": "12", "y": "ab"}


# --- off, find_route, has_route, routes ----------------------------------------------------


def test_off_removes_a_route() -> None:
    router = build("/a", "/a/:id", "/b/*")
    router.off("GET", "/a/:id")
    assert router.find("GET", "/a/1") is None
    assert found(router, "/a")[0] == "/a"
    router.off("GET", "/b/*")
    assert router.find("GET", "/b/x") is None


def test_off_with_and_without_constraints() -> None:
    router: Router[str] = Router()
    router.on("GET", "/", "plain")
    router.on("GET", "/", "v1", {"version": "1.0.0"})
    router.off("GET", "/", {})
    assert router.find("GET", "/") is None
    assert router.find("GET", "/", {"accept-version": "1.x"}) == ("v1", {})
    router.off("GET", "/")
    assert list(router.routes()) == []


def test_off_optional_removes_both_forms() -> None:
    router = build("/o/:id?")
    router.off("GET", "/o/:id?")
    assert router.find("GET", "/o") is None
    assert router.find("GET", "/o/1") is None


def test_find_route_by_pattern() -> None:
    router: Router[str] = Router()
    router.on("GET", "/:param1-:param2", "multi")
    router.on("GET", "/x/:id", "x")
    router.on("GET", "/v", "v", {"version": "1.2.3"})
    record = router.find_route("GET", "/x/:other")
    assert record is not None
    assert record.store == "x"
    assert record.params == ("id",)
    assert record.path == "/x/:id"
    multi = router.find_route("GET", "/:param1-:param2")
    assert multi is not None
    assert multi.params == ("param1", "param2")
    assert router.find_route("GET", "/x") is None
    assert router.find_route("POST", "/x/:id") is None
    assert router.find_route("GET", "/v") is None
    assert router.has_route("GET", "/v", {"version": "1.2.3"})
    assert not router.has_route("GET", "/nope")
    assert not router.has_route("GET", "bad path")


def test_find_route_wildcard_and_regex() -> None:
    router = build("/w/*", "/r/:id(^\\d+)")
    wildcard = router.find_route("GET", "/w/*")
    assert wildcard is not None
    assert wildcard.params == ("*",)
    assert router.has_route("GET", "/r/:x(^\\d+)")
    assert not router.has_route("GET", "/r/:x(^\\w+)")


def test_routes_iterates_in_registration_order() -> None:
    router: Router[str] = Router()
    router.on("GET", "/a", "a")
    router.on("POST", "/b/:id?", "b", {"host": "x.io"})
    listed = [(r.method, r.path, r.store, r.params, dict(r.constraints)) for r in router.routes()]
    assert listed == [
        ("GET", "/a", "a", (), {}),
        ("POST", "/b/:id", "b", ("id",), {"host": "x.io"}),
        ("POST", "/b", "b", (), {"host": "x.io"}),
    ]


# --- pretty print --------------------------------------------------------------------------


def test_pretty_print_empty() -> None:
    assert Router().pretty_print() == "(empty tree)"


def test_pretty_print_static_and_parametric() -> None:
    router: Router[str] = Router()
    router.on("GET", "/test", "a")
    router.on("GET", "/test/:hello", "b")
    router.on("POST", "/test/:hello", "c")
    router.on("GET", "/hello/:world", "d")
    assert router.pretty_print() == (
        "└── /\n"
        "    ├── test (GET)\n"
        "    │   └── /\n"
        "    │       └── :hello (GET, POST)\n"
        "    └── hello/\n"
        "        └── :world (GET)\n"
    )


def test_pretty_print_regex_nodes_in_priority_order() -> None:
    router = build(
        "/static",
        "/static/:param/suffix1",
        "/static/:param(123)/suffix2",
        "/static/:param(123).end/suffix3",
        "/static/:param1(123).:param2(456)/suffix4",
    )
    assert router.pretty_print() == (
        "└── /\n"
        "    └── static (GET)\n"
        "        └── /\n"
        "            ├── :param(123).end\n"
        "            │   └── /suffix3 (GET)\n"
        "            ├── :param(123)\n"
        "            │   └── /suffix2 (GET)\n"
        "            ├── :param1(123).:param2(456)\n"
        "            │   └── /suffix4 (GET)\n"
        "            └── :param\n"
        "                └── /suffix1 (GET)\n"
    )


def test_pretty_print_constraints_and_flat_layout() -> None:
    router: Router[str] = Router()
    router.on("GET", "/test", "a")
    router.on("GET", "/test", "b", {"host": "auth.fastify.io"})
    router.on("GET", "/test/:hello", "c")
    router.on("PUT", "/test/:hello", "d")
    router.on("GET", "/test/:hello", "e", {"version": "1.1.2"})
    assert router.pretty_print(common_prefix=False) == (
        "└── /test (GET)\n"
        '    /test (GET) {"host":"auth.fastify.io"}\n'
        "    └── /:hello (GET, PUT)\n"
        '        /:hello (GET) {"version":"1.1.2"}\n'
    )


def test_pretty_print_wildcard_root_and_method_filter() -> None:
    router: Router[str] = Router()
    router.on("GET", "*", "all")
    router.on("GET", "/test/hello", "a")
    router.on("PUT", "/update", "b")
    assert router.pretty_print() == (
        "└── (empty root node)\n"
        "    ├── /\n"
        "    │   ├── test/hello (GET)\n"
        "    │   └── update (PUT)\n"
        "    └── * (GET)\n"
    )
    assert router.pretty_print("PUT") == "└── /\n    └── update (PUT)\n"
