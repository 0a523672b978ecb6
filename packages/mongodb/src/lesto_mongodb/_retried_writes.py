"""Duplicate-key errors met by PyMongo's retry of a write: the write may be complete.

PyMongo retries a write once when its first attempt gets no answer (the
connection broke or timed out) or a write-concern error, with the same
session id and transaction number (``lsid``, ``txnNumber``). MongoDB keeps
a record of each such write with the write itself and answers the retry from
it, so a write is never applied twice. A server that lost that record runs
the retry as a new write: SecantusDB keeps the records in memory only, so
after a restart the retry of an insert that was stored before the crash
finds its own document and fails with ``DuplicateKeyError``. For the request
the write is then absent or complete, not refused: an outage, not a conflict.

:data:`retried_writes_listener` (a PyMongo ``CommandListener``, added to
every client the plugin makes) tells these errors apart. It notes which
retryable writes had an attempt that may have been applied, and the
duplicate-key error document of a later attempt of the same write; PyMongo
raises ``DuplicateKeyError`` with that very document as ``details``, which
:meth:`RetriedWrites.met_on_retry` checks by identity. Writes inside a
transaction, and bulk writes (``BulkWriteError``), are not covered.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from pymongo import monitoring

__all__ = ["RetriedWrites", "retried_writes_listener"]

DUPLICATE_KEY = 11000
#: How many writes of each kind are remembered (in flight, possibly applied, met on retry).
LIMIT = 1024

_Write = tuple[Any, Any]  # (session id, transaction number)


class RetriedWrites(monitoring.CommandListener):
    """Notes the duplicate-key errors that retries of possibly applied writes ran into."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # motor's clients call listeners from worker threads
        self._in_flight: dict[int, _Write] = {}  # request id of an attempt -> its write
        self._maybe_applied: dict[_Write, None] = {}
        self._met_on_retry: dict[int, Mapping[str, Any]] = {}  # id(error document) -> it

    def met_on_retry(self, error: BaseException) -> bool:
        """Whether ``error`` (a ``DuplicateKeyError``) came from retrying a write whose
        earlier attempt may have been applied."""
        details = getattr(error, "details", None)
        return details is not None and self._met_on_retry.get(id(details)) is details

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        command = event.command
        number = command.get("txnNumber")
        if number is None or "autocommit" in command:
            return  # not a retryable write (a read, or a statement of a transaction)
        session = command.get("lsid")
        write = (session.get("id") if isinstance(session, Mapping) else None, number)
        with self._lock:
            _remember(self._in_flight, event.request_id, write)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        write = self._finished(event.request_id)
        if write is None:
            return
        reply = event.reply
        errors = reply.get("writeErrors")
        if self._retried(write) and errors and errors[-1].get("code") == DUPLICATE_KEY:
            self._note(errors[-1])
        elif "writeConcernError" in reply:
            self._possibly_applied(write)  # applied, not yet as durable as asked: retried

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        write = self._finished(event.request_id)
        if write is None:
            return
        failure = event.failure
        if self._retried(write) and failure.get("code") == DUPLICATE_KEY:
            self._note(failure)
        elif "errtype" in failure:
            self._possibly_applied(write)  # no answer from the server (PyMongo's own error)

    def _retried(self, write: _Write) -> bool:
        """Whether an earlier attempt of ``write`` may have been applied (forgotten now:
        this attempt has its answer)."""
        if write not in self._maybe_applied:
            return False
        with self._lock:
            return self._maybe_applied.pop(write, False) is None

    def _finished(self, request_id: int) -> _Write | None:
        with self._lock:
            return self._in_flight.pop(request_id, None)

    def _possibly_applied(self, write: _Write) -> None:
        with self._lock:
            _remember(self._maybe_applied, write, None)

    def _note(self, error_document: Mapping[str, Any]) -> None:
        with self._lock:
            _remember(self._met_on_retry, id(error_document), error_document)


def _remember(entries: dict[Any, Any], key: Any, value: Any) -> None:
    """``entries[key] = value``, forgetting the oldest entry past :data:`LIMIT`."""
    entries[key] = value
    if len(entries) > LIMIT:
        del entries[next(iter(entries))]


#: The listener the plugin adds to the clients it makes; add it to a client you pass
#: in (``event_listeners=[lesto_mongodb.retried_writes_listener]``) for the same answers.
retried_writes_listener = RetriedWrites()
