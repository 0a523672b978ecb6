"""The radix tree: nodes, insertion, and the search that walks it.

Three kinds of node share one class (uniform slots keep the search loop
cheap): STATIC nodes hold a compressed literal prefix; PARAM nodes hold one
path segment with parameters; a WILDCARD node takes the rest of the path.
Static children are keyed by their first character. A static node's
``alts`` are its parameter children, in priority order, then its wildcard.

Search is depth first: a static child before the alternatives, which are
pushed on a stack and tried in turn when a branch fails (find-my-way's
backtracking).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from .constraints import Constrainer
from .decoding import decode_param
from .leaf import Leaf, RouteRecord, match_leaf
from .patterns import ParamPart, ParsedPath, StaticPart

__all__ = ["PARAM", "STATIC", "WILDCARD", "Node", "insert", "search"]

T = TypeVar("T")

STATIC = 0
PARAM = 1
WILDCARD = 2

_NO_CHILDREN: dict[str, Node[Any]] = {}


class Node(Generic[T]):
    """A tree node; which fields matter depends on ``kind``."""

    __slots__ = (
        "alts",
        "groups",
        "key",
        "kind",
        "labels",
        "leaf",
        "params",
        "plen",
        "prefix",
        "regex",
        "single",
        "statics",
        "suffix",
        "wildcard",
    )

    def __init__(self, kind: int, prefix: str = "") -> None:
        self.kind = kind
        self.prefix = prefix
        self.plen = len(prefix)
        self.statics: dict[str, Node[T]] = {} if kind != WILDCARD else _NO_CHILDREN
        self.params: list[Node[T]] = []
        self.wildcard: Node[T] | None = None
        self.alts: tuple[Node[T], ...] = ()
        self.leaf: Leaf[T] | None = None
        self.regex: re.Pattern[str] | None = None
        self.groups: tuple[int, ...] = ()
        self.single = 0
        self.key = ""
        self.labels: list[str] = []
        self.suffix: str | None = None

    def refresh_alts(self) -> None:
        """Recompute the alternatives tried after the static child."""
        tail = (self.wildcard,) if self.wildcard is not None else ()
        self.alts = (*self.params, *tail)


# --- insertion -----------------------------------------------------------------------------


def insert(root: Node[T], parsed: ParsedPath) -> Node[T]:
    """Create the nodes for ``parsed`` under ``root``; return the node where it ends."""
    node = root
    for part in parsed.parts:
        if isinstance(part, StaticPart):
            node = _static_child(node, part.text)
        elif isinstance(part, ParamPart):
            node = _param_child(node, part)
        else:
            node = _wildcard_child(node)
    return node


def _static_child(parent: Node[T], text: str) -> Node[T]:
    while text:
        child = parent.statics.get(text[0])
        if child is None:
            child = Node(STATIC, text)
            parent.statics[text[0]] = child
            return child
        common = _common_length(child.prefix, text)
        if common < len(child.prefix):
            child = _split(parent, child, common)
        text = text[common:]
        parent = child
    return parent


def _common_length(left: str, right: str) -> int:
    shortest = min(len(left), len(right))
    if left[:shortest] == right[:shortest]:
        return shortest
    length = 0
    while left[length] == right[length]:
        length += 1
    return length


def _split(parent: Node[T], child: Node[T], length: int) -> Node[T]:
    """Put a new node holding ``child.prefix[:length]`` between ``parent`` and ``child``."""
    middle: Node[T] = Node(STATIC, child.prefix[:length])
    child.prefix = child.prefix[length:]
    child.plen = len(child.prefix)
    middle.statics[child.prefix[0]] = child
    parent.statics[middle.prefix[0]] = middle
    return middle


def _param_child(parent: Node[T], part: ParamPart) -> Node[T]:
    for child in parent.params:
        if child.key == part.key:
            if part.label not in child.labels:
                child.labels.append(part.label)
            return child
    child = Node(PARAM)
    child.key = part.key
    child.labels.append(part.label)
    child.regex = part.regex
    child.groups = part.groups
    child.single = part.groups[0] if len(part.groups) == 1 else 0
    child.suffix = part.suffix
    parent.params.append(child)
    # Regex segments first, those with the longest literal suffix first; plain last.
    parent.params.sort(key=_param_priority)
    parent.refresh_alts()
    return child


def _param_priority(node: Node[Any]) -> tuple[bool, bool, int]:
    return (node.regex is None, node.suffix is None, -len(node.suffix or ""))


def _wildcard_child(parent: Node[T]) -> Node[T]:
    if parent.wildcard is None:
        parent.wildcard = Node(WILDCARD)
        parent.refresh_alts()
    return parent.wildcard


# --- search --------------------------------------------------------------------------------


def search(
    root: Node[T],
    path: str,
    origin: str,
    decode: bool,
    max_length: int,
    constrainer: Constrainer,
    headers: Mapping[str, str],
    context: Any,
    values: list[str],
) -> RouteRecord[T] | None:
    """Walk the tree for ``path``; return the route found (its values appended to
    ``values``) or None.

    ``path`` is the path form to match (lower-cased when matching ignores case);
    ``origin`` is the same text with its case, from which values are cut;
    ``decode`` says whether values may still hold ``%2F``/``%25``.
    """
    length = len(path)
    stack: list[tuple[Node[T], int, int, int]] = []
    node = root
    index = 0
    while True:
        if index == length:
            leaf = node.leaf
            if leaf is not None:
                route = leaf.direct
                if route is None:
                    route = match_leaf(leaf, constrainer, headers, context)
                if route is not None:
                    return route
        if index < length:
            child = node.statics.get(path[index])
            if child is not None and path.startswith(child.prefix, index):
                if node.alts:
                    stack.append((node, index, len(values), 0))
                node = child
                index += child.plen
                continue
        alts = node.alts
        position = 0
        start = index
        while True:
            if position == len(alts):
                if not stack:
                    return None
                node, start, count, position = stack.pop()
                del values[count:]
                alts = node.alts
            alt = alts[position]
            position += 1
            if position < len(alts):
                stack.append((node, start, len(values), position))
            if alt.kind == WILDCARD:
                value = origin[start:]
                values.append(decode_param(value) if decode else value)
                node = alt
                index = length
                break
            end = path.find("/", start)
            if end < 0:
                end = length
            value = origin[start:end]
            if decode:
                value = decode_param(value)
            if alt.regex is None:
                if len(value) <= max_length:
                    values.append(value)
                    node = alt
                    index = end
                    break
            elif _take_regex(alt.regex, alt, value, max_length, values):
                node = alt
                index = end
                break
            position = len(alts)


def _take_regex(
    regex: re.Pattern[str], node: Node[Any], value: str, max_length: int, values: list[str]
) -> bool:
    """Match a segment against a regex PARAM node; on success append its values."""
    match = regex.fullmatch(value)
    if match is None:
        return False
    if node.single:
        value = match.group(node.single)
        if len(value) > max_length:
            return False
        values.append(value)
        return True
    captured = match.group(*node.groups)
    for item in captured:
        if len(item) > max_length:
            return False
    values.extend(captured)
    return True
