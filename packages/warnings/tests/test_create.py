"""create_warning and create_deprecation: the objects they build and their argument checks."""

from __future__ import annotations

import pytest
from lesto_warnings import (
    CodedWarning,
    LestoDeprecationWarning,
    create_deprecation,
    create_warning,
)


def test_seed_example_deprecation_with_a_code() -> None:
    # The plugin guide: warning.create('FastifyDeprecation', 'FST_ERROR_CODE', 'message')
    # then warning.emit('FST_ERROR_CODE').
    warning = create_warning(
        "LestoDeprecation", "lst_error_code", "message", category=DeprecationWarning
    )
    with pytest.warns(DeprecationWarning, match=r"^\[LST_ERROR_CODE\] message$") as seen:
        warning()
    assert seen[0].category.__name__ == "LestoDeprecation"
    assert warning.emitted is True


def test_create_warning_attributes() -> None:
    warning = create_warning("LestoWarning", "lst_w_one", "bad %s")
    assert isinstance(warning, CodedWarning)
    assert warning.name == "LestoWarning"
    assert warning.code == "LST_W_ONE"
    assert warning.message == "bad %s"
    assert warning.unlimited is False
    assert warning.emitted is False
    assert issubclass(warning.category, UserWarning)
    assert warning.category.__name__ == "LestoWarning"


def test_category_is_derived_from_the_given_one() -> None:
    warning = create_warning("SlowWarning", "LST_W", "m", category=RuntimeWarning)
    assert warning.category.__mro__[1] is RuntimeWarning
    assert warning.category.__name__ == "SlowWarning"


def test_same_name_and_category_share_one_class() -> None:
    first = create_warning("SharedWarning", "LST_A", "a")
    second = create_warning("SharedWarning", "LST_B", "b")
    other_base = create_warning("SharedWarning", "LST_C", "c", category=FutureWarning)
    assert first.category is second.category
    assert other_base.category is not first.category


def test_name_equal_to_the_category_name_uses_the_category_itself() -> None:
    assert create_warning("UserWarning", "LST_A", "a").category is UserWarning


def test_unlimited_is_kept() -> None:
    assert create_warning("W", "LST_A", "a", unlimited=True).unlimited is True
    assert create_deprecation("LSTDEP1", "a", unlimited=True).unlimited is True


def test_create_deprecation_attributes() -> None:
    deprecation = create_deprecation("lstdep001", "old %s")
    assert (deprecation.name, deprecation.code, deprecation.message) == (
        "LestoDeprecationWarning",
        "LSTDEP001",
        "old %s",
    )
    assert deprecation.category is LestoDeprecationWarning
    assert issubclass(LestoDeprecationWarning, DeprecationWarning)
    assert deprecation.unlimited is False
    assert deprecation.emitted is False


def test_deprecation_category_is_addressable_as_lesto_warnings_attribute() -> None:
    name = f"{LestoDeprecationWarning.__module__}.{LestoDeprecationWarning.__qualname__}"
    assert name == "lesto_warnings.LestoDeprecationWarning"


def test_repr_names_code_and_state() -> None:
    warning = create_warning("W", "lst_r", "m")
    assert repr(warning) == (
        "CodedWarning(name='W', code='LST_R', message='m', unlimited=False, emitted=False)"
    )


@pytest.mark.parametrize(
    ("name", "code", "message", "which"),
    [
        ("", "LST_A", "m", "name"),
        ("W", "", "m", "code"),
        ("W", "LST_A", "", "message"),
        ("W", "  ", "m", "code"),
        ("W", "LST_A", "\n", "message"),
    ],
)
def test_create_warning_empty_text_raises_value_error(
    name: str, code: str, message: str, which: str
) -> None:
    with pytest.raises(ValueError, match=f"create_warning: '{which}' must not be empty"):
        create_warning(name, code, message)


@pytest.mark.parametrize("name", ["two words", "1st", "dotted.name"])
def test_create_warning_name_must_be_an_identifier(name: str) -> None:
    with pytest.raises(ValueError, match="'name' must be an identifier"):
        create_warning(name, "LST_A", "m")


@pytest.mark.parametrize(
    ("name", "code", "message", "which"),
    [(None, "LST_A", "m", "name"), ("W", 1, "m", "code"), ("W", "LST_A", b"m", "message")],
)
def test_create_warning_non_string_raises_type_error(
    name: object, code: object, message: object, which: str
) -> None:
    with pytest.raises(TypeError, match=f"'{which}' must be a string"):
        create_warning(name, code, message)  # type: ignore[arg-type]


@pytest.mark.parametrize("category", [int, ValueError, UserWarning("x"), "UserWarning", None])
def test_create_warning_category_must_be_a_warning_class(category: object) -> None:
    with pytest.raises(TypeError, match="'category' must be a Warning subclass"):
        create_warning("W", "LST_A", "m", category=category)  # type: ignore[arg-type]


@pytest.mark.parametrize("unlimited", [1, "yes", None])
def test_unlimited_must_be_a_bool(unlimited: object) -> None:
    with pytest.raises(TypeError, match="'unlimited' must be a bool"):
        create_warning("W", "LST_A", "m", unlimited=unlimited)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'unlimited' must be a bool"):
        create_deprecation("LSTDEP1", "m", unlimited=unlimited)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "message", "which"),
    [("", "m", "code"), ("LSTDEP1", "", "message"), (" ", "m", "code")],
)
def test_create_deprecation_empty_text_raises_value_error(
    code: str, message: str, which: str
) -> None:
    with pytest.raises(ValueError, match=f"create_deprecation: '{which}' must not be empty"):
        create_deprecation(code, message)


def test_create_deprecation_non_string_raises_type_error() -> None:
    with pytest.raises(TypeError, match="'code' must be a string"):
        create_deprecation(None, "m")  # type: ignore[arg-type]
