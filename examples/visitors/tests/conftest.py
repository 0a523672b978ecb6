"""Fixtures: the application built with a test configuration, on real servers from lesto-testing."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the example's folder

from lesto import Lesto
from visitors import AppConfig, build_app
from visitors.config import database_in_url


@pytest.fixture
def config(mongodb_url: str, postgres_url: str, redis_url: str, mysql_url: str) -> AppConfig:
    """A test configuration: fresh databases for this test, no log output."""
    return AppConfig(
        mongodb_url=mongodb_url,
        mongodb_database=database_in_url(mongodb_url) or "visitors",
        postgres_url=postgres_url,
        redis_url=redis_url,
        mysql_url=mysql_url,
        health_timeout=2.0,
        log_level="silent",
    )


@pytest.fixture
async def app(config: AppConfig) -> AsyncIterator[Lesto]:
    """The application, readied (migrations applied), closed after the test."""
    application = build_app(config)
    await application.ready()
    yield application
    await application.close()
