"""The ``lesto`` command: ``lesto run module:app_or_factory``.

The target is a Lesto instance (or any ASGI app) or a factory returning one;
factories may be ``async def``.

One process (the default): the app is served by the embedded server of
``app.listen()`` in an event loop of our own (uvloop when installed).
SIGINT and SIGTERM run ``app.close()``: the listener closes, requests still
arriving on open connections get 503 ``LST_ERR_SERVICE_UNAVAILABLE`` with
``Connection: close``, in-flight ones finish (up to the graceful timeout),
then the ``on_close`` hooks run and the command exits 0. Another ASGI app is
served by the same server with the ASGI lifespan on.

``--workers N`` and ``--reload`` use uvicorn's supervisor: the target string
travels to the workers through the ``LESTO_RUN_TARGET`` environment
variable, and on SIGTERM uvicorn closes each worker's listener and idle
connections, waits for in-flight requests, then sends the lifespan shutdown
(which runs ``close()``): no 503 phase there.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import logging
import os
import signal
import sys
import traceback
from collections.abc import Awaitable, Callable, Sequence
from types import FrameType
from typing import Any

import uvicorn

from .app import Lesto
from .server import EmbeddedServer, best_http_protocol, best_loop

__all__ = ["load_target", "main"]

TARGET_ENV = "LESTO_RUN_TARGET"

ASGIReceive = Callable[[], Awaitable[dict[str, Any]]]
ASGISend = Callable[[dict[str, Any]], Awaitable[None]]


class CLIError(Exception):
    """A target that cannot be loaded; printed without a traceback."""


class TerminatedError(Exception):
    """SIGTERM arrived; uvicorn re-raises it after its graceful shutdown."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise TerminatedError


def resolve(target: str) -> Any:
    """Import ``module:attribute.path`` and return the object it names."""
    module_name, sep, attr_path = target.partition(":")
    if not sep or not module_name or not attr_path:
        raise CLIError(f"target must look like 'module:app' or 'module:factory', got {target!r}")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise CLIError(f"cannot import module {module_name!r}: {exc}") from exc
    for name in attr_path.split("."):
        try:
            obj = getattr(obj, name)
        except AttributeError:
            raise CLIError(f"module {module_name!r} has no attribute {attr_path!r}") from None
    return obj


def is_asgi_app(obj: Any) -> bool:
    """Whether ``obj`` is an ASGI application instance rather than a factory."""
    if inspect.isfunction(obj) or inspect.ismethod(obj) or inspect.isclass(obj):
        return False
    return callable(obj)


class AsyncFactoryApp:
    """An ASGI app that builds the real app with an async factory at lifespan startup."""

    def __init__(self, factory: Callable[[], Awaitable[Any]]) -> None:
        self._factory = factory
        self._app: Any = None

    async def __call__(self, scope: dict[str, Any], receive: ASGIReceive, send: ASGISend) -> None:
        if self._app is None:
            self._app = await self._factory()
        await self._app(scope, receive, send)


def load_target() -> Any:
    """uvicorn factory: load the app named by ``LESTO_RUN_TARGET`` in this process."""
    obj = resolve(os.environ[TARGET_ENV])
    if is_asgi_app(obj):
        return obj
    if inspect.iscoroutinefunction(obj):
        return AsyncFactoryApp(obj)
    app = obj()
    if inspect.isawaitable(app):
        raise CLIError("the factory returned an awaitable; declare it with 'async def'")
    return app


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="lesto", description="Run a Lesto application.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="serve an app: lesto run module:app_or_factory")
    run.add_argument("target", help="module:app (an instance) or module:factory (a callable)")
    run.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
    run.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    run.add_argument("--reload", action="store_true", help="restart when source files change")
    run.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug", "trace"],
    )
    return parser


def run(args: argparse.Namespace) -> None:
    """Check the target loads, then serve it: in this process, or with uvicorn's supervisor."""
    os.environ[TARGET_ENV] = args.target
    target = resolve(args.target)
    if args.workers < 1:
        raise CLIError("--workers must be at least 1")
    if args.reload and args.workers > 1:
        raise CLIError("--reload and --workers cannot be combined")
    if args.workers == 1 and not args.reload:
        serve_here(target, args)
        return
    uvicorn.run(
        "lesto.cli:load_target",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        reload=args.reload,
        log_level=args.log_level,
        loop=best_loop(),
        http=best_http_protocol(),
        lifespan="on",
        access_log=False,
        server_header=False,
    )


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    if best_loop() == "uvloop":
        import uvloop

        return uvloop.new_event_loop
    return None


def serve_here(target: Any, args: argparse.Namespace) -> None:
    """Serve in this process with the embedded server until SIGINT or SIGTERM."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
    logging.getLogger("uvicorn").addHandler(handler)
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        runner.run(_serve(target, args))


async def _build(target: Any) -> Any:
    """The app a target names: an instance, or what a (sync or async) factory returns."""
    if is_asgi_app(target):
        return target
    app = target()
    if inspect.isawaitable(app):
        if not inspect.iscoroutinefunction(target):
            if inspect.iscoroutine(app):
                app.close()
            raise CLIError("the factory returned an awaitable; declare it with 'async def'")
        app = await app
    return app


async def _serve(target: Any, args: argparse.Namespace) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    main_task = asyncio.current_task()

    def on_signal() -> None:
        if stop.is_set() and main_task is not None:  # a second signal: stop waiting
            main_task.cancel()
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, on_signal)
    log = logging.getLogger("uvicorn.error")
    app = await _build(target)
    options: dict[str, Any] = {"log_level": args.log_level}
    if isinstance(app, Lesto):
        url = await app.listen(port=args.port, host=args.host, **options)
        log.info("Lesto listening at %s (process %d)", url, os.getpid())
        try:
            await stop.wait()
        finally:
            await app.close()
        return
    server = EmbeddedServer(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        uvicorn_options={"lifespan": "on"},
    )
    addresses = await server.start()
    log.info("Serving at %s (process %d)", addresses[0].url, os.getpid())
    try:
        await stop.wait()
    finally:
        await server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lesto`` command."""
    args = build_parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        run(args)
    except CLIError as exc:
        print(f"lesto: error: {exc}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, TerminatedError):
        return 0
    except asyncio.CancelledError:  # a second signal cut the graceful shutdown short
        return 1
    except Exception:
        traceback.print_exc()
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
