"""Route constraints: the built-in ``version`` and ``host`` strategies and custom ones.

A strategy (find-my-way semantics) has a ``name``; ``derive_constraint(headers,
context)`` gives the request's value (None when the request has none);
``storage()`` makes a store mapping route values to opaque entries
(``get``/``set``); ``validate(value)`` checks a route's value; and
``must_match_when_derived`` says whether a request that has a value may still
reach a route without this constraint (False) or not (True, as for versions).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from lesto import errors

__all__ = [
    "Constrainer",
    "ConstraintStore",
    "ConstraintStrategy",
    "HostStrategy",
    "Strategy",
    "VersionStrategy",
]


class ConstraintStore(Protocol):
    """Maps a route's constraint value to an opaque entry, found by a request's value."""

    def get(self, value: Any) -> Any:
        """The entry for a request's ``value``, or None."""

    def set(self, value: Any, entry: Any) -> None:
        """Store ``entry`` under a route's constraint ``value``."""


class ConstraintStrategy(Protocol):
    """What ``Router.add_constraint_strategy`` accepts (``validate`` and
    ``must_match_when_derived`` may be left out: no check, False)."""

    name: str

    def storage(self) -> ConstraintStore:
        """A new, empty store for this constraint's route values."""

    def derive_constraint(self, headers: Mapping[str, str], context: Any) -> Any:
        """The request's value for this constraint, or None when it has none."""


# --- version -------------------------------------------------------------------------------


class _SemVerStore:
    """Entries by exact version and by ``x`` ranges, each range pointing at its highest version.

    ``1.2.3`` is found by ``1.2.3``, ``1.2.x``, ``1.x``, ``1.x.x``, ``x``, ``x.x``,
    ``x.x.x`` and ``*`` (each range only while it is the highest version in it).
    """

    __slots__ = ("_entries", "_highest")

    def __init__(self) -> None:
        self._entries: dict[str, Any] = {}
        # Range key -> the highest (major, minor, patch) stored under it.
        self._highest: dict[str, tuple[int, int, int]] = {}

    def get(self, value: Any) -> Any:
        return self._entries.get(value)

    def set(self, value: Any, entry: Any) -> None:
        version = _semver(value)
        major, minor, patch = version
        self._entries[f"{major}.{minor}.{patch}"] = entry
        ranges = (
            ("x", "*", "x.x", "x.x.x"),
            (f"{major}.x", f"{major}.x.x"),
            (f"{major}.{minor}.x",),
        )
        for keys in ranges:
            if version >= self._highest.get(keys[0], version):
                for key in keys:
                    self._highest[key] = version
                    self._entries[key] = entry


def _semver(value: str) -> tuple[int, int, int]:
    """``major[.minor[.patch]]`` as numbers (missing or non-numeric minor/patch are 0)."""
    pieces = value.split(".", 2)
    numbers = [int(piece) if piece.isdigit() else 0 for piece in pieces[1:]]
    numbers += [0] * (2 - len(numbers))
    return int(pieces[0]), numbers[0], numbers[1]


@dataclass(frozen=True, slots=True)
class VersionStrategy:
    """The built-in ``version`` constraint: semver routes, ``Accept-Version`` requests."""

    name: str = "version"
    must_match_when_derived: bool = True

    def storage(self) -> ConstraintStore:
        """A store resolving exact versions and ``x`` ranges."""
        return _SemVerStore()

    def derive_constraint(self, headers: Mapping[str, str], context: Any) -> str | None:
        """The request's ``Accept-Version`` header."""
        return headers.get("accept-version")

    def validate(self, value: Any) -> None:
        """A version is a string starting with a numeric major."""
        if not isinstance(value, str) or not value.split(".", 1)[0].isdigit():
            raise ValueError(f"a version must be a string like '1.2.3', got {value!r}")


# --- host ----------------------------------------------------------------------------------


class _HostStore:
    """Entries by exact host, then by the first compiled regex that matches."""

    __slots__ = ("_exact", "_patterns")

    def __init__(self) -> None:
        self._exact: dict[str, Any] = {}
        self._patterns: list[tuple[re.Pattern[str], Any]] = []

    def get(self, value: Any) -> Any:
        entry = self._exact.get(value)
        if entry is not None:
            return entry
        for pattern, pattern_entry in self._patterns:
            if pattern.search(value) is not None:
                return pattern_entry
        return None

    def set(self, value: Any, entry: Any) -> None:
        if isinstance(value, re.Pattern):
            for index, (pattern, _) in enumerate(self._patterns):
                if pattern == value:
                    self._patterns[index] = (pattern, entry)
                    return
            self._patterns.append((value, entry))
        else:
            self._exact[value] = entry


