"""Fake usernames: a visitor is shown as a made-up name, never a real one (as in the seed)."""

from __future__ import annotations

import hashlib

__all__ = ["fake_username"]

_ADJECTIVES = (
    "brave", "calm", "clever", "eager", "gentle", "happy", "jolly", "lucky",
    "mighty", "nimble", "quiet", "rapid", "shy", "sunny", "witty", "zesty",
)  # fmt: skip
_ANIMALS = (
    "badger", "crane", "dolphin", "falcon", "fox", "gecko", "heron", "koala",
    "lynx", "otter", "panda", "quokka", "raven", "seal", "tiger", "wombat",
)  # fmt: skip


def fake_username(user_id: str) -> str:
    """A stable made-up name for ``user_id``: ``"witty-otter-42"``."""
    digest = hashlib.sha256(user_id.encode()).digest()
    adjective = _ADJECTIVES[digest[0] % len(_ADJECTIVES)]
    animal = _ANIMALS[digest[1] % len(_ANIMALS)]
    return f"{adjective}-{animal}-{digest[2] % 100}"
