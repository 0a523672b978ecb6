"""Serve one of :mod:`lesto_reliability.apps` with ``app.listen()`` in this process.

``python -m lesto_reliability.serve abuse_app [--port 0]`` (or ``module:factory``) prints the URL
on its first line, serves until SIGTERM or SIGINT, then closes the app.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import signal

from lesto_reliability import apps


async def serve(name: str, port: int) -> None:
    module_name, _, factory = name.rpartition(":")
    module = importlib.import_module(module_name) if module_name else apps
    app = getattr(module, factory)()
    url = await app.listen(port=port)
    print(url, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    await app.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("app")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    asyncio.run(serve(args.app, args.port))


if __name__ == "__main__":
    main()
