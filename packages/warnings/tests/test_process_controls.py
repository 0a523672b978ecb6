"""Python's own controls, checked in a real interpreter: -W, PYTHONWARNINGS, default filters."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Line 6 calls old_api(), so the deprecation is attributed to <string>:6.
SCRIPT = """\
from lesto_warnings import create_deprecation
OLD = create_deprecation("lstdep900", "old api %s")
OTHER = create_deprecation("lstdep901", "other api")
def old_api():
    OLD("x")
old_api()
old_api()
def other_api():
    OTHER()
other_api()
print("emitted", OLD.emitted, OTHER.emitted)
"""
OLD_LINE = "<string>:6: LestoDeprecationWarning: [LSTDEP900] old api x"
OTHER_LINE = "<string>:10: LestoDeprecationWarning: [LSTDEP901] other api"

LIBRARY = """\
from lesto_warnings import create_deprecation
OLD = create_deprecation("lstdep902", "library api")
def old_api():
    OLD()
"""


def run(
    *options: str, script: str = SCRIPT, env: dict[str, str] | None = None, path: str = ""
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"PYTHONWARNINGS", "PYTHONDEVMODE"}}
    if path:
        clean["PYTHONPATH"] = path
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, *options, "-c", script],
        capture_output=True,
        text=True,
        env=clean,
        check=False,
    )


def test_deprecation_triggered_from_main_is_shown_once_by_default() -> None:
    done = run()
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [OLD_LINE, OTHER_LINE]
    assert done.stdout == "emitted True True\n"


@pytest.mark.parametrize("option", ["error::DeprecationWarning", "error:[LSTDEP"])
def test_w_error_escalates_to_an_exception(option: str) -> None:
    done = run("-W", option)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        "lesto_warnings.LestoDeprecationWarning: [LSTDEP900] old api x"
    )
    assert done.stdout == ""


def test_pythonwarnings_error_escalates_too() -> None:
    done = run(env={"PYTHONWARNINGS": "error::DeprecationWarning"})
    assert done.returncode == 1
    assert "LestoDeprecationWarning: [LSTDEP900]" in done.stderr


@pytest.mark.parametrize(
    ("options", "env"),
    [
        ((), {"PYTHONWARNINGS": "ignore"}),
        (("-W", "ignore::DeprecationWarning"), {}),
        (("-W", "ignore:[LSTDEP"), {}),
    ],
)
def test_silenced_but_still_marked_emitted(options: tuple[str, ...], env: dict[str, str]) -> None:
    done = run(*options, env=env)
    assert done.returncode == 0
    assert done.stderr == ""
    assert done.stdout == "emitted True True\n"


def test_one_code_silenced_by_message_prefix() -> None:
    done = run("-W", "ignore:[LSTDEP900]")
    assert done.returncode == 0
    assert done.stderr.splitlines() == [OTHER_LINE]


def test_one_code_escalated_by_message_prefix() -> None:
    done = run("-W", "error:[LSTDEP901]")
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0] == OLD_LINE
    assert lines[-1] == "lesto_warnings.LestoDeprecationWarning: [LSTDEP901] other api"


def test_w_always_does_not_repeat_an_emit_once_warning() -> None:
    done = run("-W", "always")
    assert done.stderr.splitlines() == [OLD_LINE, OTHER_LINE]


@pytest.fixture
def library(tmp_path: Path) -> str:
    (tmp_path / "lesto_warnings_sample_lib.py").write_text(LIBRARY)
    (tmp_path / "lesto_warnings_sample_user.py").write_text(
        "import lesto_warnings_sample_lib\ndef main():\n    lesto_warnings_sample_lib.old_api()\n"
    )
    return str(tmp_path)


USER = "import lesto_warnings_sample_user as user; user.main()"


def test_deprecation_triggered_outside_main_is_hidden_by_default(library: str) -> None:
    done = run(script=USER, path=library)
    assert done.returncode == 0
    assert done.stderr == ""


@pytest.mark.parametrize("options", [("-W", "default::DeprecationWarning"), ("-X", "dev")])
def test_deprecation_outside_main_shown_on_request(library: str, options: tuple[str, ...]) -> None:
    done = run(*options, script=USER, path=library)
    assert done.returncode == 0
    first = done.stderr.splitlines()[0]
    assert first.endswith("sample_user.py:3: LestoDeprecationWarning: [LSTDEP902] library api")


PYTEST_FILE = """\
from lesto_warnings import create_deprecation
OLD = create_deprecation("lstdep903", "old")
def test_old():
    OLD()
"""


@pytest.mark.parametrize(
    ("options", "outcome"),
    [
        ((), "1 passed, 1 warning"),
        (("-W", "error::lesto_warnings.LestoDeprecationWarning"), "1 failed"),
        (("-W", "ignore::lesto_warnings.LestoDeprecationWarning"), "1 passed in"),
    ],
)
def test_pytest_shows_silences_and_escalates(
    tmp_path: Path, options: tuple[str, ...], outcome: str
) -> None:
    (tmp_path / "test_sample.py").write_text(PYTEST_FILE)
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-c", os.devnull]
    done = subprocess.run(
        [*command, *options, str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert outcome in done.stdout.splitlines()[-1], done.stdout
    assert ("[LSTDEP903] old" in done.stdout) is (not options or "error" in options[1])
