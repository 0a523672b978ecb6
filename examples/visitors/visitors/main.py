"""The start module: load the configuration, provision what is missing, build, listen.

``python -m visitors`` (or ``hatch run demo`` from the repository root) runs
:func:`main`. A service without a URL is started locally with lesto-testing
(``PROVISION=auto``, the default) and stopped on exit. SIGINT and SIGTERM
close the application gracefully, then stop those services.

``create_app`` is the factory for ``lesto run visitors.main:create_app``
(several workers behind a reverse proxy): it never provisions, so every URL
must be configured.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

import aiomysql  # type: ignore[import-untyped]
import lesto_testing
from lesto import Lesto
from lesto.logging import Logger, create_logger

from .app import build_app
from .config import ConfigError, Settings, load_settings

__all__ = ["MYSQL_DATABASE", "ProvisionError", "create_app", "main", "provisioned", "serve"]

#: The database created on a provisioned MariaDB server (its URL names none).
MYSQL_DATABASE = "visitors"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line: where the ``.env`` and config files are."""
    parser = argparse.ArgumentParser(
        prog="visitors", description="Serve the Lesto visitors demo application."
    )
    parser.add_argument(
        "--env-file",
        type=Path,
        help="a .env file to read (default: .env in the current folder, when it exists)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=os.environ.get("VISITORS_CONFIG") or None,
        help="a TOML config file (default: $VISITORS_CONFIG)",
    )
    return parser.parse_args(argv)


def load(args: argparse.Namespace) -> Settings:
    """The settings from the environment and the files named by ``args``."""
    return load_settings(
        os.environ,
        env_file=args.env_file or Path(".env"),
        env_file_required=args.env_file is not None,
        config_file=args.config,
    )


class ProvisionError(RuntimeError):
    """A service had no URL and lesto-testing could not start one."""

    def __init__(self, name: str, cause: Exception) -> None:
        super().__init__(
            f"{name.upper()}_URL is not set and no {name} server could be started for this run;"
            f" set {name.upper()}_URL to a running server, or provide what this says: {cause}"
        )


@contextlib.asynccontextmanager
async def provisioned(settings: Settings, log: Logger) -> AsyncIterator[dict[str, str]]:
    """Start the services without a URL (in parallel) and yield their URLs; stop them on exit."""
    names = settings.missing_services()
    results = await asyncio.gather(
        *(asyncio.to_thread(lesto_testing.start, name) for name in names), return_exceptions=True
    )
    services = [result for result in results if isinstance(result, lesto_testing.Service)]
    try:
        for name, result in zip(names, results, strict=True):
            if isinstance(result, Exception):
                raise ProvisionError(name, result) from result
        urls = {service.name: await _database_url(service) for service in services}
        for service in services:
            log.info(
                f"{service.name.upper()}_URL not set: started {service.title} {service.version}"
                f" ({service.backend}: {service.description}) at {urls[service.name]}"
                " with lesto-testing; it is stopped on exit"
            )
        yield urls
    finally:
        for service in services:
            await asyncio.to_thread(service.stop)
            log.info(f"stopped the {service.title} server started for this run")


async def _database_url(service: lesto_testing.Service) -> str:
    """The service's URL, naming a database: one is created on a MariaDB server that has none."""
    parts = urlsplit(service.url)
    if service.name != "mysql" or parts.path.strip("/"):
        return service.url
    conn = await aiomysql.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=unquote(parts.username or "root"),
        password=unquote(parts.password or ""),
        autocommit=True,
    )
    try:
        async with conn.cursor() as cursor:
            await cursor.execute(
                f"CREATE DATABASE IF NOT EXISTS `{MYSQL_DATABASE}` CHARACTER SET utf8mb4"
            )
    finally:
        conn.close()
    return f"{service.url.rstrip('/')}/{MYSQL_DATABASE}"


def banner(url: str) -> str:
    """What to try once the application listens."""
    json = "-H 'content-type: application/json'"
    return "\n".join(
        [
            f"Visitors demo listening at {url}  (Ctrl-C to stop)",
            "Try:",
            f'  curl -X PUT {url}/api/users/ada {json} -d \'{{"message": "hello"}}\'',
            f"  curl '{url}/api/users?offset=0&limit=10'",
            f"  curl {url}/api/stats",
            f'  curl -X POST {url}/animals {json} -d \'{{"animal": "cat"}}\'',
            f"  curl {url}/animals/cat",
            f"  curl '{url}/api/audit?limit=5'",
            f"  curl {url}/health",
        ]
    )


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)


async def serve(settings: Settings) -> int:
    """Provision, build, listen until SIGINT/SIGTERM, close; return the exit status."""
    log = create_logger({"level": settings.log_level, "pretty": settings.log_format == "pretty"})
    stop = asyncio.Event()
    _stop_on_signals(stop)
    try:
        async with provisioned(settings, log) as urls:
            if not stop.is_set():
                await _listen(build_app(settings.app_config(urls)), settings, stop, log)
    except ProvisionError as exc:
        log.fatal(f"cannot start: {exc}")
        return 1
    except Exception as exc:
        log.fatal({"err": exc}, f"cannot start: {exc}")
        return 1
    log.info("stopped cleanly")
    return 0


async def _listen(app: Lesto, settings: Settings, stop: asyncio.Event, log: Logger) -> None:
    try:
        url = await app.listen(port=settings.port, host=settings.host)
        print(banner(url), flush=True)
        await stop.wait()
        log.info("signal received: closing the application")
    finally:
        await app.close()


def create_app() -> Lesto:
    """The factory for ``lesto run visitors.main:create_app``: configured services only.

    Raises:
        ConfigError: the configuration is invalid, or a service has no URL.
    """
    settings = load_settings(os.environ, env_file=Path(".env"))
    missing = settings.missing_services()
    if missing:
        raise ConfigError([f"{name.upper()}_URL is required with lesto run" for name in missing])
    return build_app(settings.app_config())


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: 0 after a clean stop, 1 when starting failed, 2 for configuration errors."""
    try:
        settings = load(parse_args(argv))
    except ConfigError as exc:
        print(f"visitors: invalid configuration:\n{exc}", file=sys.stderr)
        return 2
    return asyncio.run(serve(settings))
