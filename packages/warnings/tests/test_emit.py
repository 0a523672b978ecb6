"""Calling a warning: text, emit-once, stack level, filters and the test tools."""

from __future__ import annotations

import re
import sys
import threading
import time
import warnings
from collections.abc import Iterator

import pytest
from lesto_warnings import (
    CodedWarning,
    LestoDeprecationWarning,
    create_deprecation,
    create_warning,
)


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no str")


def emit_here(warning: CodedWarning, *args: object, **options: int) -> None:
    warning(*args, **options)


EMIT_HERE_LINE = emit_here.__code__.co_firstlineno + 1


def test_emits_code_and_formatted_message(recorded: list[warnings.WarningMessage]) -> None:
    warning = create_warning("LestoWarning", "lst_w", "bad %s at %d")
    warning("x", 3)
    assert len(recorded) == 1
    assert str(recorded[0].message) == "[LST_W] bad x at 3"
    assert recorded[0].category is warning.category


def test_emits_once_per_process(recorded: list[warnings.WarningMessage]) -> None:
    warning = create_warning("LestoWarning", "LST_W", "once %s")
    warning("a")
    warning("b")
    emit_here(warning, "c")
    assert [str(r.message) for r in recorded] == ["[LST_W] once a"]
    assert warning.emitted is True


def test_unlimited_emits_every_time(recorded: list[warnings.WarningMessage]) -> None:
    warning = create_warning("LestoWarning", "LST_W", "every %s", unlimited=True)
    for value in ("a", "b", "c"):
        warning(value)
    assert [str(r.message) for r in recorded] == [
        "[LST_W] every a",
        "[LST_W] every b",
        "[LST_W] every c",
    ]


def test_reset_emitted_emits_again(recorded: list[warnings.WarningMessage]) -> None:
    warning = create_deprecation("LSTDEP001", "old")
    warning()
    warning.emitted = False
    warning()
    assert len(recorded) == 2
    assert warning.emitted is True


@pytest.mark.parametrize(
    ("args", "text"),
    [
        ((), "[LST_F] got %s and %d"),
        (("x",), "[LST_F] got x and %d"),
        (("x", 2, "extra", None), "[LST_F] got x and 2 extra None"),
        (("x", "not a number"), "[LST_F] got x and not a number"),
        ((Unprintable(),), "[LST_F] got <unprintable Unprintable> and %d"),
    ],
)
def test_printf_mismatch_never_raises(
    recorded: list[warnings.WarningMessage], args: tuple[object, ...], text: str
) -> None:
    create_warning("W", "LST_F", "got %s and %d")(*args)
    assert str(recorded[0].message) == text


def test_format_fills_the_template_without_the_code() -> None:
    warning = create_warning("W", "LST_F", "%s=%r%%")
    assert warning.format("a", "b") == "a='b'%"
    assert warning.format() == "%s=%r%"
    assert warning.format(1, 2, 3) == "1=2% 3"
    assert warning.emitted is False


def test_default_stacklevel_points_at_the_caller_of_the_emitting_function(
    recorded: list[warnings.WarningMessage],
) -> None:
    warning = create_deprecation("LSTDEP002", "old")
    line = sys._getframe().f_lineno + 1
    emit_here(warning)
    assert (recorded[0].filename, recorded[0].lineno) == (__file__, line)


def test_stacklevel_one_points_at_the_emitting_line(
    recorded: list[warnings.WarningMessage],
) -> None:
    warning = create_deprecation("LSTDEP003", "old")
    emit_here(warning, stacklevel=1)
    assert (recorded[0].filename, recorded[0].lineno) == (__file__, EMIT_HERE_LINE)


def test_stacklevel_three_points_one_frame_further(
    recorded: list[warnings.WarningMessage],
) -> None:
    warning = create_deprecation("LSTDEP004", "old")

    def user_code() -> None:
        emit_here(warning, stacklevel=3)

    line = sys._getframe().f_lineno + 1
    user_code()
    assert (recorded[0].filename, recorded[0].lineno) == (__file__, line)


def test_emitted_is_set_even_when_a_filter_ignores_it() -> None:
    warning = create_deprecation("LSTDEP005", "old")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("ignore")
        warning()
    assert seen == []
    assert warning.emitted is True
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        warning()
    assert seen == []


def test_error_filter_raises_the_category_once() -> None:
    warning = create_deprecation("LSTDEP006", "old %s")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        with pytest.raises(LestoDeprecationWarning, match=r"^\[LSTDEP006\] old x$"):
            warning("x")
        assert warning.emitted is True
        warning("again")


def test_filter_by_code_selects_one_warning(recorded: list[warnings.WarningMessage]) -> None:
    chosen = create_deprecation("LSTDEP007", "chosen")
    other = create_deprecation("LSTDEP008", "other")
    warnings.filterwarnings("error", message=re.escape("[LSTDEP007]"))
    other()
    with pytest.raises(LestoDeprecationWarning, match="chosen"):
        chosen()
    assert [str(r.message) for r in recorded] == ["[LSTDEP008] other"]


def test_pytest_warns_with_the_category_and_a_match() -> None:
    warning = create_warning("PluginWarning", "LST_P", "plugin %s is slow")
    with pytest.warns(warning.category, match=re.escape("[LST_P] plugin db is slow")):
        warning("db")


def test_pytest_warns_sees_deprecations_as_deprecation_warnings() -> None:
    deprecation = create_deprecation("LSTDEP009", "use %s instead")
    with pytest.deprecated_call(match=r"\[LSTDEP009\] use new instead"):
        deprecation("new")


def test_catch_warnings_records_category_file_and_line() -> None:
    warning = create_warning("W", "LST_C", "m", category=RuntimeWarning)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        line = sys._getframe().f_lineno + 1
        emit_here(warning)
    assert len(seen) == 1
    assert issubclass(seen[0].category, RuntimeWarning)
    assert (seen[0].filename, seen[0].lineno) == (__file__, line)


def run_threads(count: int, target: CodedWarning) -> None:
    barrier = threading.Barrier(count)

    def work() -> None:
        barrier.wait()
        target()

    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.fixture
def fast_switching() -> Iterator[None]:
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield None
    sys.setswitchinterval(previous)


@pytest.mark.usefixtures("fast_switching")
def test_emit_once_holds_under_many_threads(recorded: list[warnings.WarningMessage]) -> None:
    warning = create_warning("W", "LST_T", "threaded")
    for _ in range(20):
        warning.emitted = False
        recorded.clear()
        run_threads(64, warning)
        assert len(recorded) == 1
    assert warning.emitted is True


class SlowFlag(CodedWarning):
    """A warning that lets other threads run between reading its flag and acting on it."""

    _flag = False

    @property
    def emitted(self) -> bool:
        seen = self._flag
        time.sleep(0.001)
        return seen

    @emitted.setter
    def emitted(self, value: bool) -> None:
        self._flag = value


def test_emit_once_holds_when_threads_interleave_at_the_check(
    recorded: list[warnings.WarningMessage],
) -> None:
    warning = SlowFlag("W", "LST_T", "threaded", unlimited=False, category=UserWarning)
    run_threads(32, warning)
    assert len(recorded) == 1
    assert warning.emitted is True


@pytest.mark.usefixtures("fast_switching")
def test_unlimited_emits_from_every_thread(recorded: list[warnings.WarningMessage]) -> None:
    warning = create_warning("W", "LST_T", "threaded", unlimited=True)
    run_threads(64, warning)
    assert len(recorded) == 64
