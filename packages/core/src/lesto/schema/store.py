"""Shared schemas (``add_schema``) and ``$ref`` resolution.

A :class:`SchemaStore` belongs to one encapsulation context. ``child()``
snapshots what the parent holds, so a child sees its ancestors' schemas and
nothing it adds is visible to its parent or siblings.

:class:`Resolver` turns a ``$ref`` into the subschema it names. It indexes
every schema of a store by URI: top-level ``$id``, nested ``$id``,
``$anchor`` and draft-07 ``"$id": "#name"`` anchors, so ``id#``,
``id#/definitions/x``, ``id#anchor``, relative and local refs all resolve.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote, urljoin

from lesto import errors

__all__ = ["Resolved", "Resolver", "SchemaStore", "UnresolvedRefError"]

# Keywords whose values are data, not subschemas: never indexed for ids.
_DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples", "example"})


class UnresolvedRefError(Exception):
    """A ``$ref`` names no known schema; compilers turn it into a build error."""


class SchemaStore:
    """The shared schemas of one context, keyed by ``$id``."""

    __slots__ = ("_index", "_schemas")

    def __init__(self, schemas: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self._schemas: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (schemas or {}).items()}
        self._index: _Index | None = None

    def add(self, schema: Mapping[str, Any]) -> None:
        """Add a shared schema; it must have a unique ``$id``.

        Raises:
            LST_ERR_SCH_MISSING_ID: the schema has no ``$id``.
            LST_ERR_SCH_ALREADY_PRESENT: this store (or an ancestor) has the id.
        """
        schema_id = schema.get("$id") if isinstance(schema, Mapping) else None
        if not isinstance(schema_id, str) or not schema_id:
            raise errors.LST_ERR_SCH_MISSING_ID()
        if schema_id in self._schemas:
            raise errors.LST_ERR_SCH_ALREADY_PRESENT(schema_id)
        self._schemas[schema_id] = copy.deepcopy(dict(schema))
        self._index = None

    def get(self, schema_id: str) -> dict[str, Any] | None:
        """The schema added with ``schema_id``, or ``None``."""
        return self._schemas.get(schema_id)

    def all(self) -> dict[str, dict[str, Any]]:
        """Every schema visible here (this store's and its ancestors'), by id."""
        return dict(self._schemas)

    def child(self) -> SchemaStore:
        """A store for a child context: starts with everything visible here."""
        return SchemaStore(self._schemas)

    def __contains__(self, schema_id: object) -> bool:
        return schema_id in self._schemas

    def __iter__(self) -> Iterator[str]:
        return iter(self._schemas)

    def __len__(self) -> int:
        return len(self._schemas)

    def resolver(self, root: Any = None) -> Resolver:
        """A resolver for refs made from ``root`` (a route schema part) or a shared schema."""
        if self._index is None:
            index = _Index()
            for schema_id, schema in self._schemas.items():
                index.add_resource(schema, strip_fragment(schema_id))
            self._index = index
        return Resolver(self._index, root)


class Resolved:
    """A resolved ``$ref``: the subschema, its base URI and a stable key."""

    __slots__ = ("base", "key", "schema")

    def __init__(self, schema: Any, base: str, key: str) -> None:
        self.schema = schema
        self.base = base
        self.key = key


class _Index:
    """URI -> schema resource, and (URI, anchor) -> subschema."""

    def __init__(self) -> None:
        self.resources: dict[str, Any] = {}
        self.anchors: dict[tuple[str, str], Any] = {}

    def add_resource(self, schema: Any, base: str) -> None:
        self.resources.setdefault(base, schema)
        self._walk(schema, base)

    def _walk(self, node: Any, base: str) -> None:
        if isinstance(node, list):
            for item in node:
                self._walk(item, base)
            return
        if not isinstance(node, dict):
            return
        node_id = node.get("$id")
        if isinstance(node_id, str) and node_id:
            if node_id.startswith("#"):
                self.anchors.setdefault((base, node_id[1:]), node)
            else:
                base = strip_fragment(join_uri(base, node_id))
                self.resources.setdefault(base, node)
        anchor = node.get("$anchor")
        if isinstance(anchor, str):
            self.anchors.setdefault((base, anchor), node)
        for key, value in node.items():
            if key not in _DATA_KEYWORDS and key != "properties":
                self._walk(value, base)
            elif key == "properties" and isinstance(value, dict):
                for sub in value.values():
                    self._walk(sub, base)


class Resolver:
    """Resolves ``$ref`` values against a store's index and one root schema."""

    __slots__ = ("_local", "_shared", "root_base")

    def __init__(self, shared: _Index, root: Any) -> None:
        self._shared = shared
        self._local = _Index()
        root_id = root.get("$id") if isinstance(root, dict) else None
        self.root_base = strip_fragment(root_id) if isinstance(root_id, str) else ""
        if root is not None:
            self._local.add_resource(root, self.root_base)

    def resolve(self, ref: str, base: str) -> Resolved:
        """The subschema ``ref`` names, seen from a schema whose base URI is ``base``.

        Raises:
            UnresolvedRefError: nothing known has that URI, pointer or anchor.
        """
        full = join_uri(base, ref)
        uri, _, fragment = full.partition("#")
        document = self._find_resource(uri)
        if document is None:
            raise UnresolvedRefError(f"can't resolve reference {ref} from id {base or '#'}")
        if fragment == "" or fragment.startswith("/"):
            schema = _follow_pointer(document, fragment, ref)
        else:
            schema = self._find_anchor(uri, fragment)
            if schema is None:
                raise UnresolvedRefError(f"can't resolve reference {ref} from id {base or '#'}")
        return Resolved(schema, uri, f"{uri}#{fragment}")

    def _find_resource(self, uri: str) -> Any:
        found = self._local.resources.get(uri)
        if found is None:
            found = self._shared.resources.get(uri)
        return found

    def _find_anchor(self, uri: str, anchor: str) -> Any:
        found = self._local.anchors.get((uri, anchor))
        if found is None:
            found = self._shared.anchors.get((uri, anchor))
        return found


def join_uri(base: str, ref: str) -> str:
    """``ref`` resolved against the base URI ``base`` (ids need not be URLs)."""
    if not base:
        return ref
    if ref.startswith("#"):
        return base + ref
    return urljoin(base, ref)


def strip_fragment(uri: str) -> str:
    """``uri`` without its ``#fragment``."""
    return uri.partition("#")[0]


def _follow_pointer(document: Any, pointer: str, ref: str) -> Any:
    node = document
    if not pointer:
        return node
    for raw in pointer[1:].split("/"):
        token = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise UnresolvedRefError(f"can't resolve reference {ref}: no {pointer!r}")
    return node
