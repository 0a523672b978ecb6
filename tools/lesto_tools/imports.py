"""Which workspace packages a package's source imports."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Import", "imported_modules"]


@dataclass(frozen=True)
class Import:
    """One absolute import: the top-level module and where it is."""

    module: str
    file: Path
    line: int


def imported_modules(src: Path) -> list[Import]:
    """Every absolute import in the ``.py`` files under ``src``, by top-level module name.

    Files that do not parse are skipped (the linters report them).
    """
    found: list[Import] = []
    for file in sorted(src.rglob("*.py")):
        try:
            tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        except (SyntaxError, UnicodeDecodeError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.extend(Import(m.split(".")[0], file, node.lineno) for m in _modules(node))
    return found


def _modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return [node.module] if node.level == 0 and node.module else []
