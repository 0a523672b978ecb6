"""Factory options: Lesto(**options) validation and initial_config."""

import pytest
from lesto import Lesto, errors
from lesto.options import OPTIONS


def test_defaults_fill_initial_config():
    app = Lesto(plugin_timeout=3)
    assert app.initial_config["plugin_timeout"] == 3
    assert app.initial_config["body_limit"] == 1024 * 1024
    assert set(app.initial_config) == set(OPTIONS)
    with pytest.raises(TypeError):
        app.initial_config["plugin_timeout"] = 1


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("unknown_option", 1),
        ("plugin_timeout", "10"),
        ("plugin_timeout", -1),
        ("plugin_timeout", True),
        ("logger", "yes"),
        ("body_limit", 0),
        ("body_limit", 1.5),
        ("case_sensitive", 1),
        ("request_id_header", True),
        ("gen_req_id", "uuid"),
        ("trust_proxy", 1.5),
        ("trust_proxy", ["10.0.0.0/8", 3]),
        ("constraints", []),
    ],
)
def test_bad_options_fail_naming_the_option(name, value):
    with pytest.raises(errors.LestoError) as info:
        Lesto(**{name: value})
    assert info.value.code == "LST_ERR_INIT_OPTS_INVALID"
    assert isinstance(info.value, TypeError)
    assert name in info.value.message


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("plugin_timeout", 0),
        ("plugin_timeout", 2.5),
        ("logger", {"level": "info"}),
        ("request_id_header", "x-request-id"),
        ("gen_req_id", lambda raw: "id"),
        ("trust_proxy", ["10.0.0.0/8"]),
        ("trust_proxy", 2),
        ("trust_proxy", lambda address, hop: True),
    ],
)
def test_good_options_are_accepted(name, value):
    assert Lesto(**{name: value}).initial_config[name] == value
