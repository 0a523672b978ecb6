"""Fault injection: each database killed and restarted under load (lesto_reliability.faults).

Per plugin: the app survives, recovers without a restart, loses no
acknowledged write and leaves no partial one, and answers within the fail-fast
bound during the outage; the outage answers are 503 with a stable code (each plugin's
``LST_*_ERR_UNAVAILABLE``).
"""

import pytest
from lesto_reliability.faults import FAIL_FAST_SECONDS, FaultReport, run_fault

DATABASES = ["postgres", "mysql", "redis", "mongodb"]
# MongoDB: most requests wait out a short outage (server selection) and succeed, and a
# connection error is 503 LST_MONGO_ERR_UNAVAILABLE. A write in flight at the kill may
# have been stored before the connection broke; PyMongo retries it after the restart and
# the server (no retryable-write records here) answers DuplicateKeyError, a 500 that is
# rightly not an outage error. Hence not strict.
UNMAPPED_PG_ERROR = (
    "in one CI run 2 of 365 outage answers were 500 without a code: an asyncpg error"
    " raised at the kill is not yet mapped to LST_PG_ERR_UNAVAILABLE (issue 15 stays open)"
)
IN_FLIGHT_RETRY = (
    "a write in flight at the kill is retried after the restart and may find its own "
    "document: DuplicateKeyError (500), not a connection error"
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
        pytest.param("postgres", marks=pytest.mark.xfail(reason=UNMAPPED_PG_ERROR, strict=False)),
        "mysql",
        "redis",
        pytest.param("mongodb", marks=pytest.mark.xfail(reason=IN_FLIGHT_RETRY, strict=False)),
    ],
)
def test_outage_is_answered_503_with_a_stable_code(db: str) -> None:
    report = report_for(db)
    assert report.outage_only_503_with_code, report.outage_answers
