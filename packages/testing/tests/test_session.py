"""Whole pytest sessions in a subprocess: laziness, report, cleanup, errors, xdist."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from lesto_testing import Service

if TYPE_CHECKING:
    from conftest import InnerRun, Sandbox

Runner = Callable[..., "InnerRun"]

ALL_FOUR = """
def test_all(postgres_url, mysql_url, redis_url, mongodb_url):
    assert postgres_url.startswith("postgresql://")
    assert mysql_url.startswith("mysql://")
    assert redis_url.startswith("redis://")
    assert mongodb_url.startswith("mongodb://")
"""


def test_a_session_without_services_starts_nothing(inner_pytest: Runner, sandbox: Sandbox) -> None:
    run = inner_pytest("def test_plain():\n    assert True\n")
    assert run.returncode == 0, run.output
    assert "lesto-testing 0.1.0: services start on first use" in run.output
    assert "lesto-testing services" not in run.output
    assert sandbox.wait_until_clean(0) == ([], [])


def test_a_session_reports_backends_and_leaves_nothing_behind(
    inner_pytest: Runner, sandbox: Sandbox
) -> None:
    run = inner_pytest(ALL_FOUR + "\ndef test_fails(redis_url):\n    assert False\n")
    assert run.returncode == 1, run.output
    assert "1 failed, 1 passed" in run.output
    report = run.output.split("lesto-testing services", 1)[1]
    for name in ("postgres: local", "mysql: local", "redis: local", "mongodb: local"):
        assert name in report
    assert sandbox.wait_until_clean(0) == ([], [])


@pytest.mark.parametrize(
    ("ending", "code"),
    [
        ("os.kill(os.getpid(), signal.SIGINT)", 2),  # Ctrl-C
        ("os.kill(os.getpid(), signal.SIGTERM)", -15),
        ("os.kill(os.getpid(), signal.SIGKILL)", -9),  # a crashed worker
    ],
)
def test_no_leftovers_after_an_interrupted_or_killed_session(
    ending: str, code: int, inner_pytest: Runner, sandbox: Sandbox
) -> None:
    source = (
        "import os, signal, time\n"
        "def test_dies(postgres_service, redis_service):\n"
        f"    {ending}\n"
        "    time.sleep(30)\n"
    )
    run = inner_pytest(source)
    assert run.returncode == code, run.output
    assert sandbox.wait_until_clean() == ([], [])


def test_the_header_shows_the_configuration_with_passwords_hidden(inner_pytest: Runner) -> None:
    env = {"LESTO_TEST_BACKEND": "env", "LESTO_TEST_REDIS_URL": "redis://u:secret@127.0.0.1:1/0"}
    run = inner_pytest("def test_plain():\n    pass\n", env=env)
    assert run.returncode == 0, run.output
    assert "backends: env" in run.output
    assert "LESTO_TEST_REDIS_URL=redis://u:***@127.0.0.1:1/0" in run.output
    assert "secret" not in run.output


def test_a_wrong_setting_does_not_break_sessions_without_services(inner_pytest: Runner) -> None:
    run = inner_pytest("def test_plain():\n    pass\n", env={"LESTO_TEST_BACKEND": "cloud"})
    assert run.returncode == 0, run.output
    assert "1 passed" in run.output
    assert "backends: none (Invalid value 'cloud' for LESTO_TEST_BACKEND" in run.output


def test_no_backend_is_an_error_not_a_skip(inner_pytest: Runner) -> None:
    run = inner_pytest("def test_pg(postgres_url):\n    pass\n", env={"LESTO_TEST_BACKEND": "env"})
    assert run.returncode == 1, run.output
    assert "1 error" in run.output
    assert "LST_TESTING_ERR_NO_BACKEND" in run.output
    assert "LESTO_TEST_POSTGRES_URL" in run.output


def test_allow_skip_turns_no_backend_into_a_skip(inner_pytest: Runner) -> None:
    env = {"LESTO_TEST_BACKEND": "env", "LESTO_TEST_ALLOW_SKIP": "1"}
    run = inner_pytest("def test_pg(postgres_url):\n    pass\n", env=env)
    assert run.returncode == 0, run.output
    assert "1 skipped" in run.output


XDIST_NAMES = """
import os, pathlib, pytest

@pytest.mark.parametrize("n", range(6))
def test_names(n, postgres_url, redis_url, mongodb_url):
    worker = os.environ["PYTEST_XDIST_WORKER"]
    line = f"{worker} {postgres_url} {redis_url} {mongodb_url}\\n"
    with open(os.environ["NAMES_FILE"], "a") as out:
        out.write(line)
"""


def test_xdist_workers_sharing_a_server_get_their_own_databases(
    inner_pytest: Runner,
    sandbox: Sandbox,
    postgres_service: Service,
    redis_service: Service,
    mongodb_service: Service,
) -> None:
    names = sandbox.tmp / "names.txt"
    env = {
        "LESTO_TEST_POSTGRES_URL": postgres_service.url,
        "LESTO_TEST_REDIS_URL": redis_service.url,
        "LESTO_TEST_MONGODB_URL": mongodb_service.url,
        "NAMES_FILE": str(names),
    }
    run = inner_pytest(XDIST_NAMES, "-n", "2", env=env)
    assert run.returncode == 0, run.output
    assert "[gw0] postgres: env" in run.output
    rows = [line.split() for line in names.read_text().splitlines()]
    assert {row[0] for row in rows} == {"gw0", "gw1"}
    for worker, pg, redis_url, mongo in rows:
        assert f"_{worker}_" in pg
        assert f"_{worker}_" in mongo
        assert redis_url.endswith(f"/{worker[2:]}")
    assert len({row[1] for row in rows}) == len(rows)