@dataclass(frozen=True, slots=True)
class HostStrategy:
    """The built-in ``host`` constraint: an exact host or a compiled regex, vs ``Host``."""

    name: str = "host"
    must_match_when_derived: bool = False

    def storage(self) -> ConstraintStore:
        """A store of exact hosts and host regexes."""
        return _HostStore()

    def derive_constraint(self, headers: Mapping[str, str], context: Any) -> str | None:
        """The request's ``Host`` header, as sent (port included)."""
        return headers.get("host")

    def validate(self, value: Any) -> None:
        """A host is a string or a compiled regex."""
        if not isinstance(value, str | re.Pattern):
            raise ValueError(f"a host must be a string or a compiled regex, got {value!r}")


# --- registry ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Strategy:
    """A strategy as the router uses it: plain fields, read once at registration."""

    name: str
    must_match_when_derived: bool
    custom: bool
    source: Any
    # The source's bound derive_constraint(headers, context): the request's value or None.
    derive: Callable[[Mapping[str, str], Any], Any]

    def storage(self) -> ConstraintStore:
        """A new store for route values."""
        store: ConstraintStore = self.source.storage()
        return store

    def validate(self, value: Any) -> None:
        """Check a route's value, raising LST_ERR_ROUTER_INVALID_CONSTRAINT."""
        if value is None:
            raise errors.LST_ERR_ROUTER_INVALID_CONSTRAINT(self.name, "the value cannot be None")
        check = getattr(self.source, "validate", None)
        if check is None:
            return
        try:
            check(value)
        except (TypeError, ValueError, AssertionError) as error:
            raise errors.LST_ERR_ROUTER_INVALID_CONSTRAINT(self.name, str(error)) from error


class Constrainer:
    """The strategies a router knows and which of them routes use."""

    __slots__ = ("in_use", "must_match", "strategies")

    def __init__(self) -> None:
        self.strategies: dict[str, Strategy] = {}
        self.in_use: set[str] = set()
        # Strategies in use that exclude unconstrained routes once derived.
        self.must_match: tuple[Strategy, ...] = ()
        for builtin in (VersionStrategy(), HostStrategy()):
            self.strategies[builtin.name] = _wrap(builtin, custom=False)

    def add(self, source: Any) -> None:
        """Register a custom strategy (checked here, once)."""
        strategy = _wrap(source, custom=True)
        existing = self.strategies.get(strategy.name)
        if existing is not None and existing.custom:
            raise errors.LST_ERR_ROUTER_INVALID_STRATEGY(strategy.name, "it is already registered")
        if strategy.name in self.in_use:
            raise errors.LST_ERR_ROUTER_INVALID_STRATEGY(strategy.name, "routes already use it")
        self.strategies[strategy.name] = strategy
        if strategy.must_match_when_derived:
            self.note_usage((strategy.name,))

    def has(self, name: str) -> bool:
        """Whether ``name`` is a custom strategy or a built-in one routes use."""
        strategy = self.strategies.get(name)
        return strategy is not None and (strategy.custom or name in self.in_use)

    def validate(self, constraints: Mapping[str, Any]) -> None:
        """Check a route's constraints: known names, valid values."""
        for name, value in constraints.items():
            strategy = self.strategies.get(name)
            if strategy is None:
                raise errors.LST_ERR_CONSTRAINT_NOT_SUPPORTED(name)
            strategy.validate(value)

    def note_usage(self, names: tuple[str, ...]) -> bool:
        """Record that routes use ``names``; return whether ``must_match`` changed."""
        self.in_use.update(names)
        must_match = tuple(
            strategy
            for name, strategy in self.strategies.items()
            if name in self.in_use and strategy.must_match_when_derived
        )
        changed = must_match != self.must_match
        self.must_match = must_match
        return changed

    def reset_usage(self) -> None:
        """Forget usage by routes (before a rebuild); must-match custom strategies stay."""
        self.in_use = {
            name
            for name, strategy in self.strategies.items()
            if strategy.custom and strategy.must_match_when_derived
        }
        self.note_usage(())


def _wrap(source: Any, *, custom: bool) -> Strategy:
    name = getattr(source, "name", None)
    if not isinstance(name, str) or not name:
        raise errors.LST_ERR_ROUTER_INVALID_STRATEGY(name, "'name' must be a non-empty string")
    for method in ("storage", "derive_constraint"):
        if not callable(getattr(source, method, None)):
            raise errors.LST_ERR_ROUTER_INVALID_STRATEGY(name, f"'{method}' must be callable")
    must_match = bool(getattr(source, "must_match_when_derived", False))
    return Strategy(name, must_match, custom, source, source.derive_constraint)
