"""Regressions found by the reliability suite (reliability/, docs/reliability.md).

Each test names the case that found the bug.
"""

from lesto import Lesto


async def test_bad_escape_on_a_method_without_routes_is_400_not_a_crash():
    """Router fuzzing: ``DELETE /%`` raised LST_ERR_BAD_URL out of the not-found lookup."""
    app = Lesto()
    app.get("/items/:id", lambda request, reply: request.params)
    for method in ("DELETE", "POST", "GET"):
        response = await app.inject(method=method, url="/%")
        assert response.status_code == 400
        assert response.json()["code"] == "LST_ERR_BAD_URL"
    assert (await app.inject(url="/items/1")).json() == {"id": "1"}


async def test_json_nested_past_the_reply_serialiser_is_400_not_500():
    """JSON body fuzzing: 255-1024 levels parsed, then echoing the body failed with a 500."""
    app = Lesto()
    app.post("/echo", lambda request, reply: {"body": request.body})

    async def post(depth):
        return await app.inject(
            method="POST",
            url="/echo",
            body=b"[" * depth + b"]" * depth,
            headers={"content-type": "application/json"},
        )

    ok = await post(128)
    assert ok.status_code == 200
    for depth in (129, 255, 1000, 1024):
        refused = await post(depth)
        assert refused.status_code == 400
        assert refused.json()["code"] == "LST_ERR_CTP_INVALID_JSON_BODY"
    wide = b"[" + b'"[[[[",' * 300 + b"1]"  # brackets inside strings do not count
    response = await app.inject(
        method="POST", url="/echo", body=wide, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200
