"""Configuration: read once by the start module, validated, then passed to ``build_app``.

Values come from, highest priority first: the process environment, a ``.env``
file, a TOML config file, and the defaults in :data:`SETTINGS`. Every problem
is collected, so one run reports all of them with the variable and where its
value came from.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "SETTINGS",
    "AppConfig",
    "ConfigError",
    "Settings",
    "database_in_url",
    "load_settings",
    "read_env_file",
]

LOG_LEVELS = ("trace", "debug", "info", "warn", "error", "fatal", "silent")
DEFAULT_DATABASE = "visitors"


class ConfigError(ValueError):
    """The configuration is incomplete or invalid; the message lists every problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"  - {problem}" for problem in problems))


@dataclass(frozen=True, slots=True)
class AppConfig:
    """What :func:`visitors.app.build_app` needs: complete and already validated."""

    mongodb_url: str
    postgres_url: str
    redis_url: str
    mysql_url: str
    mongodb_database: str = DEFAULT_DATABASE
    cache_ttl: int = 30
    health_timeout: float = 2.0
    log_level: str = "info"
    log_pretty: bool = True


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the start module reads; a URL left unset is provisioned (or an error)."""

    host: str = "127.0.0.1"
    port: int = 3000
    provision: str = "auto"
    mongodb_url: str | None = None
    mongodb_database: str | None = None
    postgres_url: str | None = None
    redis_url: str | None = None
    mysql_url: str | None = None
    cache_ttl: int = 30
    health_timeout: float = 2.0
    log_level: str = "info"
    log_format: str = "pretty"

    def missing_services(self) -> list[str]:
        """The services without a URL, as lesto-testing names them."""
        urls = {
            "mongodb": self.mongodb_url,
            "postgres": self.postgres_url,
            "redis": self.redis_url,
            "mysql": self.mysql_url,
        }
        return [name for name, url in urls.items() if url is None]

    def app_config(self, provisioned: Mapping[str, str] | None = None) -> AppConfig:
        """The application's configuration, with ``provisioned`` URLs filling the gaps."""
        urls = dict(provisioned or {})
        mongodb_url = self.mongodb_url or urls["mongodb"]
        return AppConfig(
            mongodb_url=mongodb_url,
            postgres_url=self.postgres_url or urls["postgres"],
            redis_url=self.redis_url or urls["redis"],
            mysql_url=self.mysql_url or urls["mysql"],
            mongodb_database=self.mongodb_database
            or database_in_url(mongodb_url)
            or DEFAULT_DATABASE,
            cache_ttl=self.cache_ttl,
            health_timeout=self.health_timeout,
            log_level=self.log_level,
            log_pretty=self.log_format == "pretty",
        )


def database_in_url(url: str) -> str | None:
    """The database named in a MongoDB URL's path (``mongodb://host/db`` gives ``db``)."""
    return urlsplit(url).path.lstrip("/") or None


# --- one parser per kind of value: text in, value out, ValueError with the reason --------


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _port(value: str) -> int:
    number = _integer(value)
    if not 0 <= number <= 65535:
        raise ValueError("must be a port number from 0 to 65535")
    return number


