"""The standard sections of a package README, and which ones a README lacks."""

from __future__ import annotations

import re

__all__ = ["KNOWN_GAPS", "STANDARD_SECTIONS", "missing_sections"]

#: Each standard section, with the ``## `` heading words that count as it (a heading
#: counts when it starts with one of them: "Compatibility and differences from ...").
STANDARD_SECTIONS: dict[str, tuple[str, ...]] = {
    "install": ("install",),
    "usage": ("usage", "example", "quick start", "getting started"),
    "options": ("options", "configuration"),
    "errors": ("errors",),
    "compatibility": ("compatibility",),
}

#: Sections missing from READMEs written before this standard (folder -> sections). The
#: check reports them as notes instead of failures; drop an entry once the README has it.
#: New packages get no entry: the plugin template writes every section.
KNOWN_GAPS: dict[str, frozenset[str]] = {}

_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_SECTION = re.compile(r"^## +(.+?) *$", re.MULTILINE)


def missing_sections(readme: str) -> list[str]:
    """The standard sections that no ``## `` heading of ``readme`` provides, in standard order."""
    titles = [t.strip("`").lower() for t in _SECTION.findall(_FENCE.sub("", readme))]
    return [
        section
        for section, words in STANDARD_SECTIONS.items()
        if not any(title.startswith(words) for title in titles)
    ]
