"""Routes declared after a plugin that is not loaded yet wait for it (Fastify's order)."""

import pytest
from lesto import Lesto, errors, plugin


@plugin(name="marker")
def marker(app, opts):
    def on_route(route_options):
        if route_options["config"].get("mark"):
            route_options["pre_handler"].append(lambda request, reply: reply.header("x-mark", "1"))

    app.add_hook("on_route", on_route)
    app.decorate("greeting", "hi")


def handler(request, reply):
    return request.server.greeting


async def test_on_route_hook_of_a_plugin_registered_just_before_applies():
    app = Lesto()
    app.register(marker)
    app.get("/", handler, config={"mark": True})
    response = await app.inject(url="/")
    assert (response.status_code, response.body, response.headers.get("x-mark")) == (200, "hi", "1")


async def test_a_duplicate_behind_a_pending_plugin_fails_at_ready():
    app = Lesto()
    app.get("/", handler)
    app.register(marker)
    app.get("/", handler)
    with pytest.raises(errors.LST_ERR_DUPLICATED_ROUTE):
        await app.ready()


def test_without_pending_plugins_a_route_is_checked_at_once():
    app = Lesto()
    app.get("/", handler)
    with pytest.raises(errors.LST_ERR_DUPLICATED_ROUTE):
        app.get("/", handler)


async def test_route_inside_a_plugin_waits_for_its_own_earlier_registrations():
    app = Lesto()

    def routes(instance, opts):
        instance.register(marker)
        instance.get("/inner", handler, config={"mark": True})

    app.register(routes, prefix="/v1")
    response = await app.inject(url="/v1/inner")
    assert (response.status_code, response.headers.get("x-mark")) == (200, "1")


async def test_a_wildcard_under_a_prefix_also_matches_the_prefix_itself():
    app = Lesto()

    def routes(instance, opts):
        instance.get("*", lambda request, reply: request.params["*"])

    app.register(routes, prefix="/v1")
    assert (await app.inject(url="/v1")).body == ""
    assert (await app.inject(url="/v1/a/b")).body == "/a/b"
    assert (await app.inject(url="/v2")).status_code == 404
