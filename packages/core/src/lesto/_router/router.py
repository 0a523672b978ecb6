"""The :class:`Router`: per-method radix trees with find-my-way semantics."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from lesto import errors

from .constraints import Constrainer, ConstraintStrategy
from .decoding import collapse_slashes, decode_path, lower_path
from .leaf import Leaf, RouteRecord
from .patterns import ParsedPath, StaticPart, expand_optional, parse_path
from .pretty import render_tree
from .tree import PARAM, STATIC, Node, insert, search

__all__ = ["NO_HEADERS", "PLAIN_VALUE_BYTES", "Router", "TailParam", "match_tail"]

T = TypeVar("T")

NO_HEADERS: Mapping[str, str] = MappingProxyType({})
"""The default ``headers`` of :meth:`Router.find`: a request without headers."""

_NO_CONSTRAINTS: Mapping[str, Any] = MappingProxyType({})


PLAIN_VALUE_BYTES = bytes(byte for byte in range(128) if byte not in b"%?")
"""The bytes a last-segment value may hold to be matched raw: ASCII, no escape, no query."""


class TailParam(Generic[T]):
    """An entry of :meth:`Router.tail_params`: the route, its parameter name, and the
    first characters (each a one-byte ``bytes``) that send a value to a static branch
    instead."""

    __slots__ = ("firsts", "name", "store")

    def __init__(self, store: T, name: str, firsts: frozenset[bytes]) -> None:
        self.store = store
        self.name = name
        self.firsts = firsts


def match_tail(
    tails: Mapping[bytes, TailParam[T]], raw_path: bytes, max_length: int
) -> tuple[T, dict[str, str]] | None:
    """Look ``raw_path`` (the request's, undecoded) up in one method's
    :meth:`Router.tail_params`: ``(store, params)``, or None when the table cannot
    say (then :meth:`Router.find` must). ``lesto.entry`` inlines this."""
    # (rpartition and a set test: rfind and startswith parse their arguments the slow way)
    head, slash, value = raw_path.rpartition(b"/")
    tail = tails.get(head) if slash else None
    if (
        tail is not None
        and value
        and len(value) <= max_length
        and not value.strip(PLAIN_VALUE_BYTES)
        and value[:1] not in tail.firsts
    ):
        return tail.store, {tail.name: value.decode("ascii")}
    return None


def _collect_tails(node: Node[T], prefix: str, tails: dict[bytes, TailParam[T]]) -> None:
    """Walk the static nodes under ``node`` (whose path so far is ``prefix``) and note
    each one whose only alternative is a plain last-segment parameter route."""
    for child in node.statics.values():
        _collect_tails(child, prefix + child.prefix, tails)
    if not prefix.endswith("/") or not _is_raw(prefix) or len(node.alts) != 1:
        return
    param = node.alts[0]
    leaf = param.leaf
    if param.kind != PARAM or param.regex is not None or param.suffix is not None:
        return
    if leaf is None or leaf.direct is None or len(leaf.direct.params) != 1:
        return
    firsts = frozenset(first.encode("utf-8")[:1] for first in node.statics)
    head = prefix[:-1].encode("ascii")
    tails[head] = TailParam(leaf.direct.store, leaf.direct.params[0], firsts)


def _is_raw(path: str) -> bool:
    """Whether a request's raw path can hold ``path`` as is: ASCII, no escape, no query."""
    return path.isascii() and "%" not in path and "?" not in path


class _Tree(Generic[T]):
    """One method's tree, plus a dict of its fully static paths for the fast path."""

    __slots__ = ("root", "statics")

    def __init__(self) -> None:
        self.root: Node[T] = Node(STATIC)
        self.statics: dict[str, Leaf[T]] = {}


class Router(Generic[T]):
    """A radix-tree router: static, parametric, regex, multi-parameter and wildcard
    routes, per HTTP method, with optional constraints (``version``, ``host``, custom).

    Priority is static, then parametric (regex ones first), then wildcard, with
    backtracking when a branch fails further down. ``T`` is whatever the caller
    stores with a route (a handler, a compiled route context...).

    Args:
        case_sensitive: match literal parts case-sensitively (parameter values
            always keep their case).
        ignore_trailing_slash: ``/foo/`` and ``/foo`` are the same route.
        ignore_duplicate_slashes: ``//`` in a route or a request counts as ``/``.
        max_param_length: a parameter value longer than this does not match.
    """

    def __init__(
        self,
        *,
        case_sensitive: bool = True,
        ignore_trailing_slash: bool = False,
        ignore_duplicate_slashes: bool = False,
        max_param_length: int = 100,
    ) -> None:
        self.case_sensitive = case_sensitive
        self.ignore_trailing_slash = ignore_trailing_slash
        self.ignore_duplicate_slashes = ignore_duplicate_slashes
        self.max_param_length = max_param_length
        self._constrainer = Constrainer()
        self._trees: dict[str, _Tree[T]] = {}
        self._routes: list[RouteRecord[T]] = []
        # (method, path shape) -> routes, for duplicates and find_route.
        self._shapes: dict[tuple[str, tuple[str, ...]], list[RouteRecord[T]]] = {}
        self._leaves: list[Leaf[T]] = []

    # --- registration ----------------------------------------------------------------------

    def on(
        self,
        method: str,
        path: str,
        store: T,
        constraints: Mapping[str, Any] | None = None,
    ) -> None:
        """Add a route: ``store`` is returned by :meth:`find` for matching requests.

        Raises:
            LST_ERR_INVALID_URL: ``path`` is not a string.
            LST_ERR_ROUTER_INVALID_PATH: the path is malformed.
            LST_ERR_CONSTRAINT_NOT_SUPPORTED: a constraint has no strategy.
            LST_ERR_ROUTER_INVALID_CONSTRAINT: a constraint value is invalid.
            LST_ERR_DUPLICATED_ROUTE: the same method, path and constraints exist.
        """
        constraints = dict(constraints) if constraints else {}
        self._constrainer.validate(constraints)
        parsed = [(route_path, self._parse(route_path)) for route_path in self._paths(path)]
        for route_path, shape in parsed:
            self._check_duplicate(method, route_path, shape, constraints)
        frozen = MappingProxyType(constraints)
        for route_path, shape in parsed:
            record = RouteRecord(method, route_path, store, shape.names, frozen)
            self._add(record, shape)

    def off(self, method: str, path: str, constraints: Mapping[str, Any] | None = None) -> None:
        """Remove the routes of ``method`` at ``path`` (both forms of an optional
        parameter); with ``constraints``, only the route with exactly those."""
        paths = set(self._paths(path))

        def removed(record: RouteRecord[T]) -> bool:
            if record.method != method or record.path not in paths:
                return False
            return constraints is None or dict(record.constraints) == dict(constraints)

        self._rebuild([record for record in self._routes if not removed(record)])

    def add_constraint_strategy(self, strategy: ConstraintStrategy) -> None:
        """Register a custom constraint strategy (see :class:`ConstraintStrategy`).

        Raises:
            LST_ERR_ROUTER_INVALID_STRATEGY: the strategy is malformed, its name is
                already a custom strategy, or routes already use that name.
        """
        self._constrainer.add(strategy)
        self._rebuild(list(self._routes))

    def has_constraint_strategy(self, name: str) -> bool:
        """Whether ``name`` is a custom strategy, or a built-in one that routes use."""
        return self._constrainer.has(name)

    def exact_paths(self) -> dict[str, dict[bytes, T]]:
        """Per method, the raw request paths :meth:`find` answers without matching work.

        ``{method: {path: store}}`` for the static routes without constraints
        whose path is ASCII and has no ``%`` or ``?``: a request whose raw path
        is exactly one of these reaches that route (and :meth:`find` would say
        the same), so a caller can look it up with one dict access.
        """
        table: dict[str, dict[bytes, T]] = {}
        for method, tree in self._trees.items():
            exact: dict[bytes, T] = {}
            for path, leaf in tree.statics.items():
                direct = leaf.direct
                if direct is not None and _is_raw(path):
                    exact[path.encode("ascii")] = direct.store
            table[method] = exact
        return table

    def tail_params(self) -> dict[str, dict[bytes, TailParam[T]]]:
        """Per method, the routes whose path is a static prefix and one parameter
        that takes the last segment (``/users/:id``), keyed by that prefix without
        its last ``/`` (``b"/users"``), as the request's raw path holds it.

        A raw request path ``prefix + value`` reaches the entry's route with
        ``{name: value}``, as :meth:`find` would say, when the value is not empty,
        is ASCII with no ``/``, ``%`` or ``?``, is at most ``max_param_length`` long and does not
        start with one of ``entry.firsts`` (the first characters of the static
        routes that branch off at the same place, which :meth:`find` tries first).
        Empty unless matching is case-sensitive and neither slash option is on.
        """
        table: dict[str, dict[bytes, TailParam[T]]] = {}
        if not self.case_sensitive or self.ignore_trailing_slash or self.ignore_duplicate_slashes:
            return table
        for method, tree in self._trees.items():
            tails: dict[bytes, TailParam[T]] = {}
            _collect_tails(tree.root, tree.root.prefix, tails)
            if tails:
                table[method] = tails
        return table

    @property
    def uses_constraints(self) -> bool:
        """Whether :meth:`find` may read request headers (some constraint is in use)."""
        return bool(self._constrainer.in_use)

    # --- lookup ----------------------------------------------------------------------------

    def find(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str] = NO_HEADERS,
        context: Any = None,
    ) -> tuple[T, dict[str, str]] | None:
        """Find the route for a request: ``(store, params)`` or None.

        ``path`` is the raw path (still percent-encoded), without the query
        string. ``headers`` (lower-case names) and ``context`` are only read,
        by constraint strategies, when the route reached has constraints or a
        must-match strategy (``version``) is in use.

        Raises:
            LST_ERR_BAD_URL: the path has a malformed escape or invalid UTF-8.
        """
        tree = self._trees.get(method)
        if tree is None:
            return None
        if self.ignore_duplicate_slashes and "//" in path:
            path = collapse_slashes(path)
        decode = False
        if "%" in path:
            path = decode_path(path)
            decode = "%" in path
        if self.ignore_trailing_slash and len(path) > 1 and path[-1] == "/":
            path = path[:-1]
        match_path = path if self.case_sensitive else lower_path(path)
        leaf = tree.statics.get(match_path)
        if leaf is not None and leaf.direct is not None:
            return leaf.direct.store, {}
        values: list[str] = []
        route = search(
            tree.root,
            match_path,
            path,
            decode,
            self.max_param_length,
            self._constrainer,
            headers,
            context,
            values,
        )
        if route is None:
            return None
        names = route.params
        if not names:
            return route.store, {}
        if len(names) == 1:
            return route.store, {names[0]: values[0]}
        return route.store, dict(zip(names, values, strict=True))

    def find_route(
        self, method: str, path: str, constraints: Mapping[str, Any] | None = None
    ) -> RouteRecord[T] | None:
        """The route registered for ``method`` with this path pattern (parameter
        names may differ) and exactly these constraints, or None."""
        wanted = dict(constraints) if constraints else {}
        try:
            shape = self._parse(self._paths(path)[0])
        except errors.LST_ERR_ROUTER_INVALID_PATH:
            return None
        for record in self._shapes.get((method, shape.key), ()):
            if dict(record.constraints) == wanted:
                return record
        return None

    def has_route(
        self, method: str, path: str, constraints: Mapping[str, Any] | None = None
    ) -> bool:
        """Whether :meth:`find_route` finds a route."""
        return self.find_route(method, path, constraints) is not None

    def routes(self) -> Iterator[RouteRecord[T]]:
        """Every route, in registration order (an optional parameter gives two)."""
        return iter(list(self._routes))

    def pretty_print(self, method: str | None = None, *, common_prefix: bool = True) -> str:
        """The routes as a tree (all methods merged unless ``method`` is given).

        With ``common_prefix=False`` only nodes where routes end are drawn, each
        with its whole path from the previous one.
        """
        records = [r for r in self._routes if method is None or r.method == method]
        root: Node[T] = Node(STATIC)
        if any(record.path.startswith("/") for record in records):
            # find-my-way draws "/" as its own node, whatever follows it.
            root.statics["/"] = Node(STATIC, "/")
        ends: dict[int, list[RouteRecord[T]]] = {}
        for record in records:
            node = insert(root, self._parse(record.path))
            ends.setdefault(id(node), []).append(record)
        return render_tree(root, ends, common_prefix)

    # --- internals -------------------------------------------------------------------------

    def _paths(self, path: str) -> list[str]:
        """The normalised route paths ``path`` stands for."""
        if not isinstance(path, str):
            raise errors.LST_ERR_INVALID_URL(path)
        paths = []
        for expanded in expand_optional(path):
            if self.ignore_duplicate_slashes:
                expanded = collapse_slashes(expanded)
            if self.ignore_trailing_slash and len(expanded) > 1 and expanded.endswith("/"):
                expanded = expanded[:-1]
            paths.append(expanded)
        return paths

    def _parse(self, path: str) -> ParsedPath:
        return parse_path(path, self.case_sensitive)

    def _check_duplicate(
        self, method: str, path: str, shape: ParsedPath, constraints: Mapping[str, Any]
    ) -> None:
        for record in self._shapes.get((method, shape.key), ()):
            if dict(record.constraints) == constraints:
                where = f"{path} with constraints {constraints}" if constraints else path
                raise errors.LST_ERR_DUPLICATED_ROUTE(method, where)

    def _add(self, record: RouteRecord[T], shape: ParsedPath) -> None:
        tree = self._trees.get(record.method)
        if tree is None:
            tree = self._trees[record.method] = _Tree()
        node = insert(tree.root, shape)
        if node.leaf is None:
            node.leaf = Leaf()
            self._leaves.append(node.leaf)
            texts = [part.text for part in shape.parts if isinstance(part, StaticPart)]
            if len(texts) == len(shape.parts):
                tree.statics["".join(texts)] = node.leaf
        if self._constrainer.note_usage(tuple(record.constraints)):
            for leaf in self._leaves:
                leaf.refresh(self._constrainer)
        node.leaf.add(record, self._constrainer)
        self._routes.append(record)
        self._shapes.setdefault((record.method, shape.key), []).append(record)

    def _rebuild(self, records: list[RouteRecord[T]]) -> None:
        self._trees = {}
        self._routes = []
        self._shapes = {}
        self._leaves = []
        self._constrainer.reset_usage()
        for record in records:
            self._add(record, self._parse(record.path))
