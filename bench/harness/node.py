"""Fastify 5 and its plugins from npm, installed with the machine's npm into bench/.work/node
(git-ignored)."""

import shutil
import subprocess

from harness.targets import NODE_DIR

# npm spec -> the package folder that proves it is installed
NODE_PACKAGES: dict[str, str] = {
    "fastify@5": "fastify",
    "@fastify/postgres@6": "@fastify/postgres",
    "pg@8": "pg",
    "@fastify/redis@9": "@fastify/redis",
    "@fastify/mysql@5": "@fastify/mysql",  # brings its driver, mysql2
}


def installed(folder: str) -> bool:
    return (NODE_DIR / "node_modules" / folder / "package.json").is_file()


def ensure_fastify() -> str | None:
    """Install what is missing; returns why Node targets cannot run, or None."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "node/npm not found (apt-get install -y nodejs npm)"
    missing = [spec for spec, folder in NODE_PACKAGES.items() if not installed(folder)]
    if not missing:
        return None
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    manifest = NODE_DIR / "package.json"
    if not manifest.exists():
        manifest.write_text('{"name": "lesto-bench-node", "private": true}\n')
    print(f"installing {' '.join(missing)} into {NODE_DIR} ...", flush=True)
    done = subprocess.run(
        ["npm", "install", *missing, "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return f"npm install {' '.join(missing)} failed: {done.stderr.strip()[-200:]}"
    return None