def _integer(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError("must be an integer") from None


def _positive_integer(value: str) -> int:
    number = _integer(value)
    if number < 1:
        raise ValueError("must be an integer >= 1")
    return number


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError("must be a number of seconds") from None
    if not 0 < number <= 60:
        raise ValueError("must be a number of seconds > 0 and <= 60")
    return number


def _choice(*choices: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.lower() not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return value.lower()

    return parse


def _url(*schemes: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in schemes or not (parts.netloc or parts.path):
            starts = " or ".join(f"{scheme}://" for scheme in schemes)
            raise ValueError(f"must be a URL starting with {starts}")
        return value

    return parse


def _mysql_url(value: str) -> str:
    _url("mysql", "mariadb")(value)
    if not urlsplit(value).path.strip("/"):
        raise ValueError("must name its database: mysql://user:password@host:3306/DATABASE")
    return value


def _database_name(value: str) -> str:
    if not value or any(char in value for char in '/\\. "$'):
        raise ValueError('must be a MongoDB database name (no / \\ . space " or $)')
    return value


@dataclass(frozen=True, slots=True)
class Setting:
    """One configuration variable: its environment name, parser and meaning."""

    env: str
    parse: Callable[[str], Any]
    help: str

    @property
    def field(self) -> str:
        """The :class:`Settings` field and the key in a TOML config file."""
        return self.env.lower()


#: Every configuration variable; the defaults are those of :class:`Settings`.
SETTINGS = (
    Setting("HOST", _text, "address to listen on (0.0.0.0 in containers)"),
    Setting("PORT", _port, "port to listen on"),
    Setting("PROVISION", _choice("auto", "never"), "auto: start missing services locally"),
    Setting("MONGODB_URL", _url("mongodb", "mongodb+srv"), "MongoDB server"),
    Setting("MONGODB_DATABASE", _database_name, "database; default: the URL's, else visitors"),
    Setting("POSTGRES_URL", _url("postgresql", "postgres"), "PostgreSQL database"),
    Setting("REDIS_URL", _url("redis", "rediss", "unix"), "Redis database"),
    Setting("MYSQL_URL", _mysql_url, "MariaDB/MySQL database of the audit log"),
    Setting("CACHE_TTL", _positive_integer, "seconds /api/stats stays cached in Redis"),
    Setting("HEALTH_TIMEOUT", _seconds, "seconds each /health check may take"),
    Setting("LOG_LEVEL", _choice(*LOG_LEVELS), "log level"),
    Setting("LOG_FORMAT", _choice("pretty", "json"), "pretty lines or JSON lines"),
)
_BY_FIELD = {setting.field: setting for setting in SETTINGS}
_BY_ENV = {setting.env: setting for setting in SETTINGS}


# --- sources ---------------------------------------------------------------------------


def read_env_file(path: Path) -> dict[str, tuple[str, str]]:
    """``KEY=VALUE`` lines of a ``.env`` file as ``{KEY: (value, where)}``.

    Blank lines and ``#`` comments are skipped, ``export`` is allowed, and
    single or double quotes around a value are removed.

    Raises:
        ConfigError: the file cannot be read or a line is not ``KEY=VALUE``.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError([f"cannot read env file {path}: {exc.strerror}"]) from None
    values: dict[str, tuple[str, str]] = {}
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        key, sep, value = text.removeprefix("export ").partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key.isidentifier():
            problems.append(f"{path}:{number}: expected KEY=VALUE, got {line!r}")
            continue
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key] = (value, f"{path}:{number}")
    if problems:
        raise ConfigError(problems)
    return values


def read_config_file(path: Path) -> dict[str, tuple[str, str]]:
    """A TOML config file (keys are the variables in lower case) as ``{ENV: (value, where)}``.

    Raises:
        ConfigError: the file cannot be read or parsed, or has unknown keys or non-scalar values.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError([f"cannot read config file {path}: {exc.strerror}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"config file {path} is not valid TOML: {exc}"]) from None
    values: dict[str, tuple[str, str]] = {}
    problems: list[str] = []
    for key, value in data.items():
        setting = _BY_FIELD.get(key)
        if setting is None:
            problems.append(f"{path}: unknown key {key!r} (known: {', '.join(_BY_FIELD)})")
        elif isinstance(value, bool | dict | list):
            problems.append(f"{path}: {key} must be a string or a number")
        else:
            values[setting.env] = (str(value), str(path))
    if problems:
        raise ConfigError(problems)
    return values


def load_settings(
    environ: Mapping[str, str],
    *,
    env_file: Path | None = None,
    env_file_required: bool = False,
    config_file: Path | None = None,
) -> Settings:
    """Merge the sources (environment > ``.env`` > config file > defaults) and validate.

    An empty variable in the environment counts as unset. ``env_file`` may be absent unless
    ``env_file_required``; ``config_file`` must exist when given.

    Raises:
        ConfigError: every problem found, each naming the variable and its source.
    """
    raw: dict[str, tuple[str, str]] = {}
    if config_file is not None:
        raw.update(read_config_file(config_file))
    if env_file is not None and (env_file_required or env_file.exists()):
        raw.update((key, item) for key, item in read_env_file(env_file).items() if key in _BY_ENV)
    raw.update((key, (environ[key], "environment")) for key in _BY_ENV if environ.get(key))
    values: dict[str, Any] = {}
    problems: list[str] = []
    for env, (text, where) in raw.items():
        try:
            values[_BY_ENV[env].field] = _BY_ENV[env].parse(text)
        except ValueError as exc:
            problems.append(f"{env}={text!r} (from {where}): {exc}")
    settings = Settings(**values)
    if not problems and settings.provision == "never":
        problems.extend(
            f"{name.upper()}_URL is required when PROVISION=never"
            for name in settings.missing_services()
        )
    if problems:
        raise ConfigError(problems)
    return settings
