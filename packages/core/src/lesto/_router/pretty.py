"""Drawing a route tree as text (find-my-way's ``prettyPrint`` layout)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .leaf import RouteRecord
from .tree import Node

__all__ = ["render_tree"]


@dataclass(slots=True)
class _Entry:
    label: str
    first: str
    extra: list[str]
    children: list[_Entry] = field(default_factory=list)


def render_tree(
    root: Node[Any], ends: Mapping[int, list[RouteRecord[Any]]], common_prefix: bool
) -> str:
    """Draw the tree under ``root``; ``ends`` maps ``id(node)`` to the routes ending there."""
    top: list[_Entry] = []
    if common_prefix and root.wildcard is None:
        for child in root.statics.values():
            _collect(child, child.prefix, top, ends, common_prefix)
    else:
        _collect(root, "", top, ends, common_prefix)
    if not top:
        return "(empty tree)"
    return "".join(_lines(top, ""))


def _collect(
    node: Node[Any],
    prefix: str,
    siblings: list[_Entry],
    ends: Mapping[int, list[RouteRecord[Any]]],
    common_prefix: bool,
) -> None:
    records = ends.get(id(node), [])
    if records or common_prefix:
        label = prefix or "(empty root node)"
        first, *extra = _describe(records, label)
        entry = _Entry(label, first, extra)
        siblings.append(entry)
        siblings = entry.children
        prefix = ""
    for child in node.statics.values():
        _collect(child, prefix + child.prefix, siblings, ends, common_prefix)
    for child in node.params:
        _collect(child, prefix + "|".join(child.labels), siblings, ends, common_prefix)
    if node.wildcard is not None:
        _collect(node.wildcard, prefix + "*", siblings, ends, common_prefix)


def _describe(records: list[RouteRecord[Any]], label: str) -> list[str]:
    """One text per distinct constraint set: `` (GET, POST) {"host":"a.io"}``."""
    groups: list[tuple[dict[str, Any], list[str]]] = []
    for record in records:
        constraints = dict(record.constraints)
        for known, methods in groups:
            if known == constraints:
                methods.append(record.method)
                break
        else:
            groups.append((constraints, [record.method]))
    texts = [_route_text(constraints, methods) for constraints, methods in groups] or [""]
    return [texts[0], *(label + text for text in texts[1:])]


def _route_text(constraints: dict[str, Any], methods: list[str]) -> str:
    text = f" ({', '.join(methods)})"
    if constraints:
        text += " " + json.dumps(constraints, separators=(",", ":"), default=_json_value)
    return text


def _json_value(value: Any) -> str:
    if isinstance(value, re.Pattern):
        return f"/{value.pattern}/"
    return repr(value)


def _lines(entries: list[_Entry], indent: str) -> Iterator[str]:
    for index, entry in enumerate(entries):
        last = index == len(entries) - 1
        child_indent = indent + ("    " if last else "│   ")
        yield f"{indent}{'└── ' if last else '├── '}{entry.label}{entry.first}\n"
        for text in entry.extra:
            yield f"{child_indent}{text}\n"
        yield from _lines(entry.children, child_indent)
