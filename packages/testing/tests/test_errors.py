"""Errors: no backend, a server that fails to start, wrong settings."""

from __future__ import annotations

import tempfile
from pathlib import Path

import lesto_testing
import pytest
from lesto_testing import (
    LST_TESTING_ERR_BAD_SETTING,
    LST_TESTING_ERR_NO_BACKEND,
    LST_TESTING_ERR_START_FAILED,
    LST_TESTING_ERR_UNKNOWN_SERVICE,
)


@pytest.mark.parametrize(
    ("name", "advice"),
    [
        ("postgres", "apt-get install postgresql"),
        ("mysql", "apt-get install mariadb-server"),
        ("redis", "apt-get install redis-server"),
        ("mongodb", "lesto-testing[mongodb]"),
    ],
)
def test_no_local_executables_is_an_error_saying_what_to_install(
    name: str, advice: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.setenv(f"LESTO_TEST_{name.upper()}_BIN", str(tmp_path))
    monkeypatch.setenv("LESTO_TEST_BACKEND", "local")
    with pytest.raises(LST_TESTING_ERR_NO_BACKEND) as caught:
        lesto_testing.start(name)
    assert caught.value.code == "LST_TESTING_ERR_NO_BACKEND"
    assert advice in str(caught.value)
    assert f"LESTO_TEST_{name.upper()}_URL" in str(caught.value)


def test_every_backend_is_tried_and_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LESTO_TEST_REDIS_URL", raising=False)
    monkeypatch.setenv("LESTO_TEST_REDIS_BIN", str(tmp_path))
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/docker.sock")
    with pytest.raises(LST_TESTING_ERR_NO_BACKEND) as caught:
        lesto_testing.start("redis")
    message = str(caught.value)
    assert all(f"{backend}: " in message for backend in ("env", "docker", "local"))


def test_a_server_that_fails_to_start_shows_the_end_of_its_log_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir, scratch = tmp_path / "bin", tmp_path / "scratch"
    bin_dir.mkdir()
    scratch.mkdir()
    fake = bin_dir / "redis-server"
    fake.write_text(
        '#!/bin/sh\n[ "$1" = --version ] && echo "Redis server v=7.0.0" && exit 0\n'
        'echo "FATAL: this server cannot start: disk on fire"\nexit 3\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("LESTO_TEST_REDIS_BIN", str(bin_dir))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with pytest.raises(LST_TESTING_ERR_START_FAILED) as caught:
        lesto_testing.start("redis", backend="local")
    assert "disk on fire" in str(caught.value)
    assert list(scratch.iterdir()) == []


def test_an_unknown_service_is_refused() -> None:
    with pytest.raises(LST_TESTING_ERR_UNKNOWN_SERVICE):
        lesto_testing.start("oracle")


@pytest.mark.parametrize(
    ("variable", "value"),
    [("LESTO_TEST_BACKEND", "kubernetes"), ("LESTO_TEST_START_TIMEOUT", "soon")],
)
def test_wrong_settings_are_refused(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(LST_TESTING_ERR_BAD_SETTING):
        lesto_testing.start("redis")


def test_a_wrong_backend_argument_is_refused() -> None:
    with pytest.raises(LST_TESTING_ERR_BAD_SETTING):
        lesto_testing.start("redis", backend="cloud")
