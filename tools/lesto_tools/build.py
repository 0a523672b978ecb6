"""Building a package with ``hatch build`` and validating the artifacts (twine, metadata)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from .errors import ToolError
from .workspace import Package

__all__ = ["build", "check_artifacts", "wheel_metadata"]


def build(package: Package, outdir: Path) -> list[Path]:
    """Build the sdist and wheel of ``package`` into ``outdir``; return their paths.

    Runs ``hatch build`` in the package's folder, the project it builds.

    Raises:
        ToolError: hatch failed (its output is included).
    """
    outdir.mkdir(parents=True, exist_ok=True)
    before = set(outdir.iterdir())
    command = ["hatch", "build", "-t", "sdist", "-t", "wheel", str(outdir)]
    done = subprocess.run(command, cwd=package.folder, capture_output=True, text=True)
    if done.returncode != 0:
        raise ToolError(f"hatch build failed for {package.dist}:\n{done.stdout}{done.stderr}")
    return sorted(set(outdir.iterdir()) - before)


def check_artifacts(package: Package, files: list[Path]) -> None:
    """Run ``twine check --strict`` and compare the wheel's metadata with the package.

    Raises:
        ToolError: twine reports a problem (e.g. a README that does not render), or
            the wheel's name, version or requirements differ from the sources.
    """
    command = [sys.executable, "-m", "twine", "check", "--strict", *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise ToolError(f"twine check failed for {package.dist}:\n{done.stdout}{done.stderr}")
    wheels = [f for f in files if f.suffix == ".whl"]
    if len(wheels) != 1 or not any(f.name.endswith(".tar.gz") for f in files):
        raise ToolError(f"{package.dist}: expected one sdist and one wheel, got {files}")
    _compare(package, wheel_metadata(wheels[0]))


def wheel_metadata(wheel: Path) -> dict[str, list[str]]:
    """The ``METADATA`` fields of a wheel, each as the list of its values."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        message = Parser().parsestr(archive.read(name).decode("utf-8"))
    fields: dict[str, list[str]] = {}
    for key, value in message.items():
        fields.setdefault(key, []).append(value)
    return fields


def _compare(package: Package, meta: dict[str, list[str]]) -> None:
    name = meta.get("Name", [""])[0]
    version = meta.get("Version", [""])[0]
    if canonicalize_name(name) != canonicalize_name(package.dist):
        raise ToolError(f"{package.dist}: the wheel is named {name!r}")
    if version != package.version:
        raise ToolError(f"{package.dist}: the wheel has version {version}, not {package.version}")
    try:
        built = {_key(Requirement(text)) for text in meta.get("Requires-Dist", [])}
    except InvalidRequirement as exc:
        raise ToolError(f"{package.dist}: the wheel has an invalid requirement ({exc})") from exc
    own = canonicalize_name(package.dist)
    missing = [
        str(r)
        for r in package.requirements
        if canonicalize_name(r.name) != own and _key(r) not in built
    ]
    if missing:
        raise ToolError(f"{package.dist}: the wheel lacks requirements {sorted(missing)}")


def _key(requirement: Requirement) -> tuple[str, str, str]:
    """What must match between a source requirement and the wheel's (the extra markers aside)."""
    extras = ",".join(sorted(requirement.extras))
    return canonicalize_name(requirement.name), extras, str(requirement.specifier)
