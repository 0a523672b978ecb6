"""escape, escape_id and format: what they produce, and that the server reads it back."""

import datetime
from decimal import Decimal

import lesto_mysql
import pytest
from lesto_mysql import MySQL


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        (None, "NULL"),
        (True, "1"),
        (42, "42"),
        (Decimal("1.50"), "1.50"),
        ("it's", "'it\\'s'"),
        ("a\\b", "'a\\\\b'"),
        (datetime.date(2024, 2, 29), "'2024-02-29'"),
        ([1, "x"], "(1,'x')"),
    ],
)
def test_escape(value, literal):
    assert lesto_mysql.escape(value) == literal


@pytest.mark.parametrize(
    ("identifier", "quoted"),
    [
        ("users", "`users`"),
        ("shop.users", "`shop`.`users`"),
        ("we`ird", "`we``ird`"),
        (["id", "name"], "`id`, `name`"),
    ],
)
def test_escape_id(identifier, quoted):
    assert lesto_mysql.escape_id(identifier) == quoted


def test_format_fills_placeholders():
    assert MySQL.format("SELECT %s, %s", [1, "o'k"]) == "SELECT 1, 'o\\'k'"
    assert MySQL.format("SELECT %(a)s", {"a": None}) == "SELECT NULL"
    assert MySQL.format("SELECT %s", "x") == "SELECT 'x'"
    assert MySQL.format("SELECT '100%'") == "SELECT '100%'"
    assert MySQL.format("SELECT '100%%', %s", [1]) == "SELECT '100%', 1"


async def test_formatted_sql_reads_back_what_was_escaped(make_app, mysql_url):
    app = await make_app(url=mysql_url)
    nasty = "'; DROP TABLE x; -- \\ \" ` 🦄"
    await app.mysql.execute("CREATE TABLE `odd``name` (`we``ird` TEXT) CHARACTER SET utf8mb4")
    table, column = app.mysql.escape_id("odd`name"), app.mysql.escape_id("we`ird")
    await app.mysql.execute(app.mysql.format(f"INSERT INTO {table} VALUES (%s)", [nasty]))
    rows = await app.mysql.query(f"SELECT {column} AS v FROM {table} WHERE {column} = %s", [nasty])
    assert rows == [{"v": nasty}]
    assert app.mysql.escape("x") == lesto_mysql.escape("x")
