"""Fault injection: each database killed and restarted under load (lesto_reliability.faults).

Per plugin: the app survives, recovers without a restart, loses no
acknowledged write and leaves no partial one, and answers within the fail-fast
bound during the outage; the outage answers are 503 with a stable code (each plugin's
``LST_*_ERR_UNAVAILABLE``). PostgreSQL is also restarted cleanly under load (a fast
shutdown, which ends each connection with FATAL 57P01 where a kill just drops it).
"""

import pytest
from lesto_reliability.faults import FAIL_FAST_SECONDS, FaultReport, run_fault

CASES = [
    pytest.param("postgres", "kill", id="postgres"),
    pytest.param("postgres", "restart", id="postgres-restart"),
    pytest.param("mysql", "kill", id="mysql"),
    pytest.param("redis", "kill", id="redis"),
    pytest.param("mongodb", "kill", id="mongodb"),
]
_reports: dict[tuple[str, str], FaultReport] = {}


def report_for(db: str, mode: str) -> FaultReport:
    if (db, mode) not in _reports:
        _reports[db, mode] = run_fault(db, outage_seconds=2.0, mode=mode)
    return _reports[db, mode]


@pytest.mark.parametrize(("db", "mode"), CASES)
def test_kill_and_restart_under_load(db: str, mode: str) -> None:
    report = report_for(db, mode)
    assert report.app_alive
    assert report.acknowledged > 0
    assert report.recovered_after_s is not None, "writes never succeeded again"
    assert report.lost_acknowledged == []
    assert report.partial == []
    assert report.slowest_outage_answer_s <= FAIL_FAST_SECONDS


@pytest.mark.parametrize(("db", "mode"), CASES)
def test_outage_is_answered_503_with_a_stable_code(db: str, mode: str) -> None:
    report = report_for(db, mode)
    assert report.outage_only_503_with_code, report.outage_answers
