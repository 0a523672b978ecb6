"""Routes at the HTTP level: declaring them, the router's syntax, prefixes, options."""

import re

import pytest
from lesto import Lesto, errors


def ok(request, reply):
    return {"params": request.params}


# --- declaring routes ------------------------------------------------------------------------


async def test_shorthands_work_as_decorators_and_as_calls():
    app = Lesto()

    @app.get("/deco")
    async def deco(request, reply):
        return "decorated"

    returned = app.post("/call", lambda request, reply: "called")
    assert callable(returned)
    for method in ("put", "patch", "delete", "options"):
        getattr(app, method)("/m", lambda request, reply: request.method)
    assert deco.__name__ == "deco"  # the decorator gives the function back

    assert (await app.inject(url="/deco")).body == "decorated"
    assert (await app.inject(method="POST", url="/call")).body == "called"
    for method in ("PUT", "PATCH", "DELETE", "OPTIONS"):
        response = await app.inject(method=method, url="/m")
        assert (response.status_code, response.body) == (200, method)


async def test_route_takes_every_option_by_keyword():
    app = Lesto()
    app.route(method=["GET", "POST"], url="/both", handler=lambda request, reply: request.method)

    assert (await app.inject(url="/both")).body == "GET"
    assert (await app.inject(method="POST", url="/both")).body == "POST"


async def test_head_shorthand_and_explicit_head_route_win_over_the_generated_one():
    app = Lesto()
    app.get("/x", lambda request, reply: "get")

    def head(request, reply):
        reply.header("x-head", "explicit")

    app.head("/x", head)
    response = await app.inject(method="HEAD", url="/x")
    assert response.status_code == 200
    assert response.headers["x-head"] == "explicit"


async def test_all_answers_every_known_method():
    app = Lesto()
    app.all("/any", lambda request, reply: request.method)
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "QUERY", "TRACE"):
        response = await app.inject(method=method, url="/any")
        assert (response.status_code, response.body) == (200, method)


async def test_add_http_method_with_and_without_body():
    app = Lesto()
    app.add_http_method("propfind", has_body=True)
    app.add_http_method("MKCOL")
    app.route(method="PROPFIND", url="/dav", handler=lambda request, reply: {"b": request.body})
    app.route(method="MKCOL", url="/dav", handler=lambda request, reply: {"b": request.body})

    sent = {"method": "PROPFIND", "url": "/dav", "payload": {"depth": 1}}
    assert (await app.inject(**sent)).json() == {"b": {"depth": 1}}
    sent["method"] = "MKCOL"
    assert (await app.inject(**sent)).json() == {"b": None}  # not parsed


def test_add_http_method_refuses_a_non_token():
    app = Lesto()
    with pytest.raises(errors.LST_ERR_ROUTE_METHOD_INVALID):
        app.add_http_method("BAD METHOD")


def test_unknown_method_is_refused():
    app = Lesto()
    with pytest.raises(errors.LST_ERR_ROUTE_METHOD_NOT_SUPPORTED):
        app.route(method="PROPFIND", url="/", handler=ok)
    with pytest.raises(errors.LST_ERR_ROUTE_METHOD_INVALID):
        app.route(method=3, url="/", handler=ok)


def test_duplicate_route_fails_at_once():
    app = Lesto()
    app.get("/users/:id", ok)
    with pytest.raises(errors.LST_ERR_DUPLICATED_ROUTE) as caught:
        app.get("/users/{id}", ok)
    assert caught.value.code == "LST_ERR_DUPLICATED_ROUTE"


def test_route_option_errors():
    app = Lesto()
    with pytest.raises(errors.LST_ERR_ROUTE_OPTION_UNKNOWN):
        app.get("/", ok, auth=True)
    with pytest.raises(errors.LST_ERR_ROUTE_MISSING_HANDLER):
        app.route(method="GET", url="/")
    with pytest.raises(errors.LST_ERR_INVALID_URL):
        app.get("no-slash", ok)
    with pytest.raises(errors.LST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT):
        app.post("/", ok, body_limit=-1)
    with pytest.raises(errors.LST_ERR_ROUTE_OPTION_INVALID):
        app.get("/", ok, config=[1])
    with pytest.raises(errors.LST_ERR_ROUTE_OPTION_INVALID):
        app.get("/", ok, log_level="loud")
    with pytest.raises(errors.LST_ERR_ROUTE_OPTION_INVALID):
        app.get("/", ok, prefix_trailing_slash="sometimes")
    with pytest.raises(errors.LST_ERR_HOOK_INVALID_SIGNATURE):
        app.get("/", ok, pre_handler=lambda request: None)


async def test_no_route_after_start():
    app = Lesto()
    await app.ready()
    with pytest.raises(errors.LST_ERR_INSTANCE_ALREADY_LISTENING):
        app.get("/late", ok)


