"""The local backend, forced, for each service: start, restart, kill, stop."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import lesto_testing
import pytest
from lesto_testing import LST_TESTING_ERR_STOPPED, Service

if TYPE_CHECKING:
    from conftest import Store


def _server_pids(folder: Path) -> list[int]:
    """Processes running in a service's temporary folder (servers run with it as cwd)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cwd = os.readlink(entry / "cwd")
            except OSError:
                continue
            if cwd == str(folder) or cwd.startswith(f"{folder}/"):
                found.append(int(entry.name))
    return found


def _workdir(service: Service) -> Path:
    folder = service._runner.workdir  # type: ignore[attr-defined]
    assert isinstance(folder, Path)
    return folder


@pytest.mark.parametrize("name", ["postgres", "mysql", "redis", "mongodb"])
def test_local_server_restarts_with_its_data_survives_a_kill_and_leaves_nothing(
    name: str, store: Store
) -> None:
    service = lesto_testing.start(name, backend="local")
    try:
        assert (service.backend, service.running) == ("local", True)
        assert service.url.startswith(("postgresql://", "mysql://", "redis://", "mongodb://"))
        folder = _workdir(service)
        assert folder.name.startswith(f"lesto-testing-{name}-")
        assert _server_pids(folder)
        with service.fresh_database() as url:
            store.put(name, url, "before", "restart")
            port_before = service.url
            service.restart()
            assert service.url == port_before
            assert store.get(name, url, "before") == "restart"

            store.put(name, url, "after", "restart")
            service.kill()
            assert not service.running
            with pytest.raises(Exception):  # noqa: B017 - each driver has its own error
                store.get(name, url, "before")
            service.restart()
            assert service.running
            assert store.get(name, url, "before") == "restart"
            # Redis writes its data only when it shuts down cleanly: a crash loses the rest.
            expected = None if name == "redis" else "restart"
            assert store.get(name, url, "after") == expected
    finally:
        service.stop()
    assert not service.running
    assert not folder.exists()
    assert _server_pids(folder) == []


def test_start_is_a_context_manager_and_stop_is_final() -> None:
    with lesto_testing.start("redis", backend="local") as service:
        assert service.running
        folder = _workdir(service)
    assert not folder.exists()
    service.stop()
    with pytest.raises(LST_TESTING_ERR_STOPPED):
        service.restart()
    with pytest.raises(LST_TESTING_ERR_STOPPED):
        service.kill()
