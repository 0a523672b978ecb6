"""Migrator against real PostgreSQL, MariaDB and SQLite: up, down, targets, checksums, failures."""

from __future__ import annotations

import pytest
from lesto_migrate import Event, Migrator
from lesto_migrate.errors import (
    LST_MIGRATE_ERR_BAD_TARGET,
    LST_MIGRATE_ERR_CHECKSUM,
    LST_MIGRATE_ERR_FAILED,
    LST_MIGRATE_ERR_MISSING_UNDO,
)

THREE = {
    "001.do.create-t1.sql": "CREATE TABLE t1 (id INTEGER PRIMARY KEY);\n",
    "001.undo.create-t1.sql": "DROP TABLE t1;\n",
    "002.do.fill-t1.sql": "INSERT INTO t1 (id) VALUES (1);\nINSERT INTO t1 (id) VALUES (2);\n",
    "002.undo.fill-t1.sql": "DELETE FROM t1;\n",
    "003.do.create-t2.sql": "CREATE TABLE t2 (id INTEGER PRIMARY KEY);\n",
    "003.undo.create-t2.sql": "DROP TABLE t2;\n",
}


async def versions(fetch, url, table="schemaversion"):
    return [row[0] for row in await fetch(url, f"SELECT version FROM {table} ORDER BY version")]


async def test_up_down_and_to_a_target(db_url, write, fetch):
    folder = write(THREE)
    async with Migrator(db_url, folder) as migrator:
        assert migrator.max_version() == 3
        assert await migrator.database_version() == 0
        applied = await migrator.migrate(2)
        assert [(m.version, m.action) for m in applied] == [(1, "do"), (2, "do")]
        assert await fetch(db_url, "SELECT id FROM t1 ORDER BY id") == [(1,), (2,)]
        applied = await migrator.migrate()
        assert [m.filename for m in applied] == ["003.do.create-t2.sql"]
        assert await migrator.migrate("max") == []
        assert await versions(fetch, db_url) == [1, 2, 3]
        applied = await migrator.migrate(1)
        assert [m.filename for m in applied] == ["003.undo.create-t2.sql", "002.undo.fill-t1.sql"]
        assert await fetch(db_url, "SELECT id FROM t1") == []
        assert await migrator.database_version() == 1
        applied = await migrator.migrate(0)
        assert [m.filename for m in applied] == ["001.undo.create-t1.sql"]
        assert await versions(fetch, db_url) == []


async def test_schema_table_rows_hold_name_checksum_and_time(db_url, write, fetch):
    folder = write(THREE)
    async with Migrator(db_url, folder, schema_table="migrations") as migrator:
        await migrator.migrate(1)
        status = await migrator.status()
    row = status.applied[0]
    assert (row.version, row.name, row.md5) == (1, "create-t1", migrator.migrations()[0].md5)
    assert row.run_at is not None
    assert row.checksum_ok is True
    assert [m.version for m in status.pending] == [2, 3]
    assert (status.database_version, status.max_version) == (1, 3)
    assert await versions(fetch, db_url, "migrations") == [1]


async def test_checksum_mismatch_stops_before_anything_runs(db_url, write, fetch):
    folder = write(THREE)
    async with Migrator(db_url, folder) as migrator:
        await migrator.migrate(2)
    write({"002.do.fill-t1.sql": "INSERT INTO t1 (id) VALUES (7);\n"})
    async with Migrator(db_url, folder) as migrator:
        with pytest.raises(LST_MIGRATE_ERR_CHECKSUM) as caught:
            await migrator.migrate()
        assert "002.do.fill-t1.sql" in str(caught.value)
        with pytest.raises(LST_MIGRATE_ERR_CHECKSUM):
            await migrator.validate()
        assert [row.checksum_ok for row in (await migrator.status()).applied] == [True, False]
    assert await versions(fetch, db_url) == [1, 2]
    async with Migrator(db_url, folder, validate_checksums=False) as migrator:
        assert [m.version for m in await migrator.migrate()] == [3]


async def test_a_failing_migration_stops_at_the_last_completed_version(db_url, write, fetch):
    folder = write(
        {
            "001.do.create-t1.sql": "CREATE TABLE t1 (id INTEGER PRIMARY KEY);",
            "002.do.half.sql": "INSERT INTO t1 (id) VALUES (1);\n\nINSERT INTO missing VALUES (2);",
            "003.do.never.sql": "CREATE TABLE t3 (id INTEGER);",
        }
    )
    async with Migrator(db_url, folder) as migrator:
        with pytest.raises(LST_MIGRATE_ERR_FAILED) as caught:
            await migrator.migrate()
        assert await migrator.database_version() == 1
    error = caught.value
    assert "002.do.half.sql" in str(error)
    assert (error.statement, error.line) == (2, 3)
    assert "missing" in str(error)
    assert [m.version for m in error.applied] == [1]
    assert error.__cause__ is not None
    # Each migration commits with its row: the half of 002 is gone (DML is transactional
    # on MySQL as well; only DDL is not).
    assert await fetch(db_url, "SELECT id FROM t1") == []


