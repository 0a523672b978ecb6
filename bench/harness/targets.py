"""The systems under test: a framework's app served by one server, and how to start it."""

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent
APPS_DIR = BENCH_DIR / "apps"
NODE_DIR = BENCH_DIR / ".work" / "node"


@dataclass(frozen=True)
class Target:
    framework: str
    server: str
    optional: bool = False

    @property
    def name(self) -> str:
        return f"{self.framework}@{self.server}"

    def app_file(self, scenario: str) -> Path:
        suffix = ".js" if self.server == "node" else ".py"
        return APPS_DIR / scenario / f"{self.framework}_app{suffix}"

    def has_app(self, scenario: str) -> bool:
        return self.app_file(scenario).is_file()

    def command(self, scenario: str, port: int) -> list[str]:
        if self.server == "node":
            return [shutil.which("node") or "node", str(self.app_file(scenario))]
        module = f"apps.{scenario}.{self.framework}_app:app"
        if self.server == "granian":
            return granian_command(module, port)
        return uvicorn_command(module, port)

    def environment(self, port: int) -> dict[str, str]:
        env = dict(os.environ, PORT=str(port), PYTHONPATH=str(BENCH_DIR))
        if self.server == "node":
            env["NODE_PATH"] = str(NODE_DIR / "node_modules")
            env["NODE_ENV"] = "production"
        return env


def uvicorn_command(module: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", module,
        "--app-dir", str(BENCH_DIR),
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", "1", "--loop", "uvloop", "--http", "httptools",
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip


def granian_command(module: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "granian", module,
        "--interface", "asgi", "--working-dir", str(BENCH_DIR),
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", "1", "--runtime-threads", "1", "--loop", "uvloop", "--http", "1",
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip


# Order matters: the bare ASGI rows come first, they are the reference for the ratios.
TARGETS: tuple[Target, ...] = (
    Target("bare", "uvicorn"),
    Target("bare", "granian"),
    Target("lesto", "uvicorn", optional=True),
    Target("lesto", "granian", optional=True),
    Target("starlette", "uvicorn"),
    Target("fastapi", "uvicorn"),
    Target("litestar", "uvicorn"),
    Target("blacksheep", "uvicorn"),
    Target("fastify", "node"),
)


def select(only: list[str]) -> list[Target]:
    """Targets whose framework or `framework@server` name is in `only` (all when empty)."""
    if not only:
        return list(TARGETS)
    wanted = {name.strip() for item in only for name in item.split(",") if name.strip()}
    chosen = [t for t in TARGETS if t.framework in wanted or t.name in wanted]
    unknown = wanted - {t.framework for t in TARGETS} - {t.name for t in TARGETS}
    if unknown:
        raise SystemExit(f"unknown --only value(s): {', '.join(sorted(unknown))}")
    return chosen
