"""The local backend: servers started from executables on this machine.

Each server gets a temporary folder (data, sockets, its log) and a free port
on 127.0.0.1. Settings skip what only protects against a machine crash
(fsync, full-page writes, doublewrite), but keep every commit safe from a
server crash, so that fault tests with :meth:`Service.kill` see real
recovery.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import stat
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import _executables as exe
from ._config import bin_dir
from ._process import (
    LaunchError,
    ServerProcess,
    forget_folder,
    free_port,
    log_tail,
    register_folder,
    run_step,
)
from ._specs import Spec

LOG_NAME = "server.log"


@dataclass
class Plan:
    """How to set up and run one server in its folder. ``{port}`` is filled at first start."""

    server: list[str]
    setup: list[list[str]] = field(default_factory=list)
    user: pwd.struct_passwd | None = None
    stop_signal: int = signal.SIGTERM


@dataclass
class Recipe:
    """A server found on this machine: what it is, and how to plan a run in a folder."""

    description: str
    prepare: Callable[[Path], Plan]


def locate(spec: Spec) -> Recipe | str:
    """The recipe for ``spec`` on this machine, or why there is none."""
    return _LOCATORS[spec.name](spec)


def _is_root() -> bool:
    return os.geteuid() == 0


def _version_output(executable: Path) -> str:
    try:
        done = subprocess.run(
            [str(executable), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout + done.stderr


def _locate_postgres(spec: Spec) -> Recipe | str:
    dirs = exe.search_dirs(bin_dir(spec), exe.postgres_dirs())
    found = exe.find_together(("initdb", "postgres"), dirs)
    if found is None:
        return "initdb and postgres not found (searched PATH and /usr/lib/postgresql/*/bin)"
    initdb, postgres = found
    user = None
    if _is_root():
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            return "PostgreSQL refuses to run as root and there is no 'postgres' user"

    def prepare(workdir: Path) -> Plan:
        if user is not None:
            _hand_over(workdir, user)
        data = str(workdir / "data")
        init = [str(initdb), "-D", data, "-A", "trust", "-U", "postgres", "-N", "-E", "UTF8"]
        server = [str(postgres), "-D", data, "-p", "{port}", "-c", "listen_addresses=127.0.0.1"]
        server += ["-c", "unix_socket_directories=", "-c", "fsync=off"]
        server += ["-c", "full_page_writes=off"]
        return Plan(
            server=server,
            setup=[[*init, "--locale=C"]],
            user=user,
            stop_signal=signal.SIGINT,
        )

    return Recipe(str(postgres), prepare)


def _hand_over(workdir: Path, user: pwd.struct_passwd) -> None:
    """Give ``workdir`` to ``user``, who must also be able to reach it."""
    blocked = [p for p in workdir.parents if not p.stat().st_mode & stat.S_IXOTH]
    if blocked:
        raise LaunchError(
            f"the {user.pw_name} user cannot reach {workdir} (no access to {blocked[0]}): "
            "set TMPDIR to a folder every user can traverse"
        )
    os.chown(workdir, user.pw_uid, user.pw_gid)


_MYSQL_SETTINGS = """[mysqld]
datadir={workdir}/data
socket={workdir}/mysqld.sock
pid-file={workdir}/mysqld.pid
tmpdir={workdir}
bind-address=127.0.0.1
skip-name-resolve
skip-log-bin
innodb_flush_log_at_trx_commit=2
innodb_doublewrite=0
innodb_buffer_pool_size=32M
innodb_log_file_size=16M
performance_schema=OFF
"""


def _locate_mysql(spec: Spec) -> Recipe | str:
    dirs = exe.search_dirs(bin_dir(spec))
    server = exe.find(("mariadbd", "mysqld"), dirs)
    if server is None:
        return "mariadbd or mysqld not found (searched PATH, /usr/sbin, /usr/libexec)"
    as_root = ["--user=root"] if _is_root() else []
    if "MariaDB" in _version_output(server):
        installer = exe.find(("mariadb-install-db", "mysql_install_db"), [server.parent, *dirs])
        if installer is None:
            return f"{server} found but not mariadb-install-db"
        init = [str(installer), "{defaults}", *as_root, "--auth-root-authentication-method=normal"]
        init.append("--skip-test-db")
        extra = ""
    else:
        init = [str(server), "{defaults}", "--initialize-insecure", *as_root]
        extra = "mysqlx=OFF\n"

    def prepare(workdir: Path) -> Plan:
        settings = workdir / "my.cnf"
        settings.write_text(_MYSQL_SETTINGS.format(workdir=workdir) + extra)
        defaults = f"--defaults-file={settings}"
        return Plan(
            server=[str(server), defaults, "--port={port}", *as_root],
            setup=[[defaults if arg == "{defaults}" else arg for arg in init]],
        )

    return Recipe(str(server), prepare)


def _locate_redis(spec: Spec) -> Recipe | str:
    server = exe.find(("redis-server",), exe.search_dirs(bin_dir(spec)))
    if server is None:
        return "redis-server not found (searched PATH and /usr/bin)"
    major = re.search(r"v=(\d+)", _version_output(server))
    # Redis 7 can save on SIGTERM without save points, so restart() keeps the data.
    keep_on_restart = ["--shutdown-on-sigterm", "save"] if major and int(major[1]) >= 7 else []

    def prepare(workdir: Path) -> Plan:
        server_args = ["--port", "{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly"]
        server_args += ["no", "--dir", str(workdir), "--daemonize", "no", *keep_on_restart]
        return Plan(server=[str(server), *server_args])

    return Recipe(str(server), prepare)


def _locate_mongodb(spec: Spec) -> Recipe | str:
    override = bin_dir(spec)
    mongod = exe.find(("mongod",), exe.search_dirs(override))
    if mongod is not None:
        return Recipe(str(mongod), lambda workdir: _mongod_plan(mongod, workdir))
    secantus = exe.find(("secantusd-py",), exe.search_dirs(override, exe.script_dirs()))
    if secantus is not None:
        return Recipe(str(secantus), lambda workdir: _secantus_plan(secantus, workdir))
    return "neither mongod nor secantusd-py was found"


def _mongod_plan(mongod: Path, workdir: Path) -> Plan:
    (workdir / "data").mkdir()
    server = [str(mongod), "--dbpath", str(workdir / "data"), "--port", "{port}"]
    server += ["--bind_ip", "127.0.0.1", "--nounixsocket"]
    return Plan(server=server)


def _secantus_plan(secantus: Path, workdir: Path) -> Plan:
    settings = workdir / "secantusd.toml"
    settings.write_text("")
    server = [str(secantus), "--config", str(settings), "--host", "127.0.0.1", "--port", "{port}"]
    return Plan(server=[*server, "--storage-path", str(workdir / "data")])


_LOCATORS: dict[str, Callable[[Spec], Recipe | str]] = {
    "postgres": _locate_postgres,
    "mysql": _locate_mysql,
    "redis": _locate_redis,
    "mongodb": _locate_mongodb,
}


class LocalRunner:
    """A server this process started, in a temporary folder, on a free port."""

    backend = "local"
    shared = False

    def __init__(self, spec: Spec, recipe: Recipe) -> None:
        self.description = recipe.description
        self._spec = spec
        self._recipe = recipe
        self._workdir: Path | None = None
        self._plan: Plan | None = None
        self._port = 0
        self._process: ServerProcess | None = None

    @property
    def url(self) -> str:
        """The server's URL (known once :meth:`launch` has chosen the port)."""
        return self._spec.url_pattern.format(host="127.0.0.1", port=self._port)

    @property
    def workdir(self) -> Path | None:
        """The temporary folder of the server (``None`` before the first start)."""
        return self._workdir

    def launch(self) -> None:
        """Set up the folder on the first call, then start the server process."""
        if self._plan is None:
            self._plan = self._set_up()
            self._port = free_port()
        assert self._workdir is not None
        argv = [arg.replace("{port}", str(self._port)) for arg in self._plan.server]
        self._process = ServerProcess(
            argv, self._workdir / LOG_NAME, user=self._plan.user, stop_signal=self._plan.stop_signal
        )
        try:
            self._process.start()
        except OSError as error:
            raise LaunchError(f"{argv[0]}: {error}") from error

    def _set_up(self) -> Plan:
        workdir = Path(tempfile.mkdtemp(prefix=f"lesto-testing-{self._spec.name}-"))
        register_folder(workdir)
        self._workdir = workdir
        plan = self._recipe.prepare(workdir)
        for step in plan.setup:
            failure = run_step(step, workdir / LOG_NAME, user=plan.user)
            if failure is not None:
                raise LaunchError(failure)
        return plan

    def alive(self) -> bool:
        """Whether the server process is running."""
        return self._process is not None and self._process.running

    def log_tail(self) -> str:
        """The end of the server's log."""
        return "" if self._workdir is None else log_tail(self._workdir / LOG_NAME)

    def halt(self) -> None:
        """Shut the server down cleanly, keeping its folder for the next :meth:`launch`."""
        if self._process is not None:
            self._process.stop()

    def kill(self) -> None:
        """SIGKILL the server's process group."""
        if self._process is not None:
            self._process.kill()

    def discard(self) -> None:
        """Kill the server (its data are thrown away) and remove its folder."""
        self.kill()
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            forget_folder(self._workdir)
            self._workdir = None
