"""The error catalogue: stable codes with the plugin's prefix, each with an HTTP status."""

from __future__ import annotations

from lesto_errors import LestoError
from lesto_mongodb import errors


def test_every_error_is_coded() -> None:
    assert errors.__all__
    for name in errors.__all__:
        error = getattr(errors, name)
        assert issubclass(error, LestoError)
        assert error.code == name
        assert name.startswith("LST_MONGO_ERR_")
        assert error.status_code in {400, 500, 503}


def test_statuses_of_request_facing_errors() -> None:
    assert errors.LST_MONGO_ERR_INVALID_OBJECT_ID.status_code == 400
    assert errors.LST_MONGO_ERR_CONNECT.status_code == 503
