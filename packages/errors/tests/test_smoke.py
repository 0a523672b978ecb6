from lesto_errors import LestoError, create_error


def test_create_error_builds_a_coded_class() -> None:
    err = create_error("lst_x", "bad %s", 400)("thing")
    assert isinstance(err, LestoError)
    assert (err.code, err.status_code, str(err)) == ("LST_X", 400, "bad thing")
