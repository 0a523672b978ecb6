"""Run ``mypy --strict`` on the ``src/`` folder of every package (or the ones named)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def package_sources(names: list[str]) -> list[str]:
    """Return the ``src/`` folders to check: all packages, or those named on the command line."""
    packages = sorted(p for p in (ROOT / "packages").iterdir() if (p / "src").is_dir())
    if names:
        wanted = {n.removeprefix("packages/").strip("/") for n in names}
        unknown = wanted - {p.name for p in packages}
        if unknown:
            sys.exit(f"unknown package(s): {', '.join(sorted(unknown))}")
        packages = [p for p in packages if p.name in wanted]
    return [str(p / "src") for p in packages]


def main() -> int:
    sources = package_sources(sys.argv[1:])
    print("mypy --strict " + " ".join(str(Path(s).relative_to(ROOT)) for s in sources), flush=True)
    return subprocess.call([sys.executable, "-m", "mypy", "--strict", *sources], cwd=ROOT)


if __name__ == "__main__":
    raise SystemExit(main())
