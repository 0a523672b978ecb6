"""create_error: the class it builds, its attributes and its argument checks."""

from __future__ import annotations

import pytest
from lesto_errors import LestoError, create_error


def test_seed_example_custom_error() -> None:
    # The plugin guide: createError('ERROR_CODE', 'message'); new CustomError()
    CustomError = create_error("ERROR_CODE", "message")
    err = CustomError()
    assert isinstance(err, LestoError)
    assert (err.code, err.status_code, err.message, str(err)) == (
        "ERROR_CODE",
        500,
        "message",
        "message",
    )


def test_class_attributes_and_name() -> None:
    Err = create_error("LST_ERR_X", "bad %s", 404)
    assert Err.__name__ == "LST_ERR_X"
    assert Err.__qualname__ == "LST_ERR_X"
    assert Err.code == "LST_ERR_X"
    assert Err.status_code == 404
    assert Err.template == "bad %s"
    assert Err.__module__ == __name__
    assert Err.__doc__ == "LST_ERR_X: bad %s"


def test_code_is_upper_cased() -> None:
    Err = create_error("lst_err_lower", "m")
    assert Err.code == "LST_ERR_LOWER"
    assert Err.__name__ == "LST_ERR_LOWER"
    assert Err().code == "LST_ERR_LOWER"


def test_default_status_is_500() -> None:
    assert create_error("LST_A", "m").status_code == 500


@pytest.mark.parametrize("falsy", [0, None])
def test_falsy_status_becomes_none(falsy: int | None) -> None:
    Err = create_error("LST_A", "m", falsy)
    assert Err.status_code is None
    assert Err().status_code is None


@pytest.mark.parametrize(
    ("code", "message", "which"), [("", "m", "code"), ("LST_A", "", "message")]
)
def test_empty_code_or_message_raises_value_error_naming_it(
    code: str, message: str, which: str
) -> None:
    with pytest.raises(ValueError, match=f"'{which}' must not be empty"):
        create_error(code, message)


@pytest.mark.parametrize(
    ("code", "message", "which"), [("  ", "m", "code"), ("A", "\t", "message")]
)
def test_blank_code_or_message_counts_as_empty(code: str, message: str, which: str) -> None:
    with pytest.raises(ValueError, match=f"'{which}' must not be empty"):
        create_error(code, message)


@pytest.mark.parametrize(("code", "message", "which"), [(None, "m", "code"), ("A", 3, "message")])
def test_non_string_code_or_message_raises_type_error(
    code: object, message: object, which: str
) -> None:
    with pytest.raises(TypeError, match=f"'{which}' must be a string"):
        create_error(code, message)  # type: ignore[arg-type]


@pytest.mark.parametrize("base", [int, "ValueError", ValueError("x"), None, object])
def test_base_that_is_not_an_exception_class_raises_type_error(base: object) -> None:
    with pytest.raises(TypeError, match="'base' must be an exception class"):
        create_error("LST_A", "m", 500, base)  # type: ignore[arg-type]


def test_subclasses_lesto_error_and_base() -> None:
    Err = create_error("LST_VALUE", "bad value %r", 400, ValueError)
    assert issubclass(Err, LestoError)
    assert issubclass(Err, ValueError)
    with pytest.raises(ValueError, match="bad value 3") as info:
        raise Err(3)
    assert isinstance(info.value, LestoError)
    assert (info.value.code, info.value.status_code) == ("LST_VALUE", 400)


def test_except_lesto_error_catches_any_created_class() -> None:
    Err = create_error("LST_KEY", "missing %s", 500, KeyError)
    with pytest.raises(LestoError) as info:
        raise Err("k")
    assert info.type is Err
    assert str(info.value) == "missing k"


def test_created_class_serves_as_base_of_another() -> None:
    Parent = create_error("LST_PARENT", "parent %s", 400, TypeError)
    Child = create_error("LST_CHILD", "child %s", 422, Parent)
    assert Child.__mro__[1] is Parent
    err = Child("x")
    assert (err.code, err.status_code, str(err)) == ("LST_CHILD", 422, "child x")
    assert isinstance(err, Parent)
    assert isinstance(err, TypeError)
    assert isinstance(err, LestoError)
    with pytest.raises(Parent):
        raise err


def test_lesto_error_is_the_generic_base() -> None:
    assert (LestoError.code, LestoError.status_code, LestoError.template) == ("LST_ERR", 500, "")
    err = LestoError("plain text")
    assert (err.code, err.status_code, err.message) == ("LST_ERR", 500, "plain text")
    assert issubclass(LestoError, Exception)
