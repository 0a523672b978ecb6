"""``Request``: every attribute, headers, and the ``trust_proxy`` variants."""

import pytest
from lesto import Lesto


def addresses(request, reply):
    return {
        "ip": request.ip,
        "ips": request.ips,
        "host": request.host,
        "hostname": request.hostname,
        "port": request.port,
        "protocol": request.protocol,
    }


async def test_request_line_attributes():
    app = Lesto()

    @app.get("/users/:id")
    def handler(request, reply):
        return {
            "method": request.method,
            "url": request.url,
            "original_url": request.original_url,
            "params": request.params,
            "query": request.query,
            "body": request.body,
            "id": request.id,
            "raw_type": request.raw["type"],
            "is_aborted": request.is_aborted,
            "validation_error": request.validation_error,
        }

    response = await app.inject(url="/users/a%20b?x=1&x=2&y=")
    assert response.json() == {
        "method": "GET",
        "url": "/users/a%20b?x=1&x=2&y=",
        "original_url": "/users/a%20b?x=1&x=2&y=",
        "params": {"id": "a b"},
        "query": {"x": ["1", "2"], "y": ""},
        "body": None,
        "id": "req-1",
        "raw_type": "http",
        "is_aborted": False,
        "validation_error": None,
    }


async def test_request_ids_count_up_and_come_from_the_header_option():
    app = Lesto()
    app.get("/", lambda request, reply: request.id)
    first, second = (await app.inject(url="/")).body, (await app.inject(url="/")).body
    assert first != second

    app = Lesto(request_id_header="x-request-id")
    app.get("/", lambda request, reply: request.id)
    assert (await app.inject(url="/", headers={"x-request-id": "abc"})).body == "abc"

    app = Lesto(gen_req_id=lambda scope: "generated")
    app.get("/", lambda request, reply: request.id)
    assert (await app.inject(url="/")).body == "generated"


async def test_headers_are_case_insensitive_and_keep_repeats():
    app = Lesto()

    @app.get("/")
    def handler(request, reply):
        headers = request.headers
        return {
            "lower": headers["x-multi"],
            "upper": headers["X-MULTI"],
            "list": headers.getlist("X-Multi"),
            "get": headers.get("x-missing", "default"),
            "in": "X-Single" in headers,
        }

    response = await app.inject(url="/", headers={"X-Multi": ["a", "b"], "x-single": "s"})
    assert response.json() == {
        "lower": "a, b",
        "upper": "a, b",
        "list": ["a", "b"],
        "get": "default",
        "in": True,
    }


async def test_headers_are_read_only():
    app = Lesto()

    def handler(request, reply):
        request.headers["x"] = "1"

    app.get("/", handler)
    assert (await app.inject(url="/")).status_code == 500


async def test_route_options_and_server():
    app = Lesto()

    def plugin(instance, opts):
        instance.decorate("who", "child")
        instance.get(
            "/x",
            lambda request, reply: {
                "who": request.server.who,
                "url": request.route_options.url,
                "config": dict(request.route_options.config),
            },
            config={"a": 1},
        )

    app.register(plugin, prefix="/c")
    assert (await app.inject(url="/c/x")).json() == {
        "who": "child",
        "url": "/c/x",
        "config": {"a": 1},
    }


async def test_log_is_a_child_logger_bound_to_the_request_id():
    import io
    import json

    stream = io.StringIO()
    app = Lesto(logger={"stream": stream}, disable_request_logging=True)
    app.get("/", lambda request, reply: request.log.info("from the handler"))
    await app.inject(url="/")
    (entry,) = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert entry["msg"] == "from the handler"
    assert entry["reqId"] == "req-1"


# --- addresses -----------------------------------------------------------------------------

FORWARDED = {
    "x-forwarded-for": "1.1.1.1, 10.0.0.2",
    "x-forwarded-host": "client.example:8443, proxy.example:9443",
    "x-forwarded-proto": "http, HTTPS",
}


async def _addresses(trust_proxy, remote="10.0.0.1", headers=FORWARDED):
    app = Lesto(trust_proxy=trust_proxy)
    app.get("/", addresses)
    response = await app.inject(url="/", remote_address=remote, headers=headers)
    return response.json()


async def test_trust_proxy_false_ignores_forwarded_headers():
    assert await _addresses(False) == {
        "ip": "10.0.0.1",
        "ips": ["10.0.0.1"],
        "host": "localhost:80",
        "hostname": "localhost",
        "port": 80,
        "protocol": "http",
    }


async def test_trust_proxy_true_believes_every_hop():
    # The nearest X-Forwarded-Host/Proto entry is the one the trusted proxy added.
    assert await _addresses(True) == {
        "ip": "1.1.1.1",
        "ips": ["10.0.0.1", "10.0.0.2", "1.1.1.1"],
        "host": "proxy.example:9443",
        "hostname": "proxy.example",
        "port": 9443,
        "protocol": "https",
    }


@pytest.mark.parametrize(
    ("hops", "ip", "ips"),
    [
        (1, "10.0.0.2", ["10.0.0.1", "10.0.0.2"]),
        (2, "1.1.1.1", ["10.0.0.1", "10.0.0.2", "1.1.1.1"]),
        (5, "1.1.1.1", ["10.0.0.1", "10.0.0.2", "1.1.1.1"]),
    ],
)
async def test_trust_proxy_hop_count(hops, ip, ips):
    seen = await _addresses(hops)
    assert (seen["ip"], seen["ips"]) == (ip, ips)


@pytest.mark.parametrize(
    ("trusted", "ip"),
    [
        ("10.0.0.0/8", "1.1.1.1"),
        (["10.0.0.1"], "10.0.0.2"),
        ("10.0.0.1, 10.0.0.2", "1.1.1.1"),
        (["127.0.0.1/32"], "10.0.0.1"),
    ],
)
async def test_trust_proxy_addresses_and_cidr_lists(trusted, ip):
    assert (await _addresses(trusted))["ip"] == ip


async def test_trust_proxy_untrusted_peer_cannot_forge_host_or_protocol():
    seen = await _addresses(["192.168.0.0/16"])
    assert (seen["ip"], seen["host"], seen["protocol"]) == ("10.0.0.1", "localhost:80", "http")


async def test_trust_proxy_callable():
    calls = []

    def trust(address, hop):
        calls.append((address, hop))
        return address.startswith("10.")

    seen = await _addresses(trust)
    assert seen["ip"] == "1.1.1.1"
    assert seen["protocol"] == "https"
    assert ("10.0.0.1", 0) in calls
    assert ("10.0.0.2", 1) in calls


async def test_trust_proxy_ipv6():
    seen = await _addresses("::1", remote="::1", headers={"x-forwarded-for": "2001:db8::1"})
    assert (seen["ip"], seen["ips"]) == ("2001:db8::1", ["::1", "2001:db8::1"])


async def test_host_without_forwarding():
    app = Lesto()
    app.get("/", addresses)
    plain = (await app.inject(url="http://example.com:8080/")).json()
    assert (plain["host"], plain["hostname"], plain["port"]) == (
        "example.com:8080",
        "example.com",
        8080,
    )
    ipv6 = (await app.inject(url="http://[::1]:9000/")).json()
    assert (ipv6["host"], ipv6["hostname"], ipv6["port"]) == ("[::1]:9000", "[::1]", 9000)
    https = (await app.inject(url="https://secure.example/")).json()
    assert (https["protocol"], https["port"]) == ("https", 443)
