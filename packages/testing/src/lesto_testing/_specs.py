"""What lesto-testing knows about each service it can provide."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import LST_TESTING_ERR_UNKNOWN_SERVICE


@dataclass(frozen=True)
class Spec:
    """One kind of service: its names, URL shape, how to install it, and its Docker image.

    ``url_pattern`` is the URL of a server this package starts (trust or
    empty-password authentication), with ``{host}`` and ``{port}`` to fill.
    """

    name: str
    title: str
    url_pattern: str
    extra: str
    install_hint: str
    image: str
    image_port: int
    image_env: dict[str, str] = field(default_factory=dict)
    image_command: str | None = None

    @property
    def url_var(self) -> str:
        """The environment variable that points the service at an existing server."""
        return f"LESTO_TEST_{self.name.upper()}_URL"

    @property
    def bin_var(self) -> str:
        """The environment variable that names the folder of the local executables."""
        return f"LESTO_TEST_{self.name.upper()}_BIN"


SPECS: dict[str, Spec] = {
    "postgres": Spec(
        name="postgres",
        url_pattern="postgresql://postgres@{host}:{port}/postgres",
        title="PostgreSQL",
        extra="postgres",
        install_hint="apt-get install postgresql (or brew install postgresql)",
        image="postgres:16-alpine",
        image_port=5432,
        image_env={"POSTGRES_HOST_AUTH_METHOD": "trust"},
        image_command="postgres -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
    ),
    "mysql": Spec(
        name="mysql",
        url_pattern="mysql://root@{host}:{port}/",
        title="MariaDB/MySQL",
        extra="mysql",
        install_hint="apt-get install mariadb-server (or brew install mariadb)",
        image="mariadb:11",
        image_port=3306,
        image_env={"MARIADB_ALLOW_EMPTY_ROOT_PASSWORD": "1"},
    ),
    "redis": Spec(
        name="redis",
        url_pattern="redis://{host}:{port}/0",
        title="Redis",
        extra="redis",
        install_hint="apt-get install redis-server (or brew install redis)",
        image="redis:7-alpine",
        image_port=6379,
        image_command="redis-server --save '' --appendonly no",
    ),
    "mongodb": Spec(
        name="mongodb",
        url_pattern="mongodb://{host}:{port}/",
        title="MongoDB",
        extra="mongodb",
        install_hint="pip install 'lesto-testing[mongodb]' (SecantusDB), or put mongod on PATH",
        image="mongo:7",
        image_port=27017,
    ),
}

SERVICE_NAMES = tuple(SPECS)


def spec_for(name: str) -> Spec:
    """The :class:`Spec` of ``name``, or ``LST_TESTING_ERR_UNKNOWN_SERVICE``."""
    try:
        return SPECS[name]
    except KeyError:
        raise LST_TESTING_ERR_UNKNOWN_SERVICE(name, ", ".join(SERVICE_NAMES)) from None