# --- the router's syntax ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "url", "params"),
    [
        ("/users/:id", "/users/42", {"id": "42"}),
        ("/users/{id}", "/users/42", {"id": "42"}),
        ("/geo/:lat-:lng", "/geo/1.5-2.5", {"lat": "1.5", "lng": "2.5"}),
        ("/file/:name(^\\d+).png", "/file/12.png", {"name": "12"}),
        ("/opt/:id?", "/opt", {}),
        ("/opt/:id?", "/opt/3", {"id": "3"}),
        ("/wild/*", "/wild/a/b", {"*": "a/b"}),
        ("/name/:n", "/name/a%20b%2Fc", {"n": "a b/c"}),
    ],
)
async def test_parametric_routes(pattern, url, params):
    app = Lesto()
    app.get(pattern, ok)
    response = await app.inject(url=url)
    assert response.status_code == 200
    assert response.json() == {"params": params}


async def test_regex_param_that_does_not_match_is_404():
    app = Lesto()
    app.get("/file/:name(^\\d+).png", ok)
    assert (await app.inject(url="/file/ab.png")).status_code == 404


async def test_double_colon_is_a_literal_colon():
    app = Lesto()
    app.get("/a::b", lambda request, reply: "colon")
    assert (await app.inject(url="/a:b")).body == "colon"


async def test_static_beats_parametric_beats_wildcard():
    app = Lesto()
    app.get("/x/static", lambda request, reply: "static")
    app.get("/x/:id", lambda request, reply: "param")
    app.get("/x/*", lambda request, reply: "wildcard")
    assert (await app.inject(url="/x/static")).body == "static"
    assert (await app.inject(url="/x/other")).body == "param"
    assert (await app.inject(url="/x/a/b")).body == "wildcard"


async def test_router_options():
    app = Lesto(
        case_sensitive=False,
        ignore_trailing_slash=True,
        ignore_duplicate_slashes=True,
        max_param_length=5,
    )
    app.get("/Users/:id", ok)
    assert (await app.inject(url="/users/1/")).status_code == 200
    assert (await app.inject(url="//USERS//1")).status_code == 200
    assert (await app.inject(url="/users/123456")).status_code == 404


async def test_case_sensitive_by_default():
    app = Lesto()
    app.get("/Users", ok)
    assert (await app.inject(url="/users")).status_code == 404
    assert (await app.inject(url="/Users/")).status_code == 404


async def test_overlong_param_is_not_found():
    app = Lesto()
    app.get("/p/:id", ok)
    assert (await app.inject(url="/p/" + "a" * 100)).status_code == 200
    response = await app.inject(url="/p/" + "a" * 101)
    assert response.status_code == 404
    assert response.json()["code"] == "LST_ERR_NOT_FOUND"


async def test_bad_percent_encoding_is_400_bad_url():
    app = Lesto()
    app.get("/p/:id", ok)
    for url in ("/p/%zz", "/p/%E0%A4%A", "/p/%C3%28"):
        response = await app.inject(url=url)
        assert response.status_code == 400
        assert response.json()["code"] == "LST_ERR_BAD_URL"


# --- HEAD --------------------------------------------------------------------------------------


async def test_head_answered_for_every_get_route_without_a_body():
    app = Lesto()
    app.get("/text", lambda request, reply: "hello")
    response = await app.inject(method="HEAD", url="/text")
    assert response.status_code == 200
    assert response.raw_payload == b""
    assert response.headers["content-length"] == "5"
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


async def test_expose_head_routes_off_app_wide_and_per_route():
    app = Lesto(expose_head_routes=False)
    app.get("/off", ok)
    app.get("/on", ok, expose_head_route=True)
    assert (await app.inject(method="HEAD", url="/off")).status_code == 404
    assert (await app.inject(method="HEAD", url="/on")).status_code == 200

    app = Lesto()
    app.get("/off", ok, expose_head_route=False)
    assert (await app.inject(method="HEAD", url="/off")).status_code == 404


# --- constraints ---------------------------------------------------------------------------


async def test_version_constraint():
    app = Lesto()
    app.get("/v", lambda request, reply: "1.2.0", constraints={"version": "1.2.0"})
    app.get("/v", lambda request, reply: "2.0.0", constraints={"version": "2.0.0"})
    for asked, answer in (("1.x", "1.2.0"), ("2.0.0", "2.0.0"), ("*", "2.0.0")):
        response = await app.inject(url="/v", headers={"accept-version": asked})
        assert response.body == answer
    assert (await app.inject(url="/v", headers={"accept-version": "3.x"})).status_code == 404
    assert (await app.inject(url="/v")).status_code == 404


async def test_host_constraint_string_and_regex():
    app = Lesto()
    app.get("/h", lambda request, reply: "exact", constraints={"host": "example.com"})
    app.get("/h", lambda request, reply: "regex", constraints={"host": re.compile(r".*\.test$")})
    app.get("/h", lambda request, reply: "any")
    for host, answer in (("example.com", "exact"), ("api.test", "regex"), ("other", "any")):
        assert (await app.inject(url="/h", headers={"host": host})).body == answer


class TenantStrategy:
    """A custom constraint: routes per ``X-Tenant`` header."""

    name = "tenant"

    def storage(self):
        entries = {}

        class Store:
            def get(self, value):
                return entries.get(value)

            def set(self, value, entry):
                entries[value] = entry

        return Store()

    def derive_constraint(self, headers, context):
        return headers.get("x-tenant")


