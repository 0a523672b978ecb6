"""read_body: streaming the ASGI request body under a hard limit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lesto import errors
from lesto.body import RequestAborted, parse_content_length, read_body

Message = dict[str, Any]


class Client:
    """An ASGI ``receive`` over a fixed list of messages; counts what was read."""

    def __init__(self, messages: list[Message]) -> None:
        self.messages = messages
        self.read = 0

    async def __call__(self) -> Message:
        message = self.messages[self.read]
        self.read += 1
        return message


def chunks(*parts: bytes) -> Client:
    """A client sending ``parts`` as ``http.request`` messages, the last one final."""
    last = len(parts) - 1
    return Client(
        [
            {"type": "http.request", "body": part, "more_body": index < last}
            for index, part in enumerate(parts)
        ]
    )


def never_called() -> Callable[[], Awaitable[Message]]:
    async def receive() -> Message:
        raise AssertionError("receive() must not be called")

    return receive


async def test_single_message_fast_path_returns_the_same_object() -> None:
    payload = b'{"hello": "world"}'
    client = chunks(payload)
    body = await read_body(client, limit=1024, content_length=len(payload))
    assert body is payload
    assert client.read == 1


async def test_several_chunks_are_joined() -> None:
    client = chunks(b"ab", b"", b"cd", b"e")
    assert await read_body(client, limit=10, content_length=5) == b"abcde"
    assert client.read == 4


async def test_chunked_upload_without_content_length() -> None:
    assert await read_body(chunks(b"ab", b"cd"), limit=10, content_length=None) == b"abcd"
    assert await read_body(chunks(b"abcd"), limit=10, content_length=None) == b"abcd"


async def test_one_non_empty_chunk_among_empty_ones_is_not_copied() -> None:
    payload = b"x" * 100
    body = await read_body(chunks(b"", payload, b""), limit=1000, content_length=100)
    assert body is payload


async def test_empty_body() -> None:
    assert await read_body(chunks(b""), limit=10, content_length=0) == b""
    assert await read_body(chunks(b""), limit=10, content_length=None) == b""
    assert await read_body(Client([{"type": "http.request"}]), limit=10, content_length=None) == (
        b""
    )


async def test_body_exactly_at_the_limit_is_accepted() -> None:
    assert await read_body(chunks(b"12345"), limit=5, content_length=5) == b"12345"
    assert await read_body(chunks(b"123", b"45"), limit=5, content_length=None) == b"12345"


async def test_declared_length_over_the_limit_fails_before_reading() -> None:
    with pytest.raises(errors.LST_ERR_CTP_BODY_TOO_LARGE) as info:
        await read_body(never_called(), limit=10, content_length=11)
    assert info.value.status_code == 413
    assert info.value.code == "LST_ERR_CTP_BODY_TOO_LARGE"


async def test_single_chunk_over_the_limit_is_413() -> None:
    with pytest.raises(errors.LST_ERR_CTP_BODY_TOO_LARGE):
        await read_body(chunks(b"x" * 11), limit=10, content_length=None)


async def test_streamed_body_over_the_limit_stops_at_the_chunk_that_crosses_it() -> None:
    client = chunks(b"x" * 4, b"x" * 4, b"x" * 4, b"x" * 4)
    with pytest.raises(errors.LST_ERR_CTP_BODY_TOO_LARGE):
        await read_body(client, limit=10, content_length=None)
    assert client.read == 3


async def test_lying_small_content_length_with_a_big_body_is_rejected_at_once() -> None:
    client = chunks(*([b"x" * 1000] * 100))
    with pytest.raises(errors.LST_ERR_CTP_INVALID_CONTENT_LENGTH):
        await read_body(client, limit=1500, content_length=10)
    assert client.read == 1
    client = chunks(*([b"x" * 1000] * 100))
    with pytest.raises(errors.LST_ERR_CTP_BODY_TOO_LARGE):
        await read_body(client, limit=500, content_length=10)
    assert client.read == 1


async def test_body_longer_than_content_length_is_400() -> None:
    with pytest.raises(errors.LST_ERR_CTP_INVALID_CONTENT_LENGTH) as info:
        await read_body(chunks(b"abcdef"), limit=100, content_length=3)
    assert info.value.status_code == 400
    client = chunks(b"ab", b"cd", b"ef", b"gh")
    with pytest.raises(errors.LST_ERR_CTP_INVALID_CONTENT_LENGTH):
        await read_body(client, limit=100, content_length=3)
    assert client.read == 2


async def test_body_shorter_than_content_length_is_400() -> None:
    with pytest.raises(errors.LST_ERR_CTP_INVALID_CONTENT_LENGTH):
        await read_body(chunks(b"ab"), limit=100, content_length=3)
    with pytest.raises(errors.LST_ERR_CTP_INVALID_CONTENT_LENGTH):
        await read_body(chunks(b"a", b"b"), limit=100, content_length=3)


async def test_disconnect_before_the_end_raises_request_aborted() -> None:
    client = Client(
        [
            {"type": "http.request", "body": b"ab", "more_body": True},
            {"type": "http.disconnect"},
        ]
    )
    with pytest.raises(RequestAborted):
        await read_body(client, limit=100, content_length=10)


async def test_disconnect_as_the_first_message_raises_request_aborted() -> None:
    with pytest.raises(RequestAborted):
        await read_body(Client([{"type": "http.disconnect"}]), limit=100, content_length=None)


def test_request_aborted_is_not_an_http_error() -> None:
    assert not isinstance(RequestAborted(), errors.LestoError)


async def test_unknown_message_types_are_skipped() -> None:
    client = Client(
        [
            {"type": "http.request", "body": b"ab", "more_body": True},
            {"type": "lifespan.startup"},
            {"type": "http.request", "body": b"cd"},
        ]
    )
    assert await read_body(client, limit=10, content_length=4) == b"abcd"


@pytest.mark.parametrize(
    ("value", "expected"), [(None, None), ("0", 0), ("42", 42), (" 7\t", 7), ("007", 7)]
)
def test_parse_content_length(value: str | None, expected: int | None) -> None:
    assert parse_content_length(value) == expected


@pytest.mark.parametrize(
    "value", ["", " ", "-1", "+1", "1.5", "1e3", "0x10", "1_000", "\u0661\u0662", "1, 1"]
)
def test_parse_content_length_rejects_non_numbers(value: str) -> None:
    with pytest.raises(errors.LST_ERR_CTP_INVALID_CONTENT_LENGTH):
        parse_content_length(value)


def test_parse_content_length_with_absurdly_many_digits_is_413() -> None:
    with pytest.raises(errors.LST_ERR_CTP_BODY_TOO_LARGE):
        parse_content_length("9" * 5000)
    assert parse_content_length("9" * 100) == int("9" * 100)


@given(
    st.lists(st.binary(max_size=40), min_size=1, max_size=8),
    st.integers(min_value=0, max_value=200),
    st.one_of(st.none(), st.integers(min_value=0, max_value=300)),
    st.booleans(),
)
async def test_any_stream_gives_the_body_or_a_documented_error(
    parts: list[bytes], limit: int, content_length: int | None, disconnect: bool
) -> None:
    client = chunks(*parts)
    if disconnect:
        client.messages[-1]["more_body"] = True
        client.messages.append({"type": "http.disconnect"})
    total = b"".join(parts)
    try:
        body = await read_body(client, limit=limit, content_length=content_length)
    except errors.LST_ERR_CTP_BODY_TOO_LARGE:
        assert len(total) > limit or (content_length or 0) > limit
        return
    except errors.LST_ERR_CTP_INVALID_CONTENT_LENGTH:
        assert content_length is not None
        return
    except RequestAborted:
        assert disconnect
        return
    assert not disconnect
    assert body == total
    assert len(body) <= limit
    assert content_length is None or len(body) == content_length
