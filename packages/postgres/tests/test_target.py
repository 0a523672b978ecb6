"""How errors name the server: host, port and database, never the password."""

from __future__ import annotations

import pytest
from lesto_postgres._target import describe_target


@pytest.fixture(autouse=True)
def no_libpq_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PGHOST", "PGPORT", "PGDATABASE", "PGUSER"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:secret@db.local:6432/app", 'db.local:6432, database "app"'),
        ("postgres://db.local/app", 'db.local:5432, database "app"'),
        ("postgresql://ada@db.local", 'db.local:5432, database "ada"'),
        ("postgresql://h1:5433,h2/app", 'h1:5433, h2:5432, database "app"'),
        ("postgresql://[::1]:7000/app", '[::1]:7000, database "app"'),
        ("postgresql:///app?host=/run/pg&port=5433", '/run/pg/.s.PGSQL.5433, database "app"'),
        ("postgresql://%2Frun%2Fpg/app", '/run/pg/.s.PGSQL.5432, database "app"'),
        ("postgresql://h/?dbname=reports&user=x", 'h:5432, database "reports"'),
        ("postgresql://u@h/caf%C3%A9", 'h:5432, database "café"'),
    ],
)
def test_urls(url: str, expected: str):
    assert describe_target(url) == expected
    assert "secret" not in describe_target(url)


def test_libpq_environment_fills_the_gaps(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PGHOST", "envhost")
    monkeypatch.setenv("PGPORT", "6000")
    monkeypatch.setenv("PGDATABASE", "envdb")
    assert describe_target(None) == 'envhost:6000, database "envdb"'
    assert describe_target("postgresql://urlhost/urldb") == 'urlhost:6000, database "urldb"'


def test_connect_keywords_of_a_pool():
    assert describe_target(None, {"host": "k", "port": 1, "database": "d"}) == 'k:1, database "d"'


def test_defaults(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PGUSER", "someone")
    assert describe_target(None) == 'localhost:5432, database "someone"'