async def test_postgres_rolls_back_ddl_of_a_failed_migration(postgres_url, write, fetch):
    folder = write(
        {
            "001.do.ddl.sql": "CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);\nSELECT 1/0;",
        }
    )
    async with Migrator(postgres_url, folder) as migrator:
        with pytest.raises(LST_MIGRATE_ERR_FAILED) as caught:
            await migrator.migrate()
    assert caught.value.statement == 3
    tables = await fetch(postgres_url, "SELECT to_regclass('a'), to_regclass('a_id')")
    assert tables == [(None, None)]
    assert await versions(fetch, postgres_url) == []


async def test_mysql_keeps_ddl_before_a_failure_but_no_row(mysql_url, write, fetch):
    folder = write({"001.do.ddl.sql": "CREATE TABLE a (id int);\nINSERT INTO nowhere VALUES (1);"})
    async with Migrator(mysql_url, folder) as migrator:
        with pytest.raises(LST_MIGRATE_ERR_FAILED):
            await migrator.migrate()
    assert await fetch(mysql_url, "SHOW TABLES LIKE 'a'") == [("a",)]
    assert await versions(fetch, mysql_url) == []


async def test_a_missing_undo_is_reported_before_anything_runs(db_url, write, fetch):
    folder = write({k: v for k, v in THREE.items() if k != "001.undo.create-t1.sql"})
    async with Migrator(db_url, folder) as migrator:
        await migrator.migrate()
        with pytest.raises(LST_MIGRATE_ERR_MISSING_UNDO) as caught:
            await migrator.migrate(0)
        assert "1" in str(caught.value)
    assert await versions(fetch, db_url) == [1, 2, 3]


@pytest.mark.parametrize("target", ["latest", -1, 1.5, True])
async def test_a_bad_target_is_an_error(sqlite_url, write, target):
    async with Migrator(sqlite_url, write(THREE)) as migrator:
        with pytest.raises(LST_MIGRATE_ERR_BAD_TARGET):
            await migrator.migrate(target)


async def test_python_migrations(db_url, write, fetch):
    kind = db_url.split(":")[0]
    insert = {
        "postgresql": "await conn.execute('INSERT INTO t1 (id) VALUES (3)')",
        "mysql": (
            "async with conn.cursor() as c:\n"
            "        await c.execute('INSERT INTO t1 (id) VALUES (3)')"
        ),
        "sqlite": "conn.execute('INSERT INTO t1 (id) VALUES (3)')",
    }[kind]
    folder = write(
        {
            "001.do.create-t1.sql": "CREATE TABLE t1 (id INTEGER PRIMARY KEY);",
            "002.do.sync.py": "def generate_sql():\n    return 'INSERT INTO t1 (id) VALUES (1);'\n",
            "003.do.async.py": (
                "async def generate_sql():\n    return 'INSERT INTO t1 (id) VALUES (2);'\n"
            ),
            "004.do.conn.py": f"async def migrate(conn):\n    {insert}\n",
            "004.undo.conn.py": "def generate_sql():\n    return 'DELETE FROM t1 WHERE id = 3'\n",
        }
    )
    async with Migrator(db_url, folder) as migrator:
        assert len(await migrator.migrate()) == 4
        assert await fetch(db_url, "SELECT id FROM t1 ORDER BY id") == [(1,), (2,), (3,)]
        await migrator.migrate(3)
        assert await fetch(db_url, "SELECT id FROM t1 ORDER BY id") == [(1,), (2,)]


async def test_events_report_validation_and_each_migration_with_timing(sqlite_url, write):
    seen: list[Event] = []

    async def listen(event: Event) -> None:
        seen.append(event)

    folder = write(THREE)
    async with Migrator(sqlite_url, folder, on_event=seen.append) as migrator:
        await migrator.migrate(1)
    async with Migrator(sqlite_url, folder, on_event=listen) as migrator:
        await migrator.migrate(2)
    kinds = [(e.kind, e.migration.version if e.migration else None) for e in seen]
    assert kinds == [
        ("validation-started", None),
        ("validation-finished", None),
        ("migration-started", 1),
        ("migration-finished", 1),
        ("validation-started", None),
        ("validation-finished", None),
        ("migration-started", 2),
        ("migration-finished", 2),
    ]
    assert [m.version for m in seen[4].migrations] == [1]
    assert all(e.seconds is not None and e.seconds >= 0 for e in seen if "finished" in e.kind)
    assert seen[2].sql == THREE["001.do.create-t1.sql"]


