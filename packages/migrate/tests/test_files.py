"""Migration files: names, duplicates, undo without do, checksums, opt-out line."""

from __future__ import annotations

from pathlib import Path

import pytest
from lesto_migrate import Migrator, checksum
from lesto_migrate.errors import (
    LST_MIGRATE_ERR_BAD_FILENAME,
    LST_MIGRATE_ERR_BAD_OPTION,
    LST_MIGRATE_ERR_DUPLICATE,
    LST_MIGRATE_ERR_NO_DIRECTORY,
    LST_MIGRATE_ERR_UNDO_WITHOUT_DO,
)


def files_of(folder: Path, newline: str | None = None) -> list[tuple[int, str, str]]:
    migrator = Migrator("sqlite:///:memory:", folder, newline=newline)
    return [(m.version, m.action, m.name) for m in migrator.migrations()]


@pytest.mark.parametrize(
    "name",
    [
        "create-users.sql",  # no version
        "v1.do.create.sql",  # version not an integer
        "-1.do.create.sql",  # negative version
        "001.sql",  # no action
        "001.up.create.sql",  # unknown action
        "001.do.create.users.sql",  # dots in the description
        "001.do.create.txt",  # unknown extension
        "001.do.create",  # no extension
        "README.md",  # anything else in the folder
    ],
)
def test_a_name_that_does_not_parse_is_an_error_naming_the_file(write, name):
    folder = write({"001.do.ok.sql": "SELECT 1;", name: "SELECT 1;"})
    with pytest.raises(LST_MIGRATE_ERR_BAD_FILENAME) as caught:
        files_of(folder)
    assert caught.value.code == "LST_MIGRATE_ERR_BAD_FILENAME"
    assert name in str(caught.value)


def test_two_files_for_one_version_and_action_are_an_error(write):
    folder = write({"001.do.a.sql": "", "1.do.b.sql": "", "001.undo.a.sql": ""})
    with pytest.raises(LST_MIGRATE_ERR_DUPLICATE) as caught:
        files_of(folder)
    assert "001.do.a.sql" in str(caught.value)
    assert "1.do.b.sql" in str(caught.value)


def test_a_sql_and_a_py_file_for_one_version_are_duplicates(write):
    folder = write({"002.do.x.sql": "", "002.do.x.py": ""})
    with pytest.raises(LST_MIGRATE_ERR_DUPLICATE):
        files_of(folder)


def test_an_undo_without_its_do_is_an_error(write):
    folder = write({"001.do.a.sql": "", "002.undo.b.sql": ""})
    with pytest.raises(LST_MIGRATE_ERR_UNDO_WITHOUT_DO) as caught:
        files_of(folder)
    assert "002.undo.b.sql" in str(caught.value)


def test_a_missing_directory_is_an_error(tmp_path):
    with pytest.raises(LST_MIGRATE_ERR_NO_DIRECTORY):
        files_of(tmp_path / "nowhere")


def test_files_are_sorted_by_version_and_hidden_files_are_ignored(write):
    folder = write(
        {
            "10.do.ten.sql": "",
            "2.do.two.py": "",
            "2.undo.two.sql": "",
            "0001.do.sql": "",
            ".gitkeep": "",
        }
    )
    assert files_of(folder) == [
        (1, "do", ""),
        (2, "do", "two"),
        (2, "undo", "two"),
        (10, "do", "ten"),
    ]


def test_a_glob_selects_files(write):
    folder = write({"001.do.a.sql": "", "002.do.b.sql": "", "notes.txt": ""})
    assert files_of(folder / "*.sql") == [(1, "do", "a"), (2, "do", "b")]


def test_checksum_is_the_md5_of_the_text_and_newline_normalises_it(write):
    folder = write({"001.do.a.sql": "SELECT 1;\r\nSELECT 2;\r\n"})
    migrator = Migrator("sqlite:///:memory:", folder)
    assert migrator.migrations()[0].md5 == checksum("SELECT 1;\r\nSELECT 2;\r\n")
    normalised = Migrator("sqlite:///:memory:", folder, newline="LF").migrations()[0].md5
    assert normalised == checksum("SELECT 1;\nSELECT 2;\n")
    assert checksum("a\rb\nc\r\n", "CRLF") == checksum("a\r\nb\r\nc\r\n")
    assert checksum("a\r\nb", "CR") == checksum("a\rb")


def test_newline_must_be_lf_cr_or_crlf(write):
    with pytest.raises(LST_MIGRATE_ERR_BAD_OPTION):
        Migrator("sqlite:///:memory:", write(), newline="NL")


def test_the_first_line_opts_out_of_the_transaction(write):
    folder = write(
        {
            "001.do.a.sql": (
                "-- lesto-migrate: no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);"
            ),
            "002.do.b.sql": "SELECT 1;\n-- lesto-migrate: no-transaction\n",
            "003.do.c.py": "# lesto-migrate: no-transaction\ndef generate_sql():\n    return ''\n",
        }
    )
    found = Migrator("sqlite:///:memory:", folder).migrations()
    assert [m.transaction for m in found] == [False, True, False]