async def test_custom_constraint_strategy_from_option_and_method():
    for app in (Lesto(constraints={"tenant": TenantStrategy()}), Lesto()):
        if not app.has_constraint_strategy("tenant"):
            app.add_constraint_strategy(TenantStrategy())
        assert app.has_constraint_strategy("tenant")
        app.get("/t", lambda request, reply: "acme", constraints={"tenant": "acme"})
        app.get("/t", lambda request, reply: "default")
        assert (await app.inject(url="/t", headers={"x-tenant": "acme"})).body == "acme"
        assert (await app.inject(url="/t")).body == "default"


def test_unknown_constraint_is_refused():
    app = Lesto()
    with pytest.raises(errors.LST_ERR_CONSTRAINT_NOT_SUPPORTED):
        app.get("/", ok, constraints={"tenant": "acme"})


# --- prefixes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "with_slash", "without_slash"),
    [("both", 200, 200), ("slash", 200, 404), ("no-slash", 404, 200)],
)
async def test_prefix_trailing_slash(mode, with_slash, without_slash):
    app = Lesto()

    def routes(instance, opts):
        instance.get("/", lambda request, reply: "index", prefix_trailing_slash=mode)

    app.register(routes, prefix="/v1")
    assert (await app.inject(url="/v1/")).status_code == with_slash
    assert (await app.inject(url="/v1")).status_code == without_slash


async def test_prefix_index_with_ignore_trailing_slash_is_not_a_duplicate():
    app = Lesto(ignore_trailing_slash=True)
    app.register(lambda instance, opts: instance.get("/", ok), prefix="/v1")
    assert (await app.inject(url="/v1")).status_code == 200
    assert (await app.inject(url="/v1/")).status_code == 200


async def test_nested_prefixes():
    app = Lesto()

    def users(instance, opts):
        instance.get("/:id", lambda request, reply: request.route_options.url)

    def v1(instance, opts):
        instance.register(users, prefix="users")

    app.register(v1, prefix="/v1")
    assert (await app.inject(url="/v1/users/3")).body == "/v1/users/:id"


# --- route options seen by handlers ----------------------------------------------------------


async def test_route_options_config_and_details():
    app = Lesto()

    def plugin(instance, opts):
        instance.get("/x", lambda request, reply: _options(request), config={"role": "admin"})

    app.register(plugin, prefix="/p")
    assert (await app.inject(url="/p/x")).json() == {
        "config": {"role": "admin"},
        "method": "GET",
        "url": "/p/x",
        "path": "/x",
        "prefix": "/p",
    }


def _options(request):
    options = request.route_options
    return {
        "config": dict(options.config),
        "method": options.method,
        "url": options.url,
        "path": options.path,
        "prefix": options.prefix,
    }


async def test_route_config_is_read_only():
    app = Lesto()

    def mutate(request, reply):
        request.route_options.config["x"] = 1

    app.get("/", mutate, config={})
    assert (await app.inject(url="/")).status_code == 500


async def test_route_level_log_level(tmp_path):
    import io
    import json

    stream = io.StringIO()
    app = Lesto(logger={"stream": stream, "level": "info"})
    app.get("/quiet", lambda request, reply: request.log.info("handler says hi"), log_level="error")
    app.get("/loud", lambda request, reply: request.log.info("handler says hi"))
    await app.inject(url="/quiet")
    assert "handler says hi" not in stream.getvalue()
    await app.inject(url="/loud")
    messages = [json.loads(line)["msg"] for line in stream.getvalue().splitlines()]
    assert "handler says hi" in messages


# --- introspection ---------------------------------------------------------------------------


async def test_has_route_and_find_route():
    app = Lesto()
    app.get("/users/:id", ok, config={"k": 1})
    app.get("/v", ok, constraints={"version": "1.0.0"})
    assert app.has_route("GET", "/users/:id")
    assert app.has_route("get", "/users/:id")
    assert not app.has_route("POST", "/users/:id")
    assert not app.has_route("GET", "/users/42")  # a declared path, not a request path
    assert app.has_route("GET", "/v", {"version": "1.0.0"})
    assert not app.has_route("GET", "/v")
    found = app.find_route("GET", "/users/:id")
    assert found is not None
    assert found.config["k"] == 1
    assert found.handler is ok
    assert app.find_route("GET", "/nope") is None
    await app.ready()
    assert app.has_route("HEAD", "/users/:id")  # added at ready


async def test_print_routes_draws_a_tree():
    app = Lesto()
    app.get("/users/:id", ok)
    app.post("/users", ok)
    app.get("/open", ok)
    await app.ready()
    tree = app.print_routes()
    assert tree.splitlines()[0] == "└── /"
    assert "users (POST)" in tree
    assert ":id (GET, HEAD)" in tree
    assert "open (GET, HEAD)" in tree
    assert "HEAD" not in app.print_routes("GET")
    flat = app.print_routes(common_prefix=False)
    assert "/open (GET, HEAD)" in flat
