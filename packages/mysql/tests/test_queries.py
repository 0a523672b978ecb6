"""query, execute, executemany, cursors, ping, and what comes back from real MariaDB."""

import datetime
from decimal import Decimal

import lesto_mysql
import pytest

pytestmark = pytest.mark.usefixtures("users")


async def test_query_returns_dict_rows(make_app, mysql_url):
    app = await make_app(url=mysql_url)
    rows = await app.mysql.query("SELECT id, name FROM users WHERE id = %s", [1])
    assert rows == [{"id": 1, "name": "ada"}]


async def test_tuple_cursor_returns_tuples(make_app, mysql_url):
    app = await make_app(url=mysql_url, cursor="tuple")
    assert await app.mysql.query("SELECT id, name FROM users ORDER BY id") == [
        (1, "ada"),
        (2, "grace"),
    ]


async def test_named_placeholders_take_a_mapping(make_app, mysql_url):
    app = await make_app(url=mysql_url)
    rows = await app.mysql.query("SELECT name FROM users WHERE id = %(id)s", {"id": 2})
    assert rows == [{"name": "grace"}]


async def test_execute_reports_affected_rows_and_insert_id(make_app, mysql_url, peer):
    app = await make_app(url=mysql_url)
    inserted = await app.mysql.execute("INSERT INTO users (name) VALUES (%s)", ["linus"])
    assert inserted == lesto_mysql.Result(affected_rows=1, insert_id=3)
    updated = await app.mysql.execute("UPDATE users SET name = UPPER(name)")
    assert updated.affected_rows == 3
    assert updated.insert_id is None
    assert await peer("SELECT name FROM users WHERE id = 3") == [("LINUS",)]


async def test_executemany_inserts_every_item(make_app, mysql_url, peer):
    app = await make_app(url=mysql_url)
    result = await app.mysql.executemany(
        "INSERT INTO users (name) VALUES (%s)", [("a",), ("b",), ("c",)]
    )
    assert result.affected_rows == 3
    assert await peer("SELECT COUNT(*) FROM users") == [(5,)]


async def test_arguments_are_escaped_by_the_driver(make_app, mysql_url, peer):
    app = await make_app(url=mysql_url)
    hostile = "x'); DROP TABLE users; --"
    await app.mysql.execute("INSERT INTO users (name) VALUES (%s)", [hostile])
    assert await app.mysql.query("SELECT name FROM users WHERE name = %s", [hostile]) == [
        {"name": hostile}
    ]
    assert await peer("SELECT COUNT(*) FROM users") == [(3,)]


async def test_utf8mb4_round_trips_emoji(make_app, mysql_url):
    app = await make_app(url=mysql_url)
    text = "caffè ☕ 🦄👩\u200d💻 日本語 \U0001f600"
    await app.mysql.execute("INSERT INTO users (name) VALUES (%s)", [text])
    rows = await app.mysql.query("SELECT name, CHAR_LENGTH(name) AS n FROM users WHERE id = 3")
    assert rows == [{"name": text, "n": len(text)}]


async def test_decimal_and_datetime_columns_come_back_typed(make_app, mysql_url):
    app = await make_app(url=mysql_url)
    rows = await app.mysql.query(
        "SELECT CAST('12.50' AS DECIMAL(10,2)) AS price, "
        "CAST('2024-02-29 13:14:15' AS DATETIME) AS at, CAST('2024-02-29' AS DATE) AS day"
    )
    assert rows == [
        {
            "price": Decimal("12.50"),
            "at": datetime.datetime(2024, 2, 29, 13, 14, 15),
            "day": datetime.date(2024, 2, 29),
        }
    ]


async def test_sql_errors_reach_the_caller_and_the_pool_recovers(make_app, mysql_url):
    app = await make_app(url=mysql_url, maxsize=1)
    with pytest.raises(Exception, match="1146"):
        await app.mysql.query("SELECT * FROM missing_table")
    assert await app.mysql.query("SELECT COUNT(*) AS n FROM users") == [{"n": 2}]


async def test_ping_makes_a_round_trip(make_app, mysql_url):
    app = await make_app(url=mysql_url)
    assert await app.mysql.ping() is None


async def test_pool_and_connection_properties(make_app, mysql_url):
    import aiomysql

    app = await make_app(url=mysql_url, minsize=2, maxsize=3)
    assert isinstance(app.mysql.pool, aiomysql.Pool)
    assert app.mysql.pool.maxsize == 3
    assert app.mysql.pool.size == 2
    assert app.mysql.connection is None


async def test_autocommit_off_still_commits_each_statement(make_app, mysql_url, peer):
    app = await make_app(url=mysql_url, autocommit=False)
    await app.mysql.execute("INSERT INTO users (name) VALUES (%s)", ["kept"])
    assert await peer("SELECT name FROM users WHERE id = 3") == [("kept",)]
    async with app.mysql.connect() as conn:
        await conn.execute("INSERT INTO users (name) VALUES (%s)", ["not committed"])
    assert await peer("SELECT COUNT(*) FROM users") == [(3,)]
