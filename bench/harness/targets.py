"""The systems under test: a framework's app served by one server, and how to start it."""

import os
import shutil
import sys
from dataclasses import dataclass, replace
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent
APPS_DIR = BENCH_DIR / "apps"
NODE_DIR = BENCH_DIR / ".work" / "node"


@dataclass(frozen=True)
class Target:
    """One framework's app under one server.

    A scenario may add variants of a target: the same app with other environment
    variables (`BENCH_ROUTES=10000`, `BENCH_LOG=1`) or another worker count. A variant
    is named `framework[variant]@server` and labelled with `label` in the report.
    """

    framework: str
    server: str
    optional: bool = False
    variant: str = ""
    label: str = ""
    workers: int = 1
    env: tuple[tuple[str, str], ...] = ()
    diagnostic: bool = False

    @property
    def name(self) -> str:
        variant = f"[{self.variant}]" if self.variant else ""
        return f"{self.framework}{variant}@{self.server}"

    @property
    def display(self) -> str:
        """The framework column of the report: `lesto (10,000 routes)`."""
        return f"{self.framework} ({self.label})" if self.label else self.framework

    def app_file(self, apps: str) -> Path:
        suffix = ".js" if self.server == "node" else ".py"
        return APPS_DIR / apps / f"{self.framework}_app{suffix}"

    def has_app(self, apps: str) -> bool:
        return self.app_file(apps).is_file()

    def command(self, apps: str, port: int) -> list[str]:
        if self.server == "node":
            return [shutil.which("node") or "node", str(self.app_file(apps))]
        module = f"apps.{apps}.{self.framework}_app:app"
        if self.server == "granian":
            return granian_command(module, port, self.workers)
        return uvicorn_command(module, port, self.workers)

    def environment(self, port: int, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ, PORT=str(port), PYTHONPATH=str(BENCH_DIR))
        if self.server == "node":
            env["NODE_PATH"] = str(NODE_DIR / "node_modules")
            env["NODE_ENV"] = "production"
        env.update(extra or {})
        env.update(dict(self.env))
        return env

    def variant_of(
        self,
        variant: str,
        label: str,
        *,
        workers: int = 1,
        diagnostic: bool = False,
        **env: str,
    ) -> "Target":
        return replace(
            self,
            variant=variant,
            label=label,
            workers=workers,
            diagnostic=diagnostic,
            env=tuple(sorted(env.items())),
        )


def uvicorn_command(module: str, port: int, workers: int = 1) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", module,
        "--app-dir", str(BENCH_DIR),
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--loop", "uvloop", "--http", "httptools",
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip


def granian_command(module: str, port: int, workers: int = 1) -> list[str]:
    return [
        sys.executable, "-m", "granian", module,
        "--interface", "asgi", "--working-dir", str(BENCH_DIR),
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--runtime-threads", "1", "--loop", "uvloop", "--http", "1",
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip


BARE_UVICORN = Target("bare", "uvicorn")
BARE_GRANIAN = Target("bare", "granian")
LESTO_UVICORN = Target("lesto", "uvicorn", optional=True)
LESTO_GRANIAN = Target("lesto", "granian", optional=True)
FASTIFY = Target("fastify", "node")

# Lesto without its GC freeze at server start (lesto.gc_freeze), to show what it is worth.
LESTO_NO_FREEZE = LESTO_UVICORN.variant_of(
    "nofreeze", "gc_freeze=False", diagnostic=True, BENCH_GC_FREEZE="0"
)

# Order matters: the bare ASGI rows come first, they are the reference for the ratios.
TARGETS: tuple[Target, ...] = (
    BARE_UVICORN,
    BARE_GRANIAN,
    LESTO_UVICORN,
    LESTO_GRANIAN,
    Target("starlette", "uvicorn"),
    Target("fastapi", "uvicorn"),
    Target("litestar", "uvicorn"),
    Target("blacksheep", "uvicorn"),
    FASTIFY,
)


def parse_only(only: list[str]) -> set[str]:
    return {name.strip() for item in only for name in item.split(",") if name.strip()}


def matches(target: Target, wanted: set[str]) -> bool:
    """`--only lesto` selects every lesto row; `lesto@granian` or `lesto[2w]@uvicorn` one."""
    if not wanted:
        return True
    base = f"{target.framework}@{target.server}"
    return bool({target.framework, target.name, base} & wanted)


def known_names(targets: list[Target]) -> set[str]:
    names = set()
    for t in targets:
        names |= {t.framework, t.name, f"{t.framework}@{t.server}"}
    return names


def select(only: list[str], targets: tuple[Target, ...] = TARGETS) -> list[Target]:
    """Targets whose framework or `framework@server` name is in `only` (all when empty)."""
    wanted = parse_only(only)
    return [t for t in targets if matches(t, wanted)]
