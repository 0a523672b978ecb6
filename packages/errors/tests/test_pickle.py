"""Pickling: instances keep code, args, message and status, in and across processes."""

from __future__ import annotations

import importlib
import json
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from types import ModuleType

import pytest
from lesto_errors import LestoError, create_error

MODULE = "lesto_errors_pickle_sample"
SOURCE = """
from lesto_errors import create_error

BadThing = create_error("LST_BAD_THING", "bad %s at %d", 418, ValueError)
Renamed = create_error("lst_named_otherwise", "renamed %s", 0)


class Subclassed(BadThing):
    pass


def made_in_a_function():
    return create_error("LST_LOCAL", "local %s", 409)


def fail(n):
    raise BadThing("worker", n)
"""

# Prints what a process sees after unpickling the bytes on stdin.
REPORT = """
import json, pickle, sys
from lesto_errors import LestoError
err = pickle.loads(sys.stdin.buffer.read())
print(json.dumps({
    "type": type(err).__name__, "module": type(err).__module__, "code": err.code,
    "status": err.status_code, "message": err.message, "str": str(err), "args": list(err.args),
    "lesto": isinstance(err, LestoError), "value_error": isinstance(err, ValueError),
}))
"""

InPlace = create_error("LST_IN_PLACE", "in place %s/%s", 503, KeyError)


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pickle_sample")
    (folder / f"{MODULE}.py").write_text(SOURCE)
    return folder


@pytest.fixture
def sample(sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    monkeypatch.syspath_prepend(str(sample_dir))
    yield importlib.import_module(MODULE)
    sys.modules.pop(MODULE, None)


def run_python(code: str, stdin: bytes = b"", path: Path | None = None) -> bytes:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if path is not None:
        env["PYTHONPATH"] = str(path)
    done = subprocess.run(
        [sys.executable, "-c", code], input=stdin, capture_output=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_round_trip_in_process(protocol: int) -> None:
    err = InPlace("a", 1)
    back = pickle.loads(pickle.dumps(err, protocol))
    assert type(back) is InPlace
    assert (back.code, back.status_code, back.message, back.args) == (
        "LST_IN_PLACE",
        503,
        "in place a/1",
        ("a", 1),
    )
    assert isinstance(back, KeyError)


def test_round_trip_keeps_instance_state() -> None:
    err = InPlace("a", 1)
    err.detail = {"field": "x"}  # type: ignore[attr-defined]
    err.add_note("a note")
    back = pickle.loads(pickle.dumps(err))
    assert back.detail == {"field": "x"}
    assert back.__notes__ == ["a note"]


def test_generic_lesto_error_round_trips() -> None:
    back = pickle.loads(pickle.dumps(LestoError("plain", 2)))
    assert type(back) is LestoError
    assert (back.code, back.message, back.args) == ("LST_ERR", "plain 2", ("plain", 2))


def test_class_bound_to_another_name_is_found(sample: ModuleType) -> None:
    back = pickle.loads(pickle.dumps(sample.Renamed("x")))
    assert type(back) is sample.Renamed
    assert (back.code, back.status_code, back.message) == ("LST_NAMED_OTHERWISE", None, "renamed x")


def test_subclass_made_with_a_class_statement_is_found(sample: ModuleType) -> None:
    back = pickle.loads(pickle.dumps(sample.Subclassed("x", 1)))
    assert type(back) is sample.Subclassed
    assert back.code == "LST_BAD_THING"


def test_class_made_in_a_function_is_found_in_the_same_process(sample: ModuleType) -> None:
    Local = sample.made_in_a_function()
    back = pickle.loads(pickle.dumps(Local("x")))
    assert type(back) is Local
    assert (back.code, back.status_code, back.message) == ("LST_LOCAL", 409, "local x")


def test_from_a_child_process_to_this_one(sample: ModuleType, sample_dir: Path) -> None:
    code = f"import pickle, sys\nfrom {MODULE} import BadThing\n"
    code += "sys.stdout.buffer.write(pickle.dumps(BadThing('x', 3)))"
    back = pickle.loads(run_python(code, path=sample_dir))
    assert type(back) is sample.BadThing
    assert (back.code, back.status_code, back.message, back.args) == (
        "LST_BAD_THING",
        418,
        "bad x at 3",
        ("x", 3),
    )


def test_from_this_process_to_a_child(sample: ModuleType, sample_dir: Path) -> None:
    data = pickle.dumps(sample.BadThing("y", 4))
    seen = json.loads(run_python(REPORT, data, path=sample_dir))
    assert seen == {
        "type": "LST_BAD_THING",
        "module": MODULE,
        "code": "LST_BAD_THING",
        "status": 418,
        "message": "bad y at 4",
        "str": "bad y at 4",
        "args": ["y", 4],
        "lesto": True,
        "value_error": True,
    }


def test_child_without_the_defining_module_gets_a_stand_in(sample: ModuleType) -> None:
    data = pickle.dumps(sample.BadThing("z", 5))
    seen = json.loads(run_python(REPORT, data))
    assert seen["type"] == "LST_BAD_THING"
    assert seen["module"] == MODULE
    assert (seen["code"], seen["status"], seen["message"]) == ("LST_BAD_THING", 418, "bad z at 5")
    assert seen["args"] == ["z", 5]
    assert seen["lesto"] is True


def test_error_raised_in_a_worker_process_reaches_the_parent(sample: ModuleType) -> None:
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        future = pool.submit(sample.fail, 7)
        with pytest.raises(ValueError, match="bad worker at 7") as info:
            future.result(timeout=60)
    assert type(info.value) is sample.BadThing
    assert isinstance(info.value, LestoError)
    assert (info.value.code, info.value.status_code) == ("LST_BAD_THING", 418)
