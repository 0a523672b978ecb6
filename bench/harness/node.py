"""Fastify 5 from npm, installed with the machine's npm into bench/.work/node (git-ignored)."""

import shutil
import subprocess

from harness.targets import NODE_DIR

FASTIFY_SPEC = "fastify@5"


def ensure_fastify() -> str | None:
    """Install Fastify when missing; returns why Node targets cannot run, or None."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "node/npm not found (apt-get install -y nodejs npm)"
    if (NODE_DIR / "node_modules" / "fastify" / "package.json").is_file():
        return None
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    manifest = NODE_DIR / "package.json"
    if not manifest.exists():
        manifest.write_text('{"name": "lesto-bench-node", "private": true}\n')
    print(f"installing {FASTIFY_SPEC} into {NODE_DIR} ...", flush=True)
    done = subprocess.run(
        ["npm", "install", FASTIFY_SPEC, "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return f"npm install {FASTIFY_SPEC} failed: {done.stderr.strip()[-200:]}"
    return None
