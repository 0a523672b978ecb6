"""The response start of the hand-written ASGI apps: the headers every framework in a
scenario sends (a JSON type with its charset, and Content-Length), so that each app
answers with the same bytes and a ratio measures only the work done to produce them.
Without Content-Length the server would fall back to chunked encoding."""

from typing import Any

JSON_TYPE = (b"content-type", b"application/json; charset=utf-8")


def json_start(status: int, body: bytes) -> dict[str, Any]:
    """The ``http.response.start`` message of a JSON ``body``."""
    return {
        "type": "http.response.start",
        "status": status,
        "headers": [JSON_TYPE, (b"content-length", b"%d" % len(body))],
    }
