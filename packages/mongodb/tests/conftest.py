"""Shared fixtures: each test runs once per driver, against lesto-testing's MongoDB server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import lesto_mongodb
import pytest
from lesto import Lesto

DRIVERS = ("pymongo", "motor")


@pytest.fixture(params=DRIVERS)
def driver(request: pytest.FixtureRequest) -> str:
    """``"pymongo"`` (AsyncMongoClient) or ``"motor"``."""
    return str(request.param)


@pytest.fixture
async def app(mongodb_url: str, driver: str) -> AsyncIterator[Lesto]:
    """A Lesto app with the plugin registered on a fresh database, closed after the test."""
    application = Lesto()
    application.register(lesto_mongodb.plugin, url=mongodb_url, driver=driver)
    yield application
    await application.close()
