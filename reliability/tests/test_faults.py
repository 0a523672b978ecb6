"""Fault injection: each database killed and restarted under load (lesto_reliability.faults).

Per plugin: the app survives, recovers without a restart, loses no
acknowledged write and leaves no partial one, and answers within the fail-fast
bound during the outage; the outage answers should be 503 with a stable code.
"""

import pytest
from lesto_reliability.faults import FAIL_FAST_SECONDS, FaultReport, run_fault

DATABASES = ["postgres", "mysql", "redis", "mongodb"]
# MongoDB: most requests wait out a short outage (server selection) and succeed; one in
# flight at the kill may fail, hence not strict.
NO_503_YET = (
    "the plugin passes driver connection errors through: the outage is answered 500 "
    "without a code (reported; plugin packages are outside this suite's remit)"
)
_reports: dict[str, FaultReport] = {}


def report_for(db: str) -> FaultReport:
    if db not in _reports:
        _reports[db] = run_fault(db, outage_seconds=2.0)
    return _reports[db]


@pytest.mark.parametrize("db", DATABASES)
def test_kill_and_restart_under_load(db: str) -> None:
    report = report_for(db)
    assert report.app_alive
    assert report.acknowledged > 0
    assert report.recovered_after_s is not None, "writes never succeeded again"
    assert report.lost_acknowledged == []
    assert report.partial == []
    assert report.slowest_outage_answer_s <= FAIL_FAST_SECONDS


@pytest.mark.parametrize(
    "db",
    [
        pytest.param("postgres", marks=pytest.mark.xfail(reason=NO_503_YET, strict=True)),
        pytest.param("mysql", marks=pytest.mark.xfail(reason=NO_503_YET, strict=True)),
        pytest.param("redis", marks=pytest.mark.xfail(reason=NO_503_YET, strict=True)),
        pytest.param("mongodb", marks=pytest.mark.xfail(reason=NO_503_YET, strict=False)),
    ],
)
def test_outage_is_answered_503_with_a_stable_code(db: str) -> None:
    report = report_for(db)
    assert report.outage_only_503_with_code, report.outage_answers
