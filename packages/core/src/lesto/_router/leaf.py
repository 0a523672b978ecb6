"""The routes that end at one tree node, and the choice among them by constraints.

Matching follows find-my-way's handler storage: every route is a bit in a
mask of candidates; each constraint used at the node removes the routes it
rules out; the most constrained survivor wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .constraints import Constrainer, ConstraintStore, Strategy

__all__ = ["Leaf", "RouteRecord", "match_leaf"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RouteRecord(Generic[T]):
    """A registered route: method, path as registered, stored value, parameter names
    (in path order, ``"*"`` for the wildcard) and constraints."""

    method: str
    path: str
    store: T
    params: tuple[str, ...]
    constraints: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class _Check:
    """One constraint used at a node: its strategy, its store of route masks, and the
    mask of the node's routes that do not use it."""

    strategy: Strategy
    store: ConstraintStore
    unconstrained: int


class Leaf(Generic[T]):
    """The routes ending at a node.

    ``direct`` is the route to answer without looking at the request, when no
    route here has constraints and no must-match strategy is in use; otherwise
    it is None and :func:`match_leaf` decides.
    """

    __slots__ = ("all_mask", "checks", "direct", "names", "plain", "routes")

    def __init__(self) -> None:
        self.routes: list[RouteRecord[T]] = []
        self.plain: RouteRecord[T] | None = None
        self.direct: RouteRecord[T] | None = None
        self.names: frozenset[str] = frozenset()
        self.checks: tuple[_Check, ...] = ()
        self.all_mask = 0

    def add(self, route: RouteRecord[T], constrainer: Constrainer) -> None:
        """Add a route (duplicates are refused by the router before this)."""
        if not route.constraints:
            self.plain = route
        self.routes.append(route)
        # Fewest constraints first: the highest candidate bit is the most specific route.
        self.routes.sort(key=lambda record: len(record.constraints))
        self.names = self.names.union(route.constraints)
        self.refresh(constrainer)

    def remove(self, route: RouteRecord[T], constrainer: Constrainer) -> None:
        """Remove a route (rebuilding the constraint stores)."""
        self.routes.remove(route)
        if self.plain is route:
            self.plain = None
        self.names = frozenset(name for record in self.routes for name in record.constraints)
        self.refresh(constrainer)

    def refresh(self, constrainer: Constrainer) -> None:
        """Rebuild the constraint stores and ``direct`` after a change."""
        self.all_mask = (1 << len(self.routes)) - 1
        ordered = sorted(self.names, key=lambda name: name != "version")
        self.checks = tuple(self._check(constrainer.strategies[name]) for name in ordered)
        self.direct = self.plain if not self.names and not constrainer.must_match else None

    def _check(self, strategy: Strategy) -> _Check:
        store = strategy.storage()
        unconstrained = self.all_mask
        for index, route in enumerate(self.routes):
            value = route.constraints.get(strategy.name)
            if value is not None:
                store.set(value, (store.get(value) or 0) | (1 << index))
                unconstrained &= ~(1 << index)
        return _Check(strategy, store, unconstrained)


def match_leaf(
    leaf: Leaf[T], constrainer: Constrainer, headers: Mapping[str, str], context: Any
) -> RouteRecord[T] | None:
    """The route of ``leaf`` this request may reach given its derived constraint values."""
    candidates = leaf.all_mask
    for check in leaf.checks:
        strategy = check.strategy
        value = strategy.derive(headers, context)
        if value is None:
            candidates &= check.unconstrained
        else:
            matches = check.store.get(value) or 0
            if not strategy.must_match_when_derived:
                matches |= check.unconstrained
            candidates &= matches
        if not candidates:
            return None
    for strategy in constrainer.must_match:
        if strategy.name not in leaf.names and strategy.derive(headers, context) is not None:
            return None
    return leaf.routes[candidates.bit_length() - 1]
