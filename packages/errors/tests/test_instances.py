"""Instances: str, repr, tracebacks, causes and chaining."""

from __future__ import annotations

import subprocess
import sys
import traceback

import pytest
from lesto_errors import LestoError, create_error

BadThing = create_error("LST_BAD_THING", "bad %s at %d", 418)


def test_attributes() -> None:
    err = BadThing("x", 3)
    assert err.code == "LST_BAD_THING"
    assert err.status_code == 418
    assert err.message == "bad x at 3"
    assert err.args == ("x", 3)


def test_str_is_the_message() -> None:
    assert str(BadThing("x", 3)) == "bad x at 3"


def test_repr_shows_code_and_message() -> None:
    assert repr(BadThing("x", 3)) == "LST_BAD_THING(code='LST_BAD_THING', message='bad x at 3')"


def test_traceback_line_shows_the_code() -> None:
    try:
        raise BadThing("x", 3)
    except LestoError as err:
        last = traceback.format_exception_only(err)[-1]
    assert last == f"{__name__}.LST_BAD_THING: bad x at 3\n"


def test_uncaught_error_shows_code_in_a_real_traceback() -> None:
    script = "import lesto_errors\nraise lesto_errors.create_error('lst_boom', 'boom %s')('now')"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == "LST_BOOM: boom now"


def test_cause_keyword_sets_dunder_cause() -> None:
    original = OSError("disk")
    err = BadThing("x", 3, cause=original)
    assert err.__cause__ is original
    assert err.__suppress_context__ is True
    assert err.args == ("x", 3)
    text = "".join(traceback.format_exception(err))
    assert "The above exception was the direct cause" in text


def test_without_cause_there_is_none() -> None:
    assert BadThing("x", 3).__cause__ is None


def translate(original: Exception, *, chain: bool) -> None:
    try:
        raise original
    except Exception as exc:
        if chain:
            raise BadThing("x", 3) from exc
        raise BadThing("x", 3)  # noqa: B904


def test_raise_from_works_as_usual() -> None:
    original = KeyError("k")
    with pytest.raises(BadThing) as info:
        translate(original, chain=True)
    assert info.value.__cause__ is original
    assert info.value.__suppress_context__ is True


def test_context_is_kept_when_raised_while_handling() -> None:
    original = RuntimeError("first")
    with pytest.raises(BadThing) as info:
        translate(original, chain=False)
    assert info.value.__context__ is original
    assert info.value.__cause__ is None


def test_instances_of_one_class_share_class_attributes() -> None:
    first, second = BadThing("a", 1), BadThing("b", 2)
    assert (first.code, first.status_code) == (second.code, second.status_code)
    assert (first.message, second.message) == ("bad a at 1", "bad b at 2")
