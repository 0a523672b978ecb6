"""``tools/new-plugin <name>``: a new Lesto plugin package from the copier template.

In the monorepo it creates ``packages/<name>/`` (a workspace member at once);
with ``--standalone`` a repository of its own, with its own hatch config and CI.
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from .errors import ToolError
from .names import PluginNames, plugin_names
from .ranges import compatible_range
from .workspace import ROOT, Package, find_package, load_workspace

__all__ = ["SERVICES", "create_plugin", "main"]

TEMPLATE = ROOT / "tools" / "templates" / "plugin"

#: Per service: its title, a URL for examples, and the URL schemes the skeleton accepts.
SERVICES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "postgres": ("PostgreSQL", "postgresql://localhost:5432/app", ("postgresql://", "postgres://")),
    "mysql": ("MariaDB/MySQL", "mysql://root@localhost:3306/app", ("mysql://", "mariadb://")),
    "redis": ("Redis", "redis://localhost:6379/0", ("redis://", "rediss://", "unix://")),
    "mongodb": ("MongoDB", "mongodb://localhost:27017/app", ("mongodb://", "mongodb+srv://")),
}


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, create the plugin, print what to do next."""
    args = _parser().parse_args(argv)
    try:
        names, dest = create_plugin(
            args.name,
            service=args.service or "",
            description=args.description,
            standalone=args.standalone,
            dest=args.dest,
            author=args.author,
        )
    except ToolError as exc:
        print(f"new-plugin: {exc}", file=sys.stderr)
        return 1
    print(f"created {names.dist} in {dest}")
    print(_next_steps(names, dest, args.standalone))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tools/new-plugin", description=__doc__.splitlines()[0])
    parser.add_argument(
        "name", help="short name: rate-limit gives lesto-rate-limit, lesto_rate_limit"
    )
    parser.add_argument("--service", choices=sorted(SERVICES), help="wire a lesto-testing fixture")
    parser.add_argument("--description", help="one sentence for the metadata and README")
    parser.add_argument("--standalone", action="store_true", help="a repository of its own")
    parser.add_argument("--dest", type=Path, help="with --standalone: where (./lesto-<name>)")
    parser.add_argument("--author", default="The Lesto developers", help="for metadata, LICENSE")
    return parser


def create_plugin(
    name: str,
    *,
    service: str = "",
    description: str | None = None,
    standalone: bool = False,
    dest: Path | None = None,
    author: str = "The Lesto developers",
) -> tuple[PluginNames, Path]:
    """Render the template; return the plugin's names and the folder made.

    Raises:
        ToolError: an invalid or clashing name, an unknown service, a
            destination that exists, or ``dest`` without ``standalone``.
    """
    if service and service not in SERVICES:
        raise ToolError(f"unknown service {service!r} (one of {', '.join(sorted(SERVICES))})")
    if dest is not None and not standalone:
        raise ToolError("--dest is for --standalone; in the monorepo the folder is packages/<name>")
    packages = load_workspace(ROOT)
    names = plugin_names(name, taken=_taken(packages), reserved=_reserved())
    target = _destination(names, standalone, dest)
    data = _answers(names, packages, service, description, standalone, author)
    _render(target, data)
    return names, target


def _taken(packages: list[Package]) -> set[str]:
    taken = {"lesto"}
    for package in packages:
        taken |= {package.name, canonicalize_name(package.dist), package.import_name}
    return taken


def _reserved() -> set[str]:
    """Attribute names of the application object: a decorator may not shadow them."""
    try:
        from lesto import Lesto
    except ImportError:
        return set()
    return set(dir(Lesto))


def _destination(names: PluginNames, standalone: bool, dest: Path | None) -> Path:
    if standalone:
        target = (dest or Path.cwd() / names.dist).resolve()
    else:
        target = ROOT / "packages" / names.short
    if target.exists() and any(target.iterdir()):
        raise ToolError(f"{target} already exists and is not empty")
    return target


def _answers(
    names: PluginNames,
    packages: list[Package],
    service: str,
    description: str | None,
    standalone: bool,
    author: str,
) -> dict[str, Any]:
    title, default_url, schemes = SERVICES.get(service, ("", "", ()))

    def version_range(dist: str) -> str:
        return compatible_range(find_package(packages, dist).version)

    return {
        "name": names.short,
        "description": description or f"{names.title} for Lesto applications.",
        "service": service,
        "standalone": standalone,
        "author": author,
        "dist": names.dist,
        "import_name": names.import_name,
        "decorator": names.decorator,
        "class_name": names.short.title().replace("-", ""),
        "error_prefix": names.error_prefix,
        "title": names.title,
        "url_env": f"{names.decorator.upper()}_URL",
        "service_title": title,
        "default_url": default_url,
        "schemes": ", ".join(f'"{scheme}"' for scheme in schemes),
        "lesto_range": version_range("lesto"),
        "errors_range": version_range("lesto-errors"),
        "testing_range": version_range("lesto-testing"),
        "year": str(datetime.date.today().year),
    }


def _render(target: Path, data: dict[str, Any]) -> None:
    """Run copier, then let ruff sort imports and format (names change line lengths)."""
    from copier import run_copy

    created = not target.exists()
    try:
        run_copy(str(TEMPLATE), str(target), data=data, defaults=True, quiet=True)
        for command in (["check", "--fix-only", "--quiet"], ["format", "--quiet"]):
            subprocess.run([sys.executable, "-m", "ruff", *command, "."], cwd=target, check=True)
    except BaseException:
        if created:
            shutil.rmtree(target, ignore_errors=True)
        raise


def _next_steps(names: PluginNames, dest: Path, standalone: bool) -> str:
    if standalone:
        return (
            f"next: cd {dest} && git init && hatch run all  (lint, types, tests); CI runs .ci/run"
        )
    return (
        f"next: hatch run test packages/{names.short}, hatch run lint, hatch run types"
        f" {names.short}, tools/check; add {names.dist} to the README's package table"
    )


if __name__ == "__main__":
    raise SystemExit(main())