@pytest.mark.parametrize("db_url", ["postgres", "sqlite"], indirect=True)
async def test_dry_run_runs_in_a_rolled_back_transaction(db_url, write, fetch):
    folder = write(THREE)
    async with Migrator(db_url, folder) as migrator:
        await migrator.migrate(1)
        planned = await migrator.migrate(dry_run=True)
        assert [m.version for m in planned] == [2, 3]
        assert await migrator.database_version() == 1
        assert await fetch(db_url, "SELECT id FROM t1") == []
        write(
            {
                "003.do.create-t2.sql": (
                    "CREATE TABLE t2 (id INTEGER PRIMARY KEY); SELECT * FROM nope;"
                )
            }
        )
        with pytest.raises(LST_MIGRATE_ERR_FAILED):
            await migrator.migrate(dry_run=True)
        assert await migrator.database_version() == 1


async def test_dry_run_on_mysql_only_plans(mysql_url, write, fetch):
    async with Migrator(mysql_url, write(THREE)) as migrator:
        planned = await migrator.migrate(dry_run=True)
        assert [m.version for m in planned] == [1, 2, 3]
    assert await fetch(mysql_url, "SHOW TABLES") == []


async def test_postgres_schema_qualified_table_creates_the_schema(postgres_url, write, fetch):
    async with Migrator(postgres_url, write(THREE), schema_table="meta.versions") as migrator:
        await migrator.migrate(1)
        assert await versions(fetch, postgres_url, "meta.versions") == [1]
        await migrator.drop_schema_table()
        assert await migrator.database_version() == 0
    # Dropping the schema table forgets the history; the migrated tables stay.
    assert await fetch(postgres_url, "SELECT to_regclass('meta.versions'), to_regclass('t1')") == [
        (None, "t1")
    ]


async def test_postgres_no_transaction_file_runs_create_index_concurrently(
    postgres_url, write, fetch
):
    folder = write(
        {
            "001.do.table.sql": "CREATE TABLE t (x int);",
            "002.do.index.sql": (
                "-- lesto-migrate: no-transaction\nCREATE INDEX CONCURRENTLY t_x ON t (x);\n"
            ),
        }
    )
    async with Migrator(postgres_url, folder) as migrator:
        assert len(await migrator.migrate()) == 2
    assert await fetch(postgres_url, "SELECT to_regclass('t_x') IS NOT NULL") == [(True,)]


async def test_the_seeds_postgrator_example(postgres_url, write, fetch):
    folder = write(
        {
            "001.do.create-users-table.sql": (
                "CREATE TABLE IF NOT EXISTS users (\n"
                "  id SERIAL PRIMARY KEY NOT NULL,\n"
                "  created_at DATE NOT NULL DEFAULT CURRENT_DATE,\n"
                "  firstName TEXT NOT NULL,\n"
                "  lastName TEXT NOT NULL\n"
                ");\n"
            )
        }
    )
    async with Migrator(postgres_url, folder, schema_table="migrations") as migrator:
        result = await migrator.migrate()
        assert [m.filename for m in result] == ["001.do.create-users-table.sql"]
        assert await migrator.migrate() == []
    columns = await fetch(
        postgres_url,
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = 'users' ORDER BY ordinal_position",
    )
    assert columns == [("id",), ("created_at",), ("firstname",), ("lastname",)]


async def test_an_existing_connection_or_pool_is_used_and_left_open(postgres_url, mysql_url, write):
    import aiomysql
    import asyncpg

    folder = write(THREE)
    conn = await asyncpg.connect(postgres_url)
    pool = await asyncpg.create_pool(postgres_url, min_size=1, max_size=2)
    try:
        async with Migrator(conn, folder) as migrator:
            assert len(await migrator.migrate(1)) == 1
        async with Migrator(pool, folder) as migrator:
            assert len(await migrator.migrate()) == 2
        assert not conn.is_closed()
        assert await pool.fetchval("SELECT count(*) FROM t1") == 2
    finally:
        await conn.close()
        await pool.close()
    from urllib.parse import urlsplit

    parts = urlsplit(mysql_url)
    mypool = await aiomysql.create_pool(
        host=parts.hostname, port=parts.port, user="root", db=parts.path.strip("/"), autocommit=True
    )
    try:
        async with Migrator(mypool, folder) as migrator:
            assert len(await migrator.migrate()) == 3
    finally:
        mypool.close()
        await mypool.wait_closed()
