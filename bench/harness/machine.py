"""The machine and tool versions a run reports, and which cores the server and wrk get."""

import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
from collections import defaultdict
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
        return (
            f"server on CPU {self.server_cpu}; wrk and the database servers on CPU"
            f" {self.wrk_cpu} (taskset, sched_setaffinity)"
        )


UNPINNED = Pinning(None, None)


def pinning() -> Pinning:
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2 or shutil.which("taskset") is None:
        return Pinning(None, None)
    return Pinning(cpus[0], cpus[1])


def pin_listener(port: int, cpu: int) -> int:
    """Pin the process listening on TCP ``port``, and every process and thread under it
    (database backends forked later inherit it), to ``cpu``; return how many tasks.

    The database servers then never take the app server's core: without this a
    PostgreSQL backend or a MariaDB thread landed on it at random and the
    database scenarios moved by 20-40% from one repeat to the next.
    """
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    children: dict[int, list[int]] = defaultdict(list)
    owners = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            children[ppid].append(int(entry.name))
            for fd in (entry / "fd").iterdir():
                link = os.readlink(fd)
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    owners.append(int(entry.name))
                    break
        except OSError:
            continue  # gone, or not ours to read
    pinned, seen, stack = 0, set(), owners
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                os.sched_setaffinity(int(task.name), {cpu})
                pinned += 1
            except OSError:
                continue
        stack.extend(children[pid])
    return pinned


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
