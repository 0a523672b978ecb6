"""The plugin migrates through the pool of lesto-postgres or lesto-mysql (``use=``)."""

from __future__ import annotations

import lesto_migrate
import lesto_mysql
import lesto_postgres
import pytest
from lesto import Lesto
from lesto_migrate.errors import LST_MIGRATE_ERR_BAD_OPTION, LST_MIGRATE_ERR_NOT_REGISTERED

PG_FILES = {
    "001.do.create-users.sql": "CREATE TABLE users (id int PRIMARY KEY, name text);",
    "002.do.seed.sql": "INSERT INTO users VALUES (1, 'ada');",
    # which server process (so which connection) ran the migrations
    "003.do.who.sql": "CREATE TABLE who AS SELECT pg_backend_pid() AS pid;",
}
MYSQL_FILES = {
    "001.do.create-users.sql": "CREATE TABLE users (id INT PRIMARY KEY, name TEXT);",
    "002.do.seed.sql": "INSERT INTO users VALUES (1, 'ada');",
    "003.do.who.sql": "CREATE TABLE who AS SELECT CONNECTION_ID() AS id;",
}


async def test_use_pg_migrates_through_the_pool_of_lesto_postgres(postgres_url, write):
    app = Lesto()
    # One connection in the pool: the migrations must have run on it and given it back.
    app.register(lesto_postgres.plugin, url=postgres_url, min_size=1, max_size=1)
    app.register(lesto_migrate.plugin, use="pg", directory=write(PG_FILES))

    @app.get("/users")
    async def users(request, reply):
        return await app.pg.fetch("SELECT id, name FROM users")

    response = await app.inject(method="GET", url="/users")  # loads the plugins first
    assert response.json() == [{"id": 1, "name": "ada"}]
    pool = app.pg.pool
    assert not pool.is_closing()
    assert await app.pg.fetchval("SELECT pid FROM who") == await app.pg.fetchval(
        "SELECT pg_backend_pid()"
    )
    assert await app.pg.fetchval("SELECT max(version) FROM schemaversion") == 3
    await app.close()  # lesto-postgres closes its own pool
    assert pool.is_closing()


async def test_use_mysql_migrates_through_the_pool_of_lesto_mysql(mysql_url, write):
    app = Lesto()
    app.register(lesto_mysql.plugin, url=mysql_url, minsize=1, maxsize=1)
    app.register(lesto_migrate.plugin, use="mysql", directory=write(MYSQL_FILES))
    await app.ready()
    pool = app.mysql.pool
    assert await app.mysql.query("SELECT id, name FROM users") == [{"id": 1, "name": "ada"}]
    same = await app.mysql.query("SELECT CONNECTION_ID() AS id")
    assert await app.mysql.query("SELECT id FROM who") == same
    assert not pool.closed
    await app.close()
    assert pool.closed


async def test_use_mysql_with_a_single_connection_and_autocommit_off(mysql_url, write):
    app = Lesto()
    app.register(lesto_mysql.plugin, url=mysql_url, type="connection", autocommit=False)
    app.register(lesto_migrate.plugin, use="mysql", directory=write(MYSQL_FILES))
    await app.ready()
    connection = app.mysql.connection
    assert not connection.get_autocommit()  # given back as it was lent
    assert await app.mysql.query("SELECT id FROM who") == await app.mysql.query(
        "SELECT CONNECTION_ID() AS id"
    )
    await app.close()


async def test_a_named_instance(postgres_url, mysql_url, write, tmp_path):
    app = Lesto()
    app.register(lesto_postgres.plugin, url=postgres_url, name="primary")
    app.register(lesto_mysql.plugin, url=mysql_url, name="audit")
    app.register(lesto_migrate.plugin, use="pg", instance="primary", directory=write(PG_FILES))
    mysql_folder = tmp_path / "mysql"
    mysql_folder.mkdir()
    for name, text in MYSQL_FILES.items():
        (mysql_folder / name).write_text(text)
    app.register(lesto_migrate.plugin, use="mysql", instance="audit", directory=mysql_folder)
    await app.ready()
    assert await app.pg.primary.fetchval("SELECT name FROM users") == "ada"
    assert await app.mysql.audit.query("SELECT name FROM users") == [{"name": "ada"}]
    await app.close()


async def test_a_failed_migration_gives_the_connection_back(postgres_url, write):
    app = Lesto()
    app.register(lesto_postgres.plugin, url=postgres_url, min_size=1, max_size=1)
    app.register(
        lesto_migrate.plugin, use="pg", directory=write({"001.do.bad.sql": "SELECT nope;"})
    )
    with pytest.raises(lesto_migrate.errors.LST_MIGRATE_ERR_FAILED):
        await app.ready()
    assert await app.pg.fetchval("SELECT 1", timeout=2) == 1  # the only connection is free
    await app.close()


@pytest.mark.parametrize("use", ["pg", "mysql"])
async def test_use_without_the_plugin_registered_before(use, write):
    app = Lesto()
    app.register(lesto_migrate.plugin, use=use, directory=write(PG_FILES))
    with pytest.raises(LST_MIGRATE_ERR_NOT_REGISTERED) as caught:
        await app.ready()
    assert caught.value.code == "LST_MIGRATE_ERR_NOT_REGISTERED"
    assert isinstance(caught.value, LookupError)


async def test_use_before_the_plugin_is_registered_is_refused(postgres_url, write):
    app = Lesto()
    app.register(lesto_migrate.plugin, use="pg", directory=write(PG_FILES))
    app.register(lesto_postgres.plugin, url=postgres_url)
    with pytest.raises(LST_MIGRATE_ERR_NOT_REGISTERED):
        await app.ready()
    await app.close()


async def test_use_of_a_plugin_in_a_sibling_context_is_refused(postgres_url, write):
    app = Lesto()

    async def branch(child, opts):
        child.register(lesto_postgres.plugin, url=postgres_url)

    app.register(branch)
    app.register(lesto_migrate.plugin, use="pg", directory=write(PG_FILES))
    with pytest.raises(LST_MIGRATE_ERR_NOT_REGISTERED):
        await app.ready()
    await app.close()


@pytest.mark.parametrize(
    ("use", "instance"), [("pg", "nope"), ("pg", "query"), ("mysql", "nope"), ("pg", None)]
)
async def test_unknown_or_missing_instance(use, instance, postgres_url, mysql_url, write):
    app = Lesto()
    app.register(lesto_postgres.plugin, url=postgres_url, name="other")
    app.register(lesto_mysql.plugin, url=mysql_url)
    app.register(lesto_migrate.plugin, use=use, instance=instance, directory=write(PG_FILES))
    with pytest.raises(LST_MIGRATE_ERR_NOT_REGISTERED):
        await app.ready()
    await app.close()


@pytest.mark.parametrize(
    "opts",
    [
        {"use": "redis", "directory": "m"},
        {"use": "pg", "url": "sqlite:///x.db", "directory": "m"},
        {"use": "pg", "connection": object(), "directory": "m"},
        {"url": "sqlite:///x.db", "instance": "a", "directory": "m"},
        {"use": "pg", "instance": "", "directory": "m"},
        {"use": "pg"},
    ],
)
async def test_bad_use_options(opts):
    app = Lesto()
    app.register(lesto_migrate.plugin, **opts)
    with pytest.raises(LST_MIGRATE_ERR_BAD_OPTION):
        await app.ready()
