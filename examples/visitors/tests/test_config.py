"""The start module's configuration: sources, precedence, defaults and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from visitors.config import AppConfig, ConfigError, Settings, load_settings
from visitors.main import create_app, main

MONGO = "mongodb://db.example:27017/"


def test_defaults_when_nothing_is_configured(tmp_path: Path) -> None:
    settings = load_settings({}, env_file=tmp_path / ".env")
    assert settings == Settings()
    assert (settings.host, settings.port, settings.provision) == ("127.0.0.1", 3000, "auto")
    assert settings.missing_services() == ["mongodb", "postgres", "redis", "mysql"]


def test_environment_beats_env_file_beats_config_file(tmp_path: Path) -> None:
    config = tmp_path / "visitors.toml"
    config.write_text('port = 4000\ncache_ttl = 5\nlog_level = "debug"\nhost = "0.0.0.0"\n')
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# comment\n\nexport PORT=5000\nCACHE_TTL='7'\nMONGODB_URL=\"mongodb://a:1/shop\"\n"
        "UNRELATED=1\n"
    )
    settings = load_settings(
        {"PORT": "6000", "LOG_LEVEL": ""}, env_file=env_file, config_file=config
    )
    assert settings.port == 6000  # environment
    assert settings.cache_ttl == 7  # .env, quotes removed
    assert settings.mongodb_url == "mongodb://a:1/shop"
    assert settings.log_level == "debug"  # config file (the empty variable counts as unset)
    assert settings.host == "0.0.0.0"


def test_app_config_fills_gaps_with_provisioned_urls() -> None:
    settings = Settings(mongodb_url="mongodb://a:1/shop", cache_ttl=9, log_format="json")
    config = settings.app_config(
        {"postgres": "postgresql://p/db", "redis": "redis://r/0", "mysql": "mysql://m/db"}
    )
    assert config == AppConfig(
        mongodb_url="mongodb://a:1/shop",
        mongodb_database="shop",  # the URL's database
        postgres_url="postgresql://p/db",
        redis_url="redis://r/0",
        mysql_url="mysql://m/db",
        cache_ttl=9,
        log_pretty=False,
    )
    assert (
        Settings()
        .app_config({"mongodb": MONGO, "postgres": "x", "redis": "y", "mysql": "z"})
        .mongodb_database
    )
    explicit = Settings(mongodb_database="books").app_config(
        {"mongodb": "mongodb://a/shop", "postgres": "x", "redis": "y", "mysql": "z"}
    )
    assert explicit.mongodb_database == "books"


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("PORT", "abc", "must be an integer"),
        ("PORT", "70000", "from 0 to 65535"),
        ("MONGODB_URL", "http://x", "mongodb://"),
        ("POSTGRES_URL", "mysql://x/db", "postgresql://"),
        ("REDIS_URL", "localhost:6379", "redis://"),
        ("MYSQL_URL", "postgresql://x/db", "mysql://"),
        ("MYSQL_URL", "mariadb://root@db.example:3306/", "must name its database"),
        ("CACHE_TTL", "0", ">= 1"),
        ("HEALTH_TIMEOUT", "soon", "seconds"),
        ("LOG_LEVEL", "loud", "one of"),
        ("PROVISION", "sometimes", "auto, never"),
        ("MONGODB_DATABASE", "a.b", "database name"),
    ],
)
def test_invalid_values_name_the_variable_and_source(
    tmp_path: Path, variable: str, value: str, reason: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({variable: value}, env_file=tmp_path / ".env")
    (problem,) = caught.value.problems
    assert problem.startswith(f"{variable}={value!r} (from environment)")
    assert reason in problem


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("PORT=x\n")
    with pytest.raises(ConfigError) as caught:
        load_settings({"CACHE_TTL": "-1"}, env_file=env_file)
    assert [p.split("=")[0] for p in caught.value.problems] == ["PORT", "CACHE_TTL"]
    assert f"(from {env_file}:1)" in caught.value.problems[0]


def test_provision_never_requires_every_url(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"PROVISION": "never", "MONGODB_URL": MONGO}, env_file=tmp_path / ".env")
    assert caught.value.problems == [
        "POSTGRES_URL is required when PROVISION=never",
        "REDIS_URL is required when PROVISION=never",
        "MYSQL_URL is required when PROVISION=never",
    ]


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read env file"):
        load_settings({}, env_file=tmp_path / "missing.env", env_file_required=True)
    broken = tmp_path / ".env"
    broken.write_text("PORT 3000\n")
    with pytest.raises(ConfigError, match=r"\.env:1: expected KEY=VALUE"):
        load_settings({}, env_file=broken)
    config = tmp_path / "c.toml"
    for text, message in [
        ("port = ", "not valid TOML"),
        ("prot = 1", "unknown key 'prot'"),
        ("port = [1]", "port must be a string or a number"),
    ]:
        config.write_text(text)
        with pytest.raises(ConfigError, match=message):
            load_settings({}, config_file=config)
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_settings({}, config_file=tmp_path / "absent.toml")


def test_main_reports_configuration_errors_with_status_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PORT", "nope")
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "invalid configuration" in err
    assert "PORT='nope' (from environment): must be an integer" in err


def test_lesto_run_factory_never_provisions(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("MONGODB_URL", "POSTGRES_URL", "REDIS_URL", "MYSQL_URL", "PROVISION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MONGODB_URL", MONGO)
    with pytest.raises(ConfigError) as caught:
        create_app()
    assert caught.value.problems == [
        "POSTGRES_URL is required with lesto run",
        "REDIS_URL is required with lesto run",
        "MYSQL_URL is required with lesto run",
    ]
