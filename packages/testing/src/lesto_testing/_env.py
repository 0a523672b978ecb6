"""The env backend: a server the user runs, named by ``LESTO_TEST_<NAME>_URL``."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from ._config import service_url
from ._specs import Spec


def locate(spec: Spec) -> ExternalRunner | str:
    """A runner for the URL the user set, or why there is none."""
    url = service_url(spec)
    if url is None:
        return f"{spec.url_var} is not set"
    return ExternalRunner(url)


def redacted(url: str) -> str:
    """``url`` with its password replaced by ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class ExternalRunner:
    """A server that someone else started; lesto-testing only connects to it."""

    backend = "env"
    shared = True

    def __init__(self, url: str) -> None:
        self.url = url
        self.description = redacted(url)

    def launch(self) -> None:
        """Nothing to start."""

    def alive(self) -> bool:
        """Assumed alive: readiness polling decides."""
        return True

    def log_tail(self) -> str:
        """No log: the server is not ours."""
        return ""

    def halt(self) -> None:
        """Nothing to stop."""

    def kill(self) -> None:
        """Nothing to kill."""

    def discard(self) -> None:
        """Nothing to remove."""
