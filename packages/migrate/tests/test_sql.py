"""Splitting scripts into statements, per dialect."""

from __future__ import annotations

from lesto_migrate import split_statements


def sqls(script: str, dialect: str) -> list[str]:
    return [s.sql for s in split_statements(script, dialect)]


def test_statements_have_numbers_and_first_lines():
    script = "-- header\n\nCREATE TABLE a (x int);\n\nINSERT INTO a\nVALUES (1);\n-- trailing\n"
    found = split_statements(script, "postgres")
    assert [(s.number, s.line) for s in found] == [(1, 3), (2, 5)]
    assert found[1].sql == "INSERT INTO a\nVALUES (1)"


def test_semicolons_in_strings_identifiers_and_comments_do_not_split():
    script = """INSERT INTO "a;b" VALUES ('x;''y'); /* c; d */ SELECT 1 -- e;
;"""
    assert sqls(script, "postgres") == [
        """INSERT INTO "a;b" VALUES ('x;''y')""",
        "/* c; d */ SELECT 1 -- e;",
    ]


def test_postgres_dollar_quotes_and_routine_bodies():
    function = (
        "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql"
    )
    atomic = "CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END"
    script = f"{function};\n{atomic};\nSELECT $1 FROM t; SELECT E'\\';';"
    assert sqls(script, "postgres") == [function, atomic, "SELECT $1 FROM t", "SELECT E'\\';'"]


def test_postgres_nested_block_comments():
    assert sqls("/* a /* b; */ c; */ SELECT 1; SELECT 2", "postgres") == [
        "/* a /* b; */ c; */ SELECT 1",
        "SELECT 2",
    ]


def test_mysql_escapes_hash_comments_backticks_and_delimiter():
    script = (
        "INSERT INTO `a;b` VALUES ('it\\'s;', \"x;\"); # note;\n"
        "DELIMITER //\n"
        "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//\n"
        "DELIMITER ;\n"
        "SELECT 3;"
    )
    assert sqls(script, "mysql") == [
        "INSERT INTO `a;b` VALUES ('it\\'s;', \"x;\")",
        "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END",
        "SELECT 3",
    ]


def test_sqlite_trigger_bodies_stay_whole():
    trigger = (
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); UPDATE c SET x = 1; END"
    )
    assert sqls(f"{trigger};\nSELECT [a;b] FROM a;", "sqlite") == [trigger, "SELECT [a;b] FROM a"]


def test_comment_only_scripts_have_no_statements():
    assert sqls("-- nothing\n/* here */\n", "postgres") == []
    assert sqls("", "mysql") == []
