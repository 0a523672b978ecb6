"""Shared helpers for lesto-warnings tests."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest


@pytest.fixture
def recorded() -> Iterator[list[warnings.WarningMessage]]:
    """Every warning emitted inside the test, with all filters set to ``always``."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        yield seen
