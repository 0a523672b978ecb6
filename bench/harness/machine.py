"""The machine and tool versions a run reports, and which cores the server and wrk get."""

import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from harness.targets import NODE_DIR

PYTHON_PACKAGES = (
    "lesto", "lesto-postgres", "lesto-mysql", "lesto-redis", "lesto-testing",
    "starlette", "fastapi", "pydantic", "litestar", "msgspec", "blacksheep",
    "uvicorn", "uvloop", "httptools", "granian", "orjson", "asyncpg", "aiomysql", "PyMySQL",
    "redis",
)  # fmt: skip
NODE_PACKAGES = (
    "fastify", "@fastify/postgres", "pg", "@fastify/mysql", "mysql2", "@fastify/redis", "ioredis",
)  # fmt: skip


@dataclass(frozen=True)
class Pinning:
    server_cpu: int | None
    wrk_cpu: int | None

    def describe(self) -> str:
        if self.server_cpu is None:
            return "not pinned (fewer than 2 usable cores or no taskset)"
        return f"server on CPU {self.server_cpu}, wrk on CPU {self.wrk_cpu} (taskset)"


UNPINNED = Pinning(None, None)


def pinning() -> Pinning:
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2 or shutil.which("taskset") is None:
        return Pinning(None, None)
    return Pinning(cpus[0], cpus[1])


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_gib() -> str:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    return "unknown"


def tool_version(argv: list[str]) -> str:
    if shutil.which(argv[0]) is None:
        return "missing"
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0].strip() if lines else "unknown"


def package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def node_package_version(folder: str) -> str:
    manifest = NODE_DIR / "node_modules" / folder / "package.json"
    if not manifest.is_file():
        return "not installed"
    return str(json.loads(manifest.read_text())["version"])


def load_average() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def describe() -> dict[str, str]:
    return {
        "CPU": f"{cpu_model()}, {os.cpu_count()} logical cores",
        "memory": memory_gib(),
        "OS": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "Node": tool_version(["node", "--version"]),
        "wrk": tool_version(["wrk", "--version"]).split(" [")[0],
        **{f"{name} (npm)": node_package_version(name) for name in NODE_PACKAGES},
        **{name: package_version(name) for name in PYTHON_PACKAGES},
    }
