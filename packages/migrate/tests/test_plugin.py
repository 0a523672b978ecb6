"""The Lesto plugin migrates during start-up."""

from __future__ import annotations

import lesto_migrate
import pytest
from lesto import Lesto
from lesto_migrate.errors import LST_MIGRATE_ERR_BAD_OPTION, LST_MIGRATE_ERR_FAILED

FILES = {
    "001.do.create-users-table.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
    "002.do.seed.sql": "INSERT INTO users (id, name) VALUES (1, 'ada');",
}


async def test_register_migrates_to_max_before_ready(postgres_url, write, fetch):
    app = Lesto()
    app.register(lesto_migrate.plugin, url=postgres_url, directory=str(write(FILES)))
    seen = []

    async def after_migrations(app, opts):
        seen.extend(await fetch(postgres_url, "SELECT name FROM users"))

    app.register(after_migrations)
    await app.ready()
    await app.close()
    assert seen == [("ada",)]


async def test_target_and_an_existing_connection(sqlite_url, write, fetch):
    import sqlite3

    conn = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    app = Lesto()
    app.register(lesto_migrate.plugin, connection=conn, directory=write(FILES), target=1)
    await app.ready()
    await app.close()
    assert conn.execute("SELECT version FROM schemaversion").fetchall() == [(1,)]
    conn.close()


@pytest.mark.parametrize(
    "opts",
    [
        {"directory": "m"},
        {"url": "sqlite:///x.db", "connection": object(), "directory": "m"},
        {"url": "sqlite:///x.db"},
        {"url": "sqlite:///x.db", "directory": "m", "dir": "m"},
    ],
)
async def test_bad_options_fail_start_up(opts):
    app = Lesto()
    app.register(lesto_migrate.plugin, **opts)
    with pytest.raises(LST_MIGRATE_ERR_BAD_OPTION):
        await app.ready()


async def test_a_failed_migration_fails_start_up(sqlite_url, write):
    app = Lesto()
    folder = write({"001.do.bad.sql": "SELECT * FROM nowhere;"})
    app.register(lesto_migrate.plugin, url=sqlite_url, directory=folder)
    with pytest.raises(LST_MIGRATE_ERR_FAILED):
        await app.ready()
