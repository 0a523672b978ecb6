"""The soak in CI: one minute of wrk against the example app (lesto_reliability.soak).

Criteria (the issue's): no error, RSS growth under 10 % after warm-up, no
growth of open file descriptors or database connections, clean exit.
"""

import os
import shutil

import pytest
from lesto_reliability.soak import MAX_RSS_GROWTH, MAX_UNEXPLAINED_FDS, soak, unexplained_fds


def test_one_minute_soak() -> None:
    if shutil.which("wrk") is None:
        message = "wrk is not installed: run `bash .ci/services` (Debian package wrk)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    report = soak(minutes=1.0, connections=16)
    print(report)
    assert report["errors"] == 0, report
    assert report["rss_growth"] < MAX_RSS_GROWTH, report
    unexplained = unexplained_fds(report["after_warm_up"], report["end"])
    assert unexplained <= MAX_UNEXPLAINED_FDS, report
    assert report["end"]["db_connections"] <= max(report["after_warm_up"]["db_connections"], 1) * 2
    assert report["exit_code"] == 0
    assert report["passed"]
