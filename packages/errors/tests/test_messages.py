"""printf-style templates: arguments fill placeholders and a mismatch never raises."""

from __future__ import annotations

import pytest
from lesto_errors import create_error


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no str")

    def __repr__(self) -> str:
        raise RuntimeError("no repr")


@pytest.mark.parametrize(
    ("template", "args", "expected"),
    [
        ("bad %s at %d", ("x", 3), "bad x at 3"),
        ("%r and %s", ("a", "b"), "'a' and b"),
        ("%05.1f%%", (2.25,), "002.2%"),
        ("%x/%o/%e", (255, 8, 1.0), "ff/10/1.000000e+00"),
        ("no placeholders", (), "no placeholders"),
        ("100%% sure", (), "100% sure"),
        ("%%s stays", ("x",), "%s stays x"),
    ],
)
def test_placeholders_are_filled(template: str, args: tuple[object, ...], expected: str) -> None:
    assert create_error("LST_F", template)(*args).message == expected


def test_missing_arguments_leave_placeholders_visible() -> None:
    Err = create_error("LST_F", "bad %s at %d")
    assert Err().message == "bad %s at %d"
    assert Err("x").message == "bad x at %d"


def test_extra_arguments_are_appended() -> None:
    Err = create_error("LST_F", "bad %s")
    assert Err("x", 1, None).message == "bad x 1 None"
    assert Err("x").args == ("x",)


def test_extra_arguments_append_to_a_template_with_no_placeholders() -> None:
    assert create_error("LST_F", "failed")("why", 2).message == "failed why 2"


def test_wrong_type_for_conversion_falls_back_to_str() -> None:
    Err = create_error("LST_F", "count %d, char %c")
    assert Err("many", "long").message == "count many, char long"


def test_unprintable_argument_never_raises() -> None:
    Err = create_error("LST_F", "value %s, %r")
    err = Err(Unprintable(), Unprintable(), Unprintable())
    assert err.message == (
        "value <unprintable Unprintable>, <unprintable Unprintable> <unprintable Unprintable>"
    )


def test_mapping_keys_are_not_supported_and_stay_visible() -> None:
    assert create_error("LST_F", "%(name)s is %s")("x").message == "%(name)s is x"


def test_lone_percent_without_conversion_stays() -> None:
    assert create_error("LST_F", "5%/s for %s")("them").message == "5%/s for them"
