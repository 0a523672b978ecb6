"""Small helpers shared by the code-generating compilers."""

from __future__ import annotations

import math
from typing import Any

from .messages import escape_pointer

__all__ = ["Names", "Path", "SchemaBuildError", "js_number", "schema_types", "source_lines"]


class SchemaBuildError(Exception):
    """A schema cannot be compiled; compilers turn it into a ``LST_ERR_SCH_*_BUILD``."""


_TYPES = frozenset({"string", "number", "integer", "boolean", "null", "object", "array"})


def schema_types(schema: dict[str, Any]) -> tuple[str, ...]:
    """The declared ``type`` as a tuple (``nullable: true`` adds ``"null"``)."""
    declared = schema.get("type")
    if declared is None:
        return ()
    types = (declared,) if isinstance(declared, str) else tuple(declared)
    for name in types:
        if name not in _TYPES:
            raise SchemaBuildError(f"unknown type {name!r}")
    if schema.get("nullable") is True and "null" not in types:
        types = (*types, "null")
    return types


def js_number(value: float | int) -> str:
    """A number as JavaScript prints it (``5.0`` -> ``"5"``), for messages."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)


class Names:
    """Fresh identifiers and the namespace the generated source runs in."""

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.namespace = namespace
        self._count = 0

    def new(self, prefix: str) -> str:
        """A fresh identifier starting with ``prefix``."""
        self._count += 1
        return f"{prefix}{self._count}"

    def const(self, value: Any, prefix: str = "k") -> str:
        """Bind ``value`` in the namespace under a fresh name and return the name."""
        name = self.new(prefix)
        self.namespace[name] = value
        return name


class Path:
    """The instance path of a value, as a Python expression evaluated only on error."""

    __slots__ = ("expr", "suffix")

    def __init__(self, expr: str, suffix: str = "") -> None:
        self.expr = expr
        self.suffix = suffix

    def render(self) -> str:
        """The Python expression for the path string."""
        if not self.suffix:
            return self.expr
        return f"{self.expr} + {self.suffix!r}"

    def key(self, name: str) -> Path:
        """The path of property ``name`` (known when compiling)."""
        return Path(self.expr, f"{self.suffix}/{escape_pointer(name)}")

    def dynamic(self, var: str, escape: bool) -> Path:
        """The path of an item whose key or index is in the variable ``var``."""
        token = f"_esc({var})" if escape else f"str({var})"
        return Path(f'{self.render()} + "/" + {token}')


def source_lines(blocks: list[list[str]]) -> str:
    """Join generated function blocks into module source."""
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
